// Fan-out benchmark: N attendee sockets on one node receive a facilitator's announcement once a
// second; publish-to-receive latency, delivery and the server's CPU and RSS, for our bridge (which
// also authenticates, persists and sequences every event) and for a socket.io peer broadcasting an
// event of the same shape and size, same generator, same run.
// The floor is a bare Vert.x WebSocket server writing one pre-encoded message to every socket (no
// SockJS, no auth, no persistence); `limit` is a bare Vert.x SockJS bridge relaying the same event.
// Attendee sockets connect as the browser app does, to the bridge's raw WebSocket endpoint; `sockjs` is ours with the
// sockets the stock event-bus client would open, over SockJS's WebSocket transport and its framing.
// Usage: node run.mjs [--clients 1000,5000] [--servers ours,peer,floor (default), sockjs, limit] [--nodes 1|3|4]
//   [--attendee-nodes N] [--rounds 20] [--warmup 10] [--repeat 3] [--jar ../../../target/codelabs.jar]
//   [--json results.json]
// Each attendee count runs --repeat times, alternating the servers (ours, peer, floor, ours, ...);
// the summary gives the median of the runs and their spread (min-max) for every figure.
// With --nodes 3, ours runs as a cluster (one core node, two edge nodes) and the attendees are
// spread over the three nodes' bridges; the facilitator publishes through the first. With --nodes 4
// --attendee-nodes 3 the facilitator has the first node (the writer's) to itself and the attendees are
// spread over the three others; memory is then read on the second node, the first to hold attendees.
// Where `taskset` and two allowed CPUs exist, this generator runs on the first CPU and every server
// process on the second, so neither queues behind the other.
// Every delivery's latency goes into an HDR histogram (microseconds, 3 significant digits).
// Sockets come from 127.0.0.1, 127.0.0.2, ... (at most 10,000 per address, well within the 28,232 ephemeral ports
// Linux gives one address by default). A size this machine cannot hold is not run, and says why: the generator holds
// every socket, so it needs that many open files and some.
// CPU is measured over the measured rounds only, after the warm-up rounds (JIT compilation), summed
// over every process of the server, and divided by the deliveries made in those rounds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as histogram } from 'hdr-histogram-js';
import { WebSocket } from 'ws';
import { io as ioClient } from 'socket.io-client';
import { cell, f, summarise } from './summary.mjs';
import { JAVA_OPTIONS, PINNING, api, cpuSeconds, firstLines, spawnServer } from './servers.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const CLIENTS = (args.clients ?? '1000,5000').split(',').map(Number);
const ROUNDS = Number(args.rounds ?? 20);
const WARM_UP = Number(args.warmup ?? 10);
const JAR = args.jar ?? new URL('../../../target/codelabs.jar', import.meta.url).pathname;
const TEST_CLASSES = new URL('../../../target/test-classes', import.meta.url).pathname;
const SERVERS = (args.servers ?? 'ours,peer,floor').split(',');
const NODES = Number(args.nodes ?? 1);
const ATTENDEE_NODES = Number(args['attendee-nodes'] ?? NODES);
if (!(ATTENDEE_NODES >= 1 && ATTENDEE_NODES <= NODES)) throw new Error(`--attendee-nodes must be 1 to ${NODES}`);
const REPEAT = Number(args.repeat ?? 3);
const TOKENS = 20;
const CONNECT_BATCH = 250;
const PING_INTERVAL_MS = 15_000;
const SOCKETS_PER_SOURCE = 10_000;
/** Files the generator opens besides its sockets: node itself, pipes to the servers, the publisher. */
const OWN_FILES = 100;
/** Room in a node's realtime cap above the attendees' sockets: the facilitator's, and a margin. */
const CAP_MARGIN = 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

/** CPU of the JVM's JIT compiler threads (none in node), to tell compilation from serving. */
function jitCpuSeconds(pid) {
  return readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!/^C[12] CompilerThre/.test(name)) return sum;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) / 100;
  }, 0);
}

/** Node raises its soft limit to the hard one at start, as the JVM does: every server here inherits the same. */
function openFilesLimit() {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line.split(/\s+/)[3];
  return soft === 'unlimited' ? Infinity : Number(soft);
}

/**
 * Opens a run's sockets CONNECT_BATCH at a time; open(j, from) opens the j-th from its local address, consecutive
 * sockets taking turns over the run's source addresses.
 */
async function connectAll(clients, open) {
  const sources = Math.ceil(clients / SOCKETS_PER_SOURCE);
  const sockets = [];
  for (let i = 0; i < clients; i += CONNECT_BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(clients, i + CONNECT_BATCH); j++) {
      batch.push(open(j, { localAddress: `127.0.0.${1 + (j % sources)}` }));
    }
    sockets.push(...await Promise.all(batch));
  }
  return sockets;
}

function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

/**
 * Live heap after a full collection, for JVM servers (null for node): survivor, eden and old
 * space in use as jstat reports them, which reads the same whichever collector the JVM chose
 * (a JVM pinned to one CPU picks the serial collector).
 */
function heapAfterGcMb(child) {
  if (!child.jvm) return null;
  execFileSync('jcmd', [String(child.pid), 'GC.run']);
  const [header, values] = execFileSync('jstat', ['-gc', String(child.pid)]).toString().trim().split('\n')
    .map((line) => line.trim().split(/\s+/));
  const used = ['S0U', 'S1U', 'EU', 'OU'].reduce((sum, column) => sum + Number(values[header.indexOf(column)]), 0);
  return used / 1024;
}

function startJar(extra) {
  const dataDir = mkdtempSync(join(tmpdir(), 'codelabs-bench-'));
  // Metrics and the TCP bridge stay on, as by default, on free ports: a cluster's nodes would collide on the defaults.
  const child = spawnServer('java', [...JAVA_OPTIONS, '-jar', JAR, '--port', '0', '--bridge-port', '0',
    '--data-dir', dataDir, '--http-instances', '1', '--metrics-port', '0', '--tcp-bridge-port', '0',
    ...(args.synchronous ? ['--synchronous', args.synchronous] : []), ...extra]);
  child.jvm = true;
  return child;
}

/**
 * The bundled loopback cluster config under a cluster name of this run's own, listing every port
 * Hazelcast may pick: the benchmark's nodes never join another cluster running on the machine.
 */
function privateClusterConfig() {
  const members = Array.from({ length: 20 }, (_, i) => `<member>127.0.0.1:${5701 + i}</member>`).join('\n');
  const xml = readFileSync(new URL('../../../../cluster-config/loopback.xml', import.meta.url), 'utf8')
    .replace(/<cluster-name>[^<]*<\/cluster-name>/, `<cluster-name>codelabs-bench-${process.pid}-${Date.now()}</cluster-name>`)
    .replace(/<member-list>[\s\S]*<\/member-list>/, `<member-list>\n${members}\n</member-list>`);
  const file = join(mkdtempSync(join(tmpdir(), 'codelabs-bench-cluster-')), 'cluster.xml');
  writeFileSync(file, xml);
  return file;
}

/**
 * A node's realtime cap is set for the sockets it is to hold, as an operator sets it for a room: its default, from the
 * open-files limit, stops at 12,000.
 */
async function startOurs(clients) {
  const cap = ['--bridge-max-connections', String(Math.ceil(clients / ATTENDEE_NODES) + CAP_MARGIN)];
  const cluster = NODES > 1 ? ['--cluster', '--cluster-config', privateClusterConfig()] : [];
  const child = startJar([...cluster, ...cap]);
  const lines = await firstLines(child, 3, (ls) => ls.some((l) => l.includes('password:')));
  const port = lines.join('\n').match(/ready at http:\/\/localhost:(\d+)/)[1];
  const password = lines.find((l) => l.includes('password:')).trim().split(' ')[1];
  const base = `http://127.0.0.1:${port}`;
  const edges = [];
  for (let i = 1; i < NODES; i++) {
    const edge = startJar([...cluster, ...cap, '--roles', 'api,bridge']);
    const edgeLines = await firstLines(edge, 1, (ls) => ls.some((l) => l.includes('ready at')));
    edges.push({ child: edge, base: `http://127.0.0.1:${edgeLines.join('\n').match(/ready at http:\/\/localhost:(\d+)/)[1]}` });
  }
  const admin = (await api(base, 'POST', '/api/auth/login', null,
    { username: 'admin', password, delivery: 'bearer' })).token;
  const codelab = await api(base, 'POST', '/api/codelabs', admin, { title: 'Fan-out', steps: [] });
  const tokens = [];
  for (let i = 0; i < TOKENS; i++) {
    tokens.push((await api(base, 'POST', `/api/codelabs/${codelab.id}/attendees`, null,
      { nickname: `bench${i}`, personalCode: `code-${i}`, delivery: 'bearer' })).token);
  }
  const nodes = [{ child, base }, ...edges];
  for (const node of nodes) {
    const bridgePort = (await api(node.base, 'GET', '/api/realtime')).url.match(/:(\d+)\/eventbus$/)[1];
    node.url = `ws://127.0.0.1:${bridgePort}/eventbus/websocket`;
  }
  const attendeeNodes = nodes.slice(NODES - ATTENDEE_NODES);
  return { child, others: edges.map((e) => e.child), memoryNode: attendeeNodes[0].child, admin, tokens,
    codelabId: codelab.id, url: nodes[0].url, urls: attendeeNodes.map((node) => node.url) };
}

/**
 * Sockets the server closed while the benchmark ran (read before the benchmark closes its own), by close code and
 * reason: a dropped socket receives nothing more, so a delivery below 100 % says whether it is late events or lost
 * sockets, and why they went.
 */
function dropCounter() {
  const reasons = new Map();
  const count = () => [...reasons.values()].reduce((sum, n) => sum + n, 0);
  return {
    watch: (socket, event) => socket.on(event, (code, reason) => {
      const why = [code, reason].filter((part) => part !== undefined && String(part) !== '').join(' ');
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
    }),
    count,
    reasons: () => [...reasons].map(([why, n]) => `${n} x ${why}`).join(', '),
  };
}

/**
 * A ping every 15 s from the socket's own open, as the browser app's client sends them: a ping for every socket at
 * once, only after all had connected, left the first ones silent past the bridge's timeout while 15,000 connected.
 * Our sockets also probe the bridge when they heard nothing from it since their last ping, as the browser app does
 * after 15 s of quiet (with an announcement a second, they never do).
 */
function keepPinging(ws, probing = false) {
  let heard = false;
  if (probing) ws.on('message', () => { heard = true; });
  const pinger = setInterval(() => {
    ws.send('{"type":"ping"}');
    if (probing && !heard) ws.send('{"type":"send","address":"bridge.ping","replyAddress":"probe","body":{}}');
    heard = false;
  }, PING_INTERVAL_MS);
  ws.on('close', () => clearInterval(pinger));
}

/** The browser app's socket: the bridge's raw endpoint, one bridge frame per WebSocket message. */
function rawSocket(url, options) {
  return new WebSocket(url, options);
}

/**
 * The stock event-bus client's socket: SockJS's WebSocket transport, which wraps frames in SockJS frames ("o" on open,
 * "h" heartbeats, "a" and a JSON array of frames), so the server escapes every frame again for every socket. It
 * answers to on('open'), on('message') and send() as a raw socket does.
 */
function sockjsSocket(url, options) {
  const session = Math.random().toString(36).slice(2, 10);
  const ws = new WebSocket(url.replace(/\/websocket$/, `/000/${session}/websocket`), options);
  const listeners = { open: [], message: [] };
  const on = ws.on.bind(ws);
  const send = ws.send.bind(ws);
  on('message', (data) => {
    const text = data.toString();
    if (text === 'o') listeners.open.forEach((listener) => listener());
    else if (text[0] === 'a') {
      for (const frame of JSON.parse(text.slice(1))) listeners.message.forEach((listener) => listener(frame));
    }
  });
  ws.send = (frame) => send(JSON.stringify([frame]));
  ws.on = (event, listener) => {
    if (listeners[event]) listeners[event].push(listener);
    else on(event, listener);
    return ws;
  };
  return ws;
}

function ourSocket(server, url, token, onAnnouncement, drops, open, from) {
  return new Promise((resolve, reject) => {
    const ws = open(url, { headers: { authorization: `Bearer ${token}` }, ...from });
    drops.watch(ws, 'close');
    const address = `codelab.public.${server.codelabId}`;
    ws.on('open', () => {
      keepPinging(ws, true);
      ws.send(JSON.stringify({ type: 'register', address }));
      ws.send(JSON.stringify({ type: 'send', address: 'codelab.events.replay', replyAddress: 'ready',
        body: { codelabId: server.codelabId, after: 0, limit: 1 } }));
    });
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.address === 'ready') resolve(ws);
      else if (frame.type === 'rec' && frame.body?.type === 'announcement.posted') {
        onAnnouncement(frame.body.data.announcement.text);
      } else if (frame.type === 'err') reject(new Error(JSON.stringify(frame)));
    });
    ws.on('error', reject);
  });
}

async function runOurs(server, clients, record, drops, open = rawSocket) {
  const sockets = await connectAll(clients, (j, from) => ourSocket(server, server.urls[j % server.urls.length],
    server.tokens[j % TOKENS], record, drops, open, from));
  const publisher = await new Promise((resolve) => {
    const ws = new WebSocket(server.url, { headers: { authorization: `Bearer ${server.admin}` } });
    ws.on('open', () => {
      keepPinging(ws);
      resolve(ws);
    });
  });
  const publish = (text) => publisher.send(JSON.stringify({ type: 'send', address: 'codelab.announcement.post',
    body: { codelabId: server.codelabId, text } }));
  return { publish,
    close: () => sockets.concat(publisher).forEach((s) => s.terminate()) };
}

async function startLimit() {
  const child = spawnServer('java', [...JAVA_OPTIONS, '-cp', `${TEST_CLASSES}:${JAR}`, 'io.codelabs.bench.BareBridge']);
  child.jvm = true;
  const lines = await firstLines(child, 1, (ls) => ls.length >= 1);
  return { child, url: `ws://127.0.0.1:${lines[0].trim()}/eventbus/websocket` };
}

async function runLimit(server, clients, record, drops) {
  const connect = (onAnnouncement, from) => new Promise((resolve, reject) => {
    const ws = new WebSocket(server.url, from);
    drops.watch(ws, 'close');
    ws.on('open', () => {
      keepPinging(ws);
      ws.send(JSON.stringify({ type: 'register', address: 'bench.room' }));
      resolve(ws);
    });
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (onAnnouncement && frame.type === 'rec') onAnnouncement(frame.body.data.announcement.text);
    });
    ws.on('error', reject);
  });
  const sockets = await connectAll(clients, (j, from) => connect(record, from));
  await sleep(500);
  const publisher = await connect();
  let seq = 0;
  return { publish: (text) => publisher.send(JSON.stringify({ type: 'send', address: 'bench.announce',
    body: peerEvent(++seq, text) })),
  close: () => sockets.concat(publisher).forEach((s) => s.terminate()) };
}

async function startFloor() {
  const child = spawnServer('java', [...JAVA_OPTIONS, '-cp', `${TEST_CLASSES}:${JAR}`, 'io.codelabs.bench.FloorServer']);
  child.jvm = true;
  const lines = await firstLines(child, 1, (ls) => ls.length >= 1);
  return { child, url: `ws://127.0.0.1:${lines[0].trim()}` };
}

async function runFloor(server, clients, record, drops) {
  const connect = (path, onAnnouncement, from) => new Promise((resolve, reject) => {
    const ws = new WebSocket(server.url + path, from);
    drops.watch(ws, 'close');
    ws.on('open', () => resolve(ws));
    if (onAnnouncement) ws.on('message', (data) => onAnnouncement(JSON.parse(data.toString()).data.announcement.text));
    ws.on('error', reject);
  });
  const sockets = await connectAll(clients, (j, from) => connect('/', record, from));
  const publisher = await connect('/publish');
  let seq = 0;
  return { publish: (text) => publisher.send(JSON.stringify(peerEvent(++seq, text))),
    close: () => sockets.concat(publisher).forEach((s) => s.terminate()) };
}

async function startPeer() {
  const child = spawnServer('node', [new URL('./peer.mjs', import.meta.url).pathname]);
  const lines = await firstLines(child, 1, (ls) => ls.length >= 1);
  return { child, url: `http://127.0.0.1:${lines[0].trim()}` };
}

async function runPeer(server, clients, record, drops) {
  const connect = (onAnnouncement, from) => new Promise((resolve, reject) => {
    const socket = ioClient(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, ...from });
    drops.watch(socket, 'disconnect');
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', reject);
    if (onAnnouncement) socket.on('event', (event) => onAnnouncement(event.data.announcement.text));
  });
  const sockets = await connectAll(clients, (j, from) => connect(record, from));
  const publisher = await connect();
  let seq = 0;
  return { publish: (text) => publisher.emit('announce', peerEvent(++seq, text)),
    close: () => sockets.concat(publisher).forEach((s) => s.disconnect()) };
}

/** The same event, field for field and byte for byte within a few, as the bridge delivers. */
function peerEvent(seq, text) {
  const id = () => crypto.randomUUID();
  const codelabId = '0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
  return { codelabId, seq, epoch: '9f2c41d0a6b34e1f8c2d7a5b0e913c68', stream: 'public', attendeeId: null,
    streamSeq: seq, type: 'announcement.posted', eventId: null, at: Date.now(),
    data: { announcement: { id: id(), codelabId, text, pinned: false, authorId: id(),
      authorName: 'Administrator', createdAt: Date.now() } } };
}

async function measure(name, start, run, clients) {
  const server = await start(clients);
  const processes = [server.child, ...(server.others ?? [])];
  // Memory is read on the first node that holds attendees, which holds its share of the sockets.
  const memoryNode = server.memoryNode ?? server.child;
  const pid = memoryNode.pid;
  await sleep(1000);
  const baseRss = rssMb(pid);
  const baseHeap = heapAfterGcMb(memoryNode);
  const latencies = histogram({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3 });
  const record = (text) => {
    const { round, ts } = JSON.parse(text);
    if (round >= WARM_UP) latencies.recordValue(Math.max(1, Math.round((now() - ts) * 1000)));
  };
  const drops = dropCounter();
  const load = await run(server, clients, record, drops);
  await sleep(2000);
  const serverCpu = () => processes.reduce((sum, child) => sum + cpuSeconds(child.pid), 0);
  const serverJit = () => processes.reduce((sum, child) => sum + jitCpuSeconds(child.pid), 0);
  let cpuBefore = 0;
  let jitBefore = 0;
  let generatorBefore = null;
  let started = 0;
  for (let round = 0; round < WARM_UP + ROUNDS; round++) {
    if (round === WARM_UP) {
      cpuBefore = serverCpu();
      jitBefore = serverJit();
      generatorBefore = process.cpuUsage();
      started = now();
    }
    load.publish(JSON.stringify({ round, ts: now() }));
    await sleep(1000);
  }
  await sleep(1000);
  const seconds = (now() - started) / 1000;
  const cpuUsed = serverCpu() - cpuBefore;
  const jit = (serverJit() - jitBefore) / seconds * 100;
  const generatorUsed = process.cpuUsage(generatorBefore);
  const generatorCpu = (generatorUsed.user + generatorUsed.system) / 1e6 / seconds * 100;
  const rss = rssMb(pid);
  const heap = heapAfterGcMb(memoryNode);
  const dropped = drops.count();
  const dropReasons = drops.reasons();
  load.close();
  for (const child of processes) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  }
  const deliveries = latencies.totalCount;
  const ms = (percentile) => (deliveries ? latencies.getValueAtPercentile(percentile) / 1000 : NaN);
  const localClients = clients / (server.urls?.length ?? 1);
  return {
    name, clients, deliveries,
    p50: ms(50), p99: ms(99), p999: ms(99.9), max: deliveries ? latencies.maxValue / 1000 : NaN,
    delivery: (100 * deliveries) / (clients * ROUNDS), dropped, dropReasons,
    cpuSecondsPerMillion: (cpuUsed / deliveries) * 1e6, cpu: (cpuUsed / seconds) * 100, jit, generatorCpu,
    rss, rssPerClientKb: ((rss - baseRss) * 1024) / localClients,
    heapPerClientKb: heap === null ? null : ((heap - baseHeap) * 1024) / localClients,
    nodes: name.startsWith('bridge (ours') ? NODES : 1,
  };
}

const kinds = {
  ours: [NODES === 1 ? 'bridge (ours)' : `bridge (ours, ${NODES} nodes${ATTENDEE_NODES < NODES
    ? `, attendees on ${ATTENDEE_NODES}` : ''})`, startOurs, runOurs],
  sockjs: ['bridge (ours, SockJS framing)', startOurs,
    (server, clients, record, drops) => runOurs(server, clients, record, drops, sockjsSocket)],
  peer: ['socket.io 4.8.4', startPeer, runPeer],
  floor: ['bare Vert.x WebSocket (floor)', startFloor, runFloor],
  limit: ['bare Vert.x SockJS bridge', startLimit, runLimit],
};
console.error(PINNING.note);
const OPEN_FILES_LIMIT = openFilesLimit();
const runs = [];
const notRun = [];
for (const clients of CLIENTS) {
  if (clients + OWN_FILES > OPEN_FILES_LIMIT) {
    const why = `the generator holds ${clients} sockets and may open ${OPEN_FILES_LIMIT} files (the hard limit of ulimit -n)`;
    for (const server of SERVERS) {
      notRun.push({ name: kinds[server][0], clients, why });
      console.error(`${kinds[server][0]}, ${clients} attendees: not run: ${why}`);
    }
    continue;
  }
  for (let repeat = 1; repeat <= REPEAT; repeat++) {
    for (const server of SERVERS) {
      runs.push({ ...await measure(...kinds[server], clients), repeat });
      const last = runs[runs.length - 1];
      console.error(`${last.name}, ${clients} attendees, run ${repeat}/${REPEAT}: p99 ${f(last.p99)} ms, `
        + `${f(last.cpuSecondsPerMillion)} CPU-s per million deliveries, ${last.dropped} sockets dropped by the server`
        + (last.dropped ? ` (${last.dropReasons})` : ''));
    }
  }
}
const summary = summarise(runs);
console.log(`${PINNING.note}; median (min-max) of ${REPEAT} runs, ${ROUNDS} measured rounds each`);
console.log('| server | attendees | p50 ms | p99 ms | p99.9 ms | max ms | delivered % | sockets dropped | CPU-s per M deliveries | server CPU % | of it JIT compiling % | generator CPU % | RSS MB | heap KB/attendee |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of summary) {
  console.log(`| ${r.name} | ${r.clients} | ${cell(r.p50)} | ${cell(r.p99)} | ${cell(r.p999)} | ${cell(r.max)} | ${cell(r.delivery)} | ${cell(r.dropped, 0)} | ${cell(r.cpuSecondsPerMillion)} | ${cell(r.cpu)} | ${cell(r.jit)} | ${cell(r.generatorCpu)} | ${cell(r.rss, 0)} | ${cell(r.heapPerClientKb)} |`);
}
for (const n of notRun) console.log(`Not run: ${n.name}, ${n.clients} attendees: ${n.why}.`);
if (args.json) {
  writeFileSync(args.json, JSON.stringify({ pinning: PINNING.note, rounds: ROUNDS, warmUp: WARM_UP, repeat: REPEAT,
    javaOptions: JAVA_OPTIONS.join(' '), summary, runs, notRun }, null, 2));
}
process.exit(0);
