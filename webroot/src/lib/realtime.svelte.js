import EventBus from '@vertx/eventbus-bridge-client.js';
import { get } from './api.js';

const REPLAY_ADDRESS = 'codelab.events.replay';
const REPLAY_PAGE = 500;
const SEEN_WINDOW = 20000;
const SEND_TIMEOUT_MS = 10000;

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
  let epoch = null;
  let lastSeq = null;
  let floor = -1;
  let syncing = true;
  let buffered = [];
  let bus = null;
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

  function request(address, body) {
    return new Promise((resolve, reject) => {
      if (!bus || bus.state !== EventBus.OPEN) return reject(Object.assign(new Error('offline'), { offline: true }));
      const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { offline: true })), SEND_TIMEOUT_MS);
      bus.send(address, body, {}, (error, reply) => {
        clearTimeout(timer);
        if (error) reject(Object.assign(new Error(error.message || 'failed'), { code: error.failureCode }));
        else resolve(reply.body);
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

  function attempt(entry) {
    if (entry.inFlight) return;
    entry.inFlight = true;
    request(entry.address, entry.body).then((reply) => {
      outbox.splice(outbox.indexOf(entry), 1);
      status.pending = outbox.length;
      entry.resolve(reply);
    }, (error) => {
      entry.inFlight = false;
      if (!error.offline) {
        outbox.splice(outbox.indexOf(entry), 1);
        status.pending = outbox.length;
        entry.reject(error);
      }
    });
  }

  function connect(url) {
    bus = new EventBus(url, {
      vertxbus_ping_interval: 15000,
      vertxbus_reconnect_delay_min: 500,
      vertxbus_reconnect_delay_max: 15000,
      vertxbus_randomization_factor: 0.5
    });
    bus.enableReconnect(true);
    bus.onopen = () => {
      status.state = 'syncing';
      status.attempts = 0;
      for (const address of addresses) {
        bus.registerHandler(address, {}, (error, message) => {
          if (error) return;
          if (typeof message.body?.seq !== 'number') return onSnapshot?.(message.body);
          if (syncing) buffered.push(message.body);
          else deliver(message.body);
        });
      }
      synchronise().then(() => {
        status.state = 'online';
        flushOutbox();
      }, () => {
        status.state = 'offline';
        bus.sockJSConn?.close();
      });
    };
    bus.onclose = () => {
      if (closed) return;
      status.state = 'offline';
      status.attempts += 1;
    };
    bus.onerror = (error) => {
      if (error?.body === 'not_logged_in' || error?.failureCode === 401) status.state = 'refused';
    };
  }

  get('/api/realtime').then(({ url }) => {
    if (!closed) connect(as === 'attendee' ? url + (url.includes('?') ? '&' : '?') + 'as=attendee' : url);
  }, () => {
    status.state = 'offline';
  });

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
      bus?.enableReconnect(false);
      bus?.close();
    }
  };
}
