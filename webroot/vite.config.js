import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import tailwindcss from '@tailwindcss/vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  plugins: [svelte(), tailwindcss()],
  // The event-bus client opens its socket with `new SockJS(...)`; it gets ours, WebSocket first (bridgeSocket.js).
  resolve: {
    alias: [{ find: /^sockjs-client$/, replacement: fileURLToPath(new URL('./src/lib/bridgeSocket.js', import.meta.url)) }]
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 400
  }
});
