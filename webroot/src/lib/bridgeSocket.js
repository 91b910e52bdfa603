import SockJS from 'sockjs-client/lib/entry.js';

/**
 * How long a WebSocket may take to open before the HTTP transports are tried: a proxy that swallows the upgrade
 * answers nothing at all.
 */
export const OPEN_TIMEOUT_MS = 4000;

/** After a page found WebSocket blocked and got through over HTTP, its later sockets go straight to HTTP. */
let websocketBlocked = false;

/** The bridge's plain WebSocket endpoint for a SockJS URL: same host and port, `/websocket` after the path. */
export function websocketUrl(sockjsUrl) {
  const url = new URL(sockjsUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = url.pathname.replace(/\/$/, '') + '/websocket';
  return url.toString();
}

/**
 * What the event-bus client takes for its SockJS socket (the build hands it this module in place of sockjs-client).
 * Where WebSocket works it is a plain WebSocket to the bridge's raw endpoint, which carries each frame as it is: the
 * bridge encodes an event once and writes the same bytes to every socket, where SockJS's own WebSocket framing
 * would escape it again for each socket. Where the WebSocket fails or hangs before it opens, it is SockJS over its
 * HTTP transports, as the client asked for them.
 */
export default class BridgeSocket {
  constructor(url, _protocols, options = {}) {
    this.onopen = null;
    this.onclose = null;
    this.onmessage = null;
    this.url = url;
    this.options = options;
    this.closed = false;
    this.transport = null;
    const transports = options.transports ?? ['websocket'];
    this.httpTransports = transports.filter((name) => name !== 'websocket');
    if (transports.includes('websocket') && typeof WebSocket !== 'undefined'
      && !(websocketBlocked && this.httpTransports.length)) {
      this.openWebSocket();
    } else {
      this.openSockJS(false);
    }
  }

  openWebSocket() {
    let ws;
    try {
      ws = new WebSocket(websocketUrl(this.url));
    } catch {
      return this.openSockJS(true);
    }
    ws.binaryType = 'arraybuffer';
    this.transport = ws;
    let opened = false;
    const decoder = new TextDecoder();
    this.openTimer = setTimeout(() => ws.close(), OPEN_TIMEOUT_MS);
    ws.onopen = () => {
      clearTimeout(this.openTimer);
      opened = true;
      this.onopen?.();
    };
    ws.onmessage = (event) => {
      const data = typeof event.data === 'string' ? event.data : decoder.decode(event.data);
      this.onmessage?.({ data });
    };
    ws.onclose = (event) => {
      clearTimeout(this.openTimer);
      if (!opened && this.httpTransports.length) this.openSockJS(true);
      else this.closedWith(event);
    };
  }

  openSockJS(afterWebSocket) {
    const sockjs = new SockJS(this.url, null, { ...this.options, transports: this.httpTransports });
    this.transport = sockjs;
    sockjs.onopen = () => {
      if (afterWebSocket) websocketBlocked = true;
      this.onopen?.();
    };
    sockjs.onmessage = (event) => this.onmessage?.(event);
    sockjs.onclose = (event) => this.closedWith(event);
  }

  closedWith(event) {
    this.closed = true;
    this.onclose?.(event);
  }

  send(data) {
    this.transport.send(data);
  }

  /** Closes whichever transport is open or opening; the client hears one close, and no fallback follows. */
  close(code, reason) {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.openTimer);
    this.transport.onclose = (event) => this.onclose?.(event);
    this.transport.close(code, reason);
  }
}
