// REST benchmark: 20 attendees report progress over the REST API back to back (each its next report once the last
// is answered); requests per second and the server's CPU per request, after as many requests again as warm-up.
// Each run starts a fresh node with its own data directory, pinned away from this generator as run.mjs pins.
// Usage: node rest.mjs [--jar ../../../target/codelabs.jar] [--requests 10000] [--runs 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JAVA_OPTIONS, PINNING, api, cpuSeconds, firstLines, spawnServer } from './servers.mjs';
import { cell, spread } from './summary.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const JAR = args.jar ?? new URL('../../../target/codelabs.jar', import.meta.url).pathname;
const REQUESTS = Number(args.requests ?? 10_000);
const RUNS = Number(args.runs ?? 3);
const ATTENDEES = 20;

async function startNode() {
  const dataDir = mkdtempSync(join(tmpdir(), 'rest-bench-'));
  const child = spawnServer('java', [...JAVA_OPTIONS, '-jar', JAR, '--port', '0', '--bridge-port', '0',
    '--metrics-port', '0', '--tcp-bridge-port', '0', '--data-dir', dataDir]);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const banner = (await firstLines(child, 3, (lines) => lines.some((l) => l.includes('password:')))).join('\n');
  return {
    child,
    base: `http://127.0.0.1:${banner.match(/ready at http:\/\/localhost:(\d+)/)[1]}`,
    password: banner.match(/password: (\S+)/)[1],
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function run() {
  const node = await startNode();
  try {
    const admin = (await api(node.base, 'POST', '/api/auth/login', null,
      { username: 'admin', password: node.password, delivery: 'bearer' })).token;
    const steps = [1, 2, 3].map((i) => ({ title: `Step ${i}`, markdown: `Text ${i}`, durationMinutes: 5 }));
    const codelab = (await api(node.base, 'POST', '/api/codelabs', admin, { title: 'REST benchmark', steps })).id;
    const tokens = [];
    for (let i = 0; i < ATTENDEES; i++) {
      tokens.push((await api(node.base, 'POST', `/api/codelabs/${codelab}/attendees`, null,
        { nickname: `attendee-${i}`, personalCode: `code-${i}`, delivery: 'bearer' })).token);
    }
    // Counted rather than thrown: a refusal (429, 503) is a figure of the run.
    const refused = {};
    const report = async (token, step) => {
      const response = await fetch(`${node.base}/api/codelabs/${codelab}/progress`, { method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ step, completed: false }) });
      await response.arrayBuffer();
      if (response.status !== 200) refused[response.status] = (refused[response.status] ?? 0) + 1;
    };
    const reports = async (count) => {
      let sent = 0;
      await Promise.all(tokens.map(async (token) => {
        while (sent < count) {
          sent++;
          await report(token, 1 + (sent % 2));
        }
      }));
    };
    await reports(REQUESTS);
    const cpuBefore = cpuSeconds(node.child.pid);
    const began = performance.now();
    await reports(REQUESTS);
    const elapsed = performance.now() - began;
    return { perSecond: REQUESTS * 1000 / elapsed, cpuMicros: (cpuSeconds(node.child.pid) - cpuBefore) * 1e6 / REQUESTS,
      refused };
  } finally {
    await node.stop();
  }
}

console.error(PINNING.note);
const results = [];
for (let i = 0; i < RUNS; i++) {
  const result = await run();
  console.log(`run ${i + 1}/${RUNS}: ${result.perSecond.toFixed(0)} progress reports/s, ${result.cpuMicros.toFixed(0)} µs of `
    + `server CPU each, not 200: ${JSON.stringify(result.refused)}`);
  results.push(result);
}
console.log(`${JAR}: ${REQUESTS} measured REST progress reports by ${ATTENDEES} attendees, median (min-max) of ${RUNS} runs: `
  + `${cell(spread(results.map((r) => r.perSecond)), 0)} per second, ${cell(spread(results.map((r) => r.cpuMicros)), 0)} µs of `
  + 'server CPU each');
