import { vi } from 'vitest';

/**
 * The browser around the app: fetch answered from a table of paths, window and document events,
 * animation frames run when the test says. Paths are matched without the `as=attendee` marker.
 */
export function installBrowser(routes = {}) {
  const windowEvents = new EventTarget();
  const documentEvents = new EventTarget();
  const frames = [];
  const requests = [];

  vi.stubGlobal('fetch', vi.fn(async (url, init) => {
    const path = url.replace(/[?&]as=attendee$/, '');
    requests.push({ path, method: init?.method ?? 'GET' });
    const route = routes[path];
    if (route === undefined) return new Response(JSON.stringify({ title: 'Not Found' }), { status: 404 });
    return new Response(JSON.stringify(typeof route === 'function' ? route() : route), { status: 200 });
  }));
  vi.stubGlobal('window', globalThis);
  vi.stubGlobal('addEventListener', windowEvents.addEventListener.bind(windowEvents));
  vi.stubGlobal('removeEventListener', windowEvents.removeEventListener.bind(windowEvents));
  vi.stubGlobal('document', Object.assign(documentEvents, { visibilityState: 'visible' }));
  vi.stubGlobal('requestAnimationFrame', vi.fn((callback) => frames.push(callback)));

  return {
    routes,
    requests,
    fire(name) {
      windowEvents.dispatchEvent(new Event(name));
    },
    showTab() {
      document.visibilityState = 'visible';
      documentEvents.dispatchEvent(new Event('visibilitychange'));
    },
    framesWaiting: () => frames.length,
    runFrame() {
      for (const callback of frames.splice(0)) callback(performance.now());
    }
  };
}

/** Lets every queued promise callback run (fetch replies, replies from the fake socket). */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}
