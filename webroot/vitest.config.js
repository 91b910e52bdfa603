import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Runes in .svelte.js modules need the Svelte compiler; the browser condition picks Svelte's client
// runtime (the node default would load its server build, where state is not reactive).
export default defineConfig({
  plugins: [svelte()],
  resolve: { conditions: ['browser'] },
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node'
  }
});
