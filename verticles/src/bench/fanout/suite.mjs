// The benchmark suite in one command: start-up times, writer throughput next to the raw SQLite
// limit, fan-out for ours, a socket.io peer and a bare Vert.x bridge (the limit) at several
// attendee counts, and ours as a 3-node cluster. Writes target/bench/report.md and latency.svg.
// Usage (from the repository root, after `mvn -B -q package -DskipTests`):
//   cd verticles/src/bench/fanout && npm ci && node suite.mjs [--clients 1000,5000] [--cluster-clients 3000]
//   [--only startup,writer,fanout,cluster]
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const ROOT = new URL('../../../../', import.meta.url).pathname;
const MODULE = join(ROOT, 'verticles');
const OUT = join(MODULE, 'target', 'bench');
const JAR = join(MODULE, 'target', 'codelabs.jar');
const CLIENTS = args.clients ?? '1000,5000';
const CLUSTER_CLIENTS = args['cluster-clients'] ?? '3000';
mkdirSync(OUT, { recursive: true });

function readyMs(extra) {
  return new Promise((resolve, reject) => {
    const dataDir = extra.dataDir ?? mkdtempSync(join(tmpdir(), 'codelabs-start-'));
    const child = spawn('java', ['-Xmx512m', '-jar', JAR, '--port', '0', '--bridge-port', '0', '--data-dir', dataDir,
      ...(extra.args ?? [])], { stdio: ['ignore', 'pipe', 'ignore'] });
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

// --only writer,fanout,cluster,startup runs those parts again; the report uses the latest results of every part.
const parts = (args.only ?? 'startup,writer,fanout,cluster').split(',');
const here = new URL('.', import.meta.url).pathname;
if (parts.includes('startup')) writeFileSync(join(OUT, 'startup.json'), JSON.stringify(await startUp(), null, 2));
if (parts.includes('writer')) {
  run('mvn', ['-B', '-q', 'test', '-Dweb.skip=true', '-Dtest=WriterBenchmark', '-Dbench.excluded=none',
    '-Dsurefire.failIfNoSpecifiedTests=false'], MODULE);
}
if (parts.includes('fanout')) {
  run('node', ['run.mjs', '--clients', CLIENTS, '--servers', args.servers ?? 'ours,peer,limit', '--rounds', '20',
    '--warmup', '20', '--json', join(OUT, 'fanout.json')], here);
}
if (parts.includes('cluster')) {
  run('node', ['run.mjs', '--clients', CLUSTER_CLIENTS, '--servers', 'ours', '--nodes', '3', '--rounds', '20',
    '--warmup', '20', '--json', join(OUT, 'fanout-cluster.json')], here);
}
const startup = JSON.parse(readFileSync(join(OUT, 'startup.json'), 'utf8'));
const writer = JSON.parse(readFileSync(join(OUT, 'writer.json'), 'utf8'));
const fanout = JSON.parse(readFileSync(join(OUT, 'fanout.json'), 'utf8'));
const cluster = JSON.parse(readFileSync(join(OUT, 'fanout-cluster.json'), 'utf8'));

const f = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const byServer = (prefix) => fanout.filter((r) => r.name.startsWith(prefix));
const ours = byServer('bridge (ours)');
const peer = byServer('socket.io');
const limit = byServer('bare');
const at = (rows, clients) => rows.find((r) => r.clients === clients);
const maxWithin = (rows, ms) => Math.max(0, ...rows.filter((r) => r.p99 <= ms && r.delivery === 100).map((r) => r.clients));

const lines = [];
lines.push(`# Benchmark report`, '');
lines.push(`Machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB; generator on the same machine; ${new Date().toISOString()}.`, '');
lines.push('## Start-up to ready', '', '| single node, first start | single node, restart | clustered, core node | clustered, edge node |', '|---|---|---|---|');
lines.push(`| ${startup.firstStartMs} ms | ${startup.restartMs} ms | ${startup.clusteredCoreMs} ms | ${startup.clusteredEdgeMs} ms |`, '');
lines.push('## Writer: acknowledged progress writes', '', '| synchronous | producers | writes/s | ack p50 ms | ack p99 ms | commands/transaction | raw batch insert rows/s | of raw % |', '|---|---|---|---|---|---|---|---|');
for (const r of writer) {
  lines.push(`| ${r.synchronous} | ${r.producers} | ${f(r.writesPerSecond, 0)} | ${f(r.ackP50Ms, 2)} | ${f(r.ackP99Ms, 2)} | ${f(r.commandsPerTransaction)} | ${f(r.rawRowsPerSecond, 0)} | ${f(r.ofRawPercent)} |`);
}
lines.push('', '## Fan-out: one announcement a second to every attendee', '', '| server | nodes | attendees | p50 ms | p99 ms | max ms | delivered % | CPU % | RSS MB | RSS KB/attendee | heap KB/attendee |', '|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of [...fanout, ...cluster]) {
  lines.push(`| ${r.name} | ${r.nodes} | ${r.clients} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.max)} | ${f(r.delivery)} | ${f(r.cpu)} | ${f(r.rss, 0)} | ${f(r.rssPerClientKb)} | ${f(r.heapPerClientKb)} |`);
}
lines.push('', '## Ratios', '', '| attendees | ours/peer p99 | ours/limit p99 |', '|---|---|---|');
for (const r of ours) {
  lines.push(`| ${r.clients} | ${f(r.p99 / at(peer, r.clients)?.p99, 2)} | ${f(r.p99 / at(limit, r.clients)?.p99, 2)} |`);
}
lines.push('', `Most attendees measured with p99 ≤ 200 ms and full delivery: ours ${maxWithin(ours, 200)}, peer ${maxWithin(peer, 200)}, limit ${maxWithin(limit, 200)} (ours/peer ${f(maxWithin(ours, 200) / maxWithin(peer, 200), 2)}).`, '');
lines.push('![p99 latency against attendees](latency.svg)', '');
writeFileSync(join(OUT, 'report.md'), lines.join('\n'));
writeFileSync(join(OUT, 'latency.svg'), plot([['ours', ours, '#2563eb'], ['socket.io peer', peer, '#f59e0b'], ['bare bridge (limit)', limit, '#10b981']]));
console.log(lines.join('\n'));

/** p99 latency against attendees, one line per server. */
function plot(series) {
  const width = 640;
  const height = 400;
  const pad = 56;
  const all = series.flatMap(([, rows]) => rows);
  const maxX = Math.max(...all.map((r) => r.clients));
  const maxY = Math.max(50, ...all.map((r) => r.p99)) * 1.1;
  const x = (v) => pad + (v / maxX) * (width - 2 * pad);
  const y = (v) => height - pad - (v / maxY) * (height - 2 * pad);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#333"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#333"/>`,
    `<text x="${width / 2}" y="${height - 16}" text-anchor="middle">attendees</text>`,
    `<text x="16" y="${height / 2}" transform="rotate(-90 16 ${height / 2})" text-anchor="middle">p99 latency (ms)</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 4) * i;
    parts.push(`<text x="${pad - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`);
    parts.push(`<line x1="${pad}" y1="${y(v)}" x2="${width - pad}" y2="${y(v)}" stroke="#eee"/>`);
  }
  for (const r of all.filter((r, i, rows) => rows.findIndex((o) => o.clients === r.clients) === i)) {
    parts.push(`<text x="${x(r.clients)}" y="${height - pad + 16}" text-anchor="middle">${r.clients}</text>`);
  }
  series.forEach(([name, rows, colour], i) => {
    const points = rows.map((r) => `${x(r.clients)},${y(r.p99)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    rows.forEach((r) => parts.push(`<circle cx="${x(r.clients)}" cy="${y(r.p99)}" r="3" fill="${colour}"/>`));
    parts.push(`<text x="${pad + 10}" y="${pad + 16 * i}" fill="${colour}">${name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
