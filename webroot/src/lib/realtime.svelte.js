import EventBus from '@vertx/eventbus-bridge-client.js';
import { get } from './api.js';
import { Address } from './catalogue.js';

const REPLAY_ADDRESS = Address.EVENTS_SINCE;
const PROBE_ADDRESS = Address.BRIDGE_PING;
/**
 * The event bus's socket is a plain WebSocket first (bridgeSocket.js); where WebSocket is blocked, SockJS over XHR
 * carries it: it sends the cookies to the bridge's port. The EventSource and iframe transports would not, and the
 * bridge turns off htmlfile and JSONP.
 */
const TRANSPORTS = ['websocket', 'xhr-streaming', 'xhr-polling'];
const REPLAY_PAGE = 500;
const SEEN_WINDOW = 20000;
const SEND_TIMEOUT_MS = 10000;
const PING_INTERVAL_MS = 15000;
/**
 * A socket that heard nothing from the bridge for this long probes it (a busy room's events show the socket alive at
 * no cost; a probe for every socket every interval took 12 % more server CPU per delivery at 5,000 attendees).
 */
const PROBE_INTERVAL_MS = 15000;
const PROBE_CHECK_MS = 5000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15000;

/**
 * One realtime connection for a page: reconnects with backoff and jitter, re-registers its
 * addresses, replays what it missed (by seq) before live events count, and keeps an outbox of
 * commands (each with its idempotency key) that is sent again after a reconnect until answered.
 *
 * onResync(): reload the page state from REST; called first, and whenever the server says the
 * gap is too large to replay. onEvent(event): apply one event; called once per seq, in order
 * after a replay. onSnapshot(body): messages without a seq (the dashboard's periodic snapshots),
 * which are state rather than events and so are neither replayed nor deduplicated.
 */
export function openRealtime({ as, codelabId, addresses, onEvent, onResync, onSnapshot }) {
  const status = $state({ state: 'connecting', attempts: 0, pending: 0 });
  const seen = new Set();
  const seenOrder = [];
  const outbox = [];
  const inFlight = new Set();
  let epoch = null;
  let lastSeq = null;
  let floor = -1;
  let syncing = true;
  let buffered = [];
  let bus = null;
  let url = null;
  let reconnectTimer = null;
  let probeTimer = null;
  let lastHeard = 0;
  let probing = false;
  let closed = false;

  function remember(seq) {
    seen.add(seq);
    seenOrder.push(seq);
    if (seenOrder.length > SEEN_WINDOW) seen.delete(seenOrder.shift());
  }

  function deliver(event) {
    if (typeof event?.seq !== 'number' || event.seq <= floor || seen.has(event.seq)) return;
    remember(event.seq);
    if (lastSeq === null || event.seq > lastSeq) lastSeq = event.seq;
    epoch = event.epoch ?? epoch;
    onEvent(event);
  }

  const offline = (message) => Object.assign(new Error(message), { offline: true });

  /**
   * A request on the current socket; a socket that closes fails its requests at once, as offline. The bridge answers
   * every request, with an error if need be, well within the timeout: one left unanswered means packets no longer
   * flow (a network that drops them without a close), so the socket is given up and a new one opened.
   */
  function request(address, body) {
    return new Promise((resolve, reject) => {
      if (!bus || bus.state !== EventBus.OPEN) return reject(offline('offline'));
      const socket = bus;
      const call = { reject };
      const settle = (fn, value) => {
        clearTimeout(call.timer);
        inFlight.delete(call);
        fn(value);
      };
      call.timer = setTimeout(() => {
        settle(reject, offline('timeout'));
        giveUp(socket);
      }, SEND_TIMEOUT_MS);
      call.reject = (error) => settle(reject, error);
      inFlight.add(call);
      bus.send(address, body, {}, (error, reply) => {
        lastHeard = Date.now();
        if (error) settle(reject, Object.assign(new Error(error.message || 'failed'), { code: error.failureCode }));
        else settle(resolve, reply.body);
      });
    });
  }

  async function replay() {
    for (;;) {
      const page = await request(REPLAY_ADDRESS, { codelabId, after: lastSeq ?? 0, epoch, limit: REPLAY_PAGE });
      if (page.reset || lastSeq === null) {
        lastSeq = page.latestSeq;
        floor = page.latestSeq;
        epoch = page.epoch;
        await onResync();
        return;
      }
      page.events.forEach(deliver);
      if (!page.more) return;
    }
  }

  async function synchronise() {
    syncing = true;
    buffered = [];
    try {
      await replay();
    } finally {
      syncing = false;
      const live = buffered.sort((a, b) => a.seq - b.seq);
      buffered = [];
      live.forEach(deliver);
    }
  }

  function flushOutbox() {
    for (const entry of [...outbox]) attempt(entry);
  }

  function settleEntry(entry, fn, value) {
    outbox.splice(outbox.indexOf(entry), 1);
    status.pending = outbox.length;
    fn(value);
  }

  function attempt(entry) {
    if (entry.inFlight) return;
    entry.inFlight = true;
    request(entry.address, entry.body).then((reply) => settleEntry(entry, entry.resolve, reply), (error) => {
      entry.inFlight = false;
      if (!error.offline) settleEntry(entry, entry.reject, error);
      else if (status.state === 'online' && !closed) attempt(entry);
    });
  }

  function scheduleReconnect() {
    if (closed || status.state === 'refused' || reconnectTimer) return;
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** status.attempts);
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      open();
    }, delay);
  }

  /** The network or the tab came back: try now rather than at the end of a long backoff. */
  function reconnectNow() {
    if (closed || status.state !== 'offline' || !reconnectTimer) return;
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    open();
  }

  function probeWhenQuiet() {
    if (probing || Date.now() - lastHeard < PROBE_INTERVAL_MS) return;
    probing = true;
    request(PROBE_ADDRESS, {}).catch(() => {}).finally(() => {
      probing = false;
    });
  }

  /** Requests in flight fail as offline, and a new socket is opened after the backoff. */
  function lost(socket) {
    if (bus !== socket) return;
    bus = null;
    clearInterval(probeTimer);
    for (const call of [...inFlight]) call.reject(offline('closed'));
    if (closed || status.state === 'refused') return;
    status.state = 'offline';
    status.attempts += 1;
    scheduleReconnect();
  }

  /** A socket that stopped answering: its close may take minutes to come, so it is not waited for. */
  function giveUp(socket) {
    lost(socket);
    socket.sockJSConn?.close();
  }

  function connect() {
    const socket = new EventBus(url, { vertxbus_ping_interval: PING_INTERVAL_MS, transports: TRANSPORTS });
    bus = socket;
    socket.onopen = () => {
      status.state = 'syncing';
      lastHeard = Date.now();
      probeTimer = setInterval(probeWhenQuiet, PROBE_CHECK_MS);
      for (const address of addresses) {
        socket.registerHandler(address, {}, (error, message) => {
          lastHeard = Date.now();
          if (error) return;
          if (typeof message.body?.seq !== 'number') return onSnapshot?.(message.body);
          if (syncing) buffered.push(message.body);
          else deliver(message.body);
        });
      }
      synchronise().then(() => {
        if (bus !== socket) return;
        status.state = 'online';
        status.attempts = 0;
        flushOutbox();
      }, () => socket.sockJSConn?.close());
    };
    socket.onclose = () => lost(socket);
    socket.onerror = (error) => {
      if (error?.body === 'not_logged_in') status.state = 'refused';
    };
  }

  /** Asks the API where the socket lives (once), then opens it. */
  function open() {
    if (url) return connect();
    get('/api/realtime').then((realtime) => {
      if (closed) return;
      url = as === 'attendee' ? realtime.url + (realtime.url.includes('?') ? '&' : '?') + 'as=attendee' : realtime.url;
      connect();
    }, () => {
      status.state = 'offline';
      status.attempts += 1;
      scheduleReconnect();
    });
  }

  /** A tab coming back to the front may have had its socket closed while its timers slept. */
  function visible() {
    if (document.visibilityState === 'visible') reconnectNow();
  }

  /** The browser knows the network is gone before a silent socket would show it. */
  function wentOffline() {
    bus?.sockJSConn?.close();
  }

  addEventListener('online', reconnectNow);
  addEventListener('offline', wentOffline);
  document.addEventListener('visibilitychange', visible);
  open();

  return {
    status,
    /** Sends a command; kept and re-sent after reconnects until the server answers. */
    send(address, body) {
      return new Promise((resolve, reject) => {
        const entry = { address, body, resolve, reject, inFlight: false };
        outbox.push(entry);
        status.pending = outbox.length;
        if (status.state === 'online') attempt(entry);
      });
    },
    /** Drops the socket as a bad network would; the client reconnects on its own. */
    drop() {
      bus?.sockJSConn?.close();
    },
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      clearInterval(probeTimer);
      removeEventListener('online', reconnectNow);
      removeEventListener('offline', wentOffline);
      document.removeEventListener('visibilitychange', visible);
      bus?.close();
    }
  };
}
