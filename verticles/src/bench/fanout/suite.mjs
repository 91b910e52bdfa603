// The benchmark suite in one command: start-up times, writer throughput next to the raw SQLite
// limit, fan-out for ours, a socket.io peer and a bare Vert.x WebSocket server (the floor) at
// several attendee counts, and ours as a 4-node cluster (the facilitator on the writer's node, the
// attendees on the three others). Writes verticles/target/bench/report.md and fanout.svg (p99 and
// CPU-seconds per million deliveries against attendees, one line per server).
// Usage (from the repository root, after `mvn -B -q package -DskipTests`, which also compiles the floor):
//   cd verticles/src/bench/fanout && npm ci && node suite.mjs [--clients 1000,5000,10000,20000]
//   [--cluster-clients 15000] [--repeat 3] [--rounds 20] [--warmup 20] [--servers ours,peer,floor]
//   [--only startup,writer,fanout,cluster]
// Each fan-out size runs --repeat times alternating the servers; the report gives medians with
// their min-max spread. The generator and the servers are pinned to separate CPUs with taskset
// where the machine allows it (the report says whether they were). Server JVMs take
// BENCH_JAVA_OPTS (default: the README's JVM sizing with -Xmx512m). A small smoke run: node suite.mjs --only fanout
// --clients 200,500 --repeat 3 --rounds 5 --warmup 5
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cell, f } from './summary.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const ROOT = new URL('../../../../', import.meta.url).pathname;
const MODULE = join(ROOT, 'verticles');
const OUT = join(MODULE, 'target', 'bench');
const JAR = join(MODULE, 'target', 'codelabs.jar');
const CLIENTS = args.clients ?? '1000,5000,10000,20000';
const CLUSTER_CLIENTS = args['cluster-clients'] ?? '15000';
const REPEAT = args.repeat ?? '3';
const ROUNDS = args.rounds ?? '20';
const WARM_UP = args.warmup ?? '20';
mkdirSync(OUT, { recursive: true });

function readyMs(extra) {
  return new Promise((resolve, reject) => {
    const dataDir = extra.dataDir ?? mkdtempSync(join(tmpdir(), 'codelabs-start-'));
    const child = spawn('java', ['-Xmx512m', '-jar', JAR, '--port', '0', '--bridge-port', '0', '--metrics-port', '0',
      '--tcp-bridge-port', '0', '--data-dir', dataDir, ...(extra.args ?? [])], { stdio: ['ignore', 'pipe', 'ignore'] });
    const reader = createInterface({ input: child.stdout });
    reader.on('line', (line) => {
      const started = line.match(/started in (\d+) ms/);
      if (started) resolve({ child, dataDir, ms: Number(started[1]) });
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

async function stop(child) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
}

async function startUp() {
  const first = await readyMs({});
  await stop(first.child);
  const restarts = [];
  for (let i = 0; i < 3; i++) {
    const again = await readyMs({ dataDir: first.dataDir });
    restarts.push(again.ms);
    await stop(again.child);
  }
  const core = await readyMs({ args: ['--cluster'] });
  const edge = await readyMs({ args: ['--cluster', '--roles', 'api,bridge'] });
  await stop(edge.child);
  await stop(core.child);
  return { firstStartMs: first.ms, restartMs: Math.min(...restarts), clusteredCoreMs: core.ms, clusteredEdgeMs: edge.ms };
}

function run(command, commandArgs, cwd) {
  console.error(`> ${command} ${commandArgs.join(' ')}`);
  execFileSync(command, commandArgs, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

// --only writer,reads,fanout,cluster,startup runs those parts again; the report uses the latest results of every part.
const parts = (args.only ?? 'startup,writer,reads,fanout,cluster').split(',');
const here = new URL('.', import.meta.url).pathname;
if (parts.includes('startup')) writeFileSync(join(OUT, 'startup.json'), JSON.stringify(await startUp(), null, 2));
if (parts.includes('writer')) {
  run('mvn', ['-B', '-q', 'test', '-Dweb.skip=true', '-Dtest=WriterBenchmark', '-Dbench.excluded=none',
    '-Dsurefire.failIfNoSpecifiedTests=false'], MODULE);
}
if (parts.includes('reads')) {
  run('mvn', ['-B', '-q', 'test', '-Dweb.skip=true', '-Dtest=ReadBenchmark', '-Dbench.excluded=none',
    '-Dsurefire.failIfNoSpecifiedTests=false'], MODULE);
}
if (parts.includes('fanout')) {
  run('node', ['run.mjs', '--clients', CLIENTS, '--servers', args.servers ?? 'ours,peer,floor', '--repeat', REPEAT,
    '--rounds', ROUNDS, '--warmup', WARM_UP, '--json', join(OUT, 'fanout.json')], here);
}
if (parts.includes('cluster')) {
  run('node', ['run.mjs', '--clients', CLUSTER_CLIENTS, '--servers', 'ours', '--nodes', '4', '--attendee-nodes', '3',
    '--repeat', REPEAT, '--rounds', ROUNDS, '--warmup', WARM_UP, '--json', join(OUT, 'fanout-cluster.json')], here);
}
// A part never run leaves its section out of the report.
const latest = (file) => (existsSync(join(OUT, file)) ? JSON.parse(readFileSync(join(OUT, file), 'utf8')) : null);
const startup = latest('startup.json');
const writer = latest('writer.json');
const reads = latest('reads.json');
const fanout = latest('fanout.json');
const cluster = latest('fanout-cluster.json');

const rows = fanout?.summary ?? [];
const byServer = (prefix) => rows.filter((r) => r.name.startsWith(prefix));
const ours = byServer('bridge (ours)');
const peer = byServer('socket.io');
const floor = byServer('bare Vert.x WebSocket');
const at = (serverRows, clients) => serverRows.find((r) => r.clients === clients);
const ratio = (figure, r, other) => f(r[figure]?.median / at(other, r.clients)?.[figure]?.median, 2);
const maxWithin = (serverRows, ms) => Math.max(0, ...serverRows
  .filter((r) => r.p99?.median <= ms && r.delivery?.min === 100).map((r) => r.clients));

const lines = [];
lines.push(`# Benchmark report`, '');
lines.push(`Machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB; generator on the same machine; ${new Date().toISOString()}.`, '');
if (startup) {
  lines.push('## Start-up to ready', '', '| single node, first start | single node, restart | clustered, core node | clustered, edge node |', '|---|---|---|---|');
  lines.push(`| ${startup.firstStartMs} ms | ${startup.restartMs} ms | ${startup.clusteredCoreMs} ms | ${startup.clusteredEdgeMs} ms |`, '');
}
if (writer) {
  lines.push('## Writer: acknowledged progress writes', '', '| writer | synchronous | producers | writes/s | ack p50 ms | ack p99 ms | commands/transaction | raw batch insert rows/s | of raw % |', '|---|---|---|---|---|---|---|---|---|');
  for (const r of writer) {
    lines.push(`| ${r.writer ?? '1 node'} | ${r.synchronous} | ${r.producers} | ${f(r.writesPerSecond, 0)} | ${f(r.ackP50Ms, 2)} | ${f(r.ackP99Ms, 2)} | ${f(r.commandsPerTransaction)} | ${f(r.rawRowsPerSecond, 0)} | ${f(r.ofRawPercent)} |`);
  }
  lines.push('');
}
if (reads) {
  lines.push('## Reads on three core nodes: the leader against a follower', '',
    `Median of ${reads[0].rounds} alternating rounds with their spread (min-max); a follower's read waits for the log's read barrier first.`, '',
    '| core node read | meanwhile | readers | reads/s | p50 ms | p99 ms | failed |', '|---|---|---|---|---|---|---|');
  for (const r of reads) {
    lines.push(`| ${r.node} | ${r.meanwhile} | ${r.readers} | ${cell(r.readsPerSecond, 0)} | ${cell(r.p50Ms, 2)} | ${cell(r.p99Ms, 2)} | ${r.failures} |`);
  }
  lines.push('');
}
for (const [title, result] of [['Fan-out: one announcement a second to every attendee', fanout],
  ['Fan-out: ours as a cluster, the facilitator on the writer\'s node, the attendees on three other nodes', cluster]].filter(([, result]) => result)) {
  lines.push(`## ${title}`, '');
  lines.push(`${result.pinning}. Every figure is the median of ${result.repeat} runs with their spread (min-max); the servers alternate run by run. `
    + `Latency from every delivery of ${result.rounds} measured rounds (after ${result.warmUp} warm-up rounds) in an HDR histogram. `
    + `CPU is the server's user+system time (every node's, for a cluster) over the measured rounds per million deliveries. `
    + `Generator CPU near 100 % means the generator, not the server, set the latency. `
    + `RSS and heap after a full GC are those of the first node holding attendees; server JVMs ran with \`${result.javaOptions}\`.`, '');
  lines.push('| server | nodes | attendees | p50 ms | p99 ms | p99.9 ms | max ms | delivered % | sockets dropped | CPU-s per M deliveries | CPU % | of it JIT compiling % | generator CPU % | RSS MB | heap KB/attendee |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of result.summary) {
    lines.push(`| ${r.name} | ${r.nodes} | ${r.clients} | ${cell(r.p50)} | ${cell(r.p99)} | ${cell(r.p999)} | ${cell(r.max)} | ${cell(r.delivery)} | ${cell(r.dropped, 0)} | ${cell(r.cpuSecondsPerMillion)} | ${cell(r.cpu)} | ${cell(r.jit)} | ${cell(r.generatorCpu)} | ${cell(r.rss, 0)} | ${cell(r.heapPerClientKb)} |`);
  }
  lines.push('');
  for (const n of result.notRun ?? []) lines.push(`Not run: ${n.name}, ${n.clients} attendees: ${n.why}.`, '');
}
if (ours.length) {
  lines.push('## Ours against the peer and the floor (medians)', '',
    '| attendees | p99 ours/peer | CPU ours/peer | RSS ours − peer MB | p99 ours/floor | CPU ours/floor |', '|---|---|---|---|---|---|');
  for (const r of ours) {
    lines.push(`| ${r.clients} | ${ratio('p99', r, peer)} | ${ratio('cpuSecondsPerMillion', r, peer)} | ${f(r.rss.median - at(peer, r.clients)?.rss.median, 0)} | ${ratio('p99', r, floor)} | ${ratio('cpuSecondsPerMillion', r, floor)} |`);
  }
  lines.push('', `Most attendees measured with median p99 ≤ 200 ms and full delivery in every run: ours ${maxWithin(ours, 200)}, peer ${maxWithin(peer, 200)}, floor ${maxWithin(floor, 200)}.`, '');
  lines.push('![p99 latency and CPU-seconds per million deliveries against attendees](fanout.svg)', '');
  const servers = [...new Set(rows.map((r) => r.name))];
  const colours = ['#2563eb', '#f59e0b', '#10b981', '#9333ea'];
  writeFileSync(join(OUT, 'fanout.svg'), plot(servers.map((name, i) => [name, rows.filter((r) => r.name === name), colours[i % colours.length]])));
}
writeFileSync(join(OUT, 'report.md'), lines.join('\n'));
console.log(lines.join('\n'));

/** The smallest axis top at or above the value whose four grid steps are round numbers. */
function roundUp(value) {
  const power = 10 ** Math.floor(Math.log10(value / 4));
  return 4 * power * [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((step) => 4 * power * step >= value);
}

/** One panel of the plot: a figure's median against attendees, with its min-max spread as whiskers. */
function panel(series, figure, label, left, width, height) {
  const pad = 56;
  const all = series.flatMap(([, serverRows]) => serverRows).filter((r) => r[figure]);
  const maxX = Math.max(...all.map((r) => r.clients));
  const maxY = roundUp(Math.max(1, ...all.map((r) => r[figure].max)));
  const x = (v) => left + pad + (v / maxX) * (width - 2 * pad);
  const y = (v) => height - pad - (v / maxY) * (height - 2 * pad);
  const parts = [`<line x1="${left + pad}" y1="${height - pad}" x2="${left + width - pad}" y2="${height - pad}" stroke="#333"/>`,
    `<line x1="${left + pad}" y1="${pad}" x2="${left + pad}" y2="${height - pad}" stroke="#333"/>`,
    `<text x="${left + width / 2}" y="${height - 16}" text-anchor="middle">attendees</text>`,
    `<text x="${left + 16}" y="${height / 2}" transform="rotate(-90 ${left + 16} ${height / 2})" text-anchor="middle">${label}</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 4) * i;
    parts.push(`<text x="${left + pad - 6}" y="${y(v) + 4}" text-anchor="end">${Number(v.toPrecision(3))}</text>`);
    parts.push(`<line x1="${left + pad}" y1="${y(v)}" x2="${left + width - pad}" y2="${y(v)}" stroke="#eee"/>`);
  }
  for (const clients of new Set(all.map((r) => r.clients))) {
    parts.push(`<text x="${x(clients)}" y="${height - pad + 16}" text-anchor="middle">${clients}</text>`);
  }
  for (const [, serverRows, colour] of series) {
    const measured = serverRows.filter((r) => r[figure]);
    parts.push(`<polyline points="${measured.map((r) => `${x(r.clients)},${y(r[figure].median)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const r of measured) {
      parts.push(`<line x1="${x(r.clients)}" y1="${y(r[figure].min)}" x2="${x(r.clients)}" y2="${y(r[figure].max)}" stroke="${colour}"/>`);
      parts.push(`<circle cx="${x(r.clients)}" cy="${y(r[figure].median)}" r="3" fill="${colour}"/>`);
    }
  }
  return parts;
}

/** p99 latency and CPU-seconds per million deliveries against attendees, one line per server. */
function plot(series) {
  const width = 560;
  const height = 400;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${2 * width}" height="${height + 24}" font-family="sans-serif" font-size="12">`,
    `<rect width="${2 * width}" height="${height + 24}" fill="white"/>`,
    ...panel(series, 'p99', 'p99 latency (ms)', 0, width, height),
    ...panel(series, 'cpuSecondsPerMillion', 'server CPU-seconds per million deliveries', width, width, height)];
  series.forEach(([name, , colour], i) => parts.push(`<text x="${72 + 220 * i}" y="${height + 16}" fill="${colour}">${name}</text>`));
  parts.push('</svg>');
  return parts.join('\n');
}
