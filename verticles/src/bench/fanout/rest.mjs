// REST benchmark: 20 attendees report progress over the REST API back to back (each its next report once the last
// is answered); requests per second and the server's CPU per request, after as many requests again as warm-up.
// Each run starts a fresh node with its own data directory. Where `taskset` exists the node runs on CPU 1; run this
// generator on CPU 0 (`taskset -c 0 node rest.mjs`) so that neither queues behind the other.
// Usage: node rest.mjs [--jar ../../../target/codelabs.jar] [--requests 10000] [--runs 3]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const JAR = args.jar ?? new URL('../../../target/codelabs.jar', import.meta.url).pathname;
const REQUESTS = Number(args.requests ?? 10_000);
const RUNS = Number(args.runs ?? 3);
const ATTENDEES = 20;
const JAVA_OPTIONS = (process.env.BENCH_JAVA_OPTS ?? '-XX:+UseSerialGC -Xms32m -Xmx512m -XX:MaxNewSize=32m '
  + '-XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:MaxDirectMemorySize=256m -XX:TrimNativeHeapInterval=5000')
  .split(' ').filter(Boolean);

function hasTaskset() {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function startNode() {
  const dataDir = mkdtempSync(join(tmpdir(), 'rest-bench-'));
  const command = ['java', ...JAVA_OPTIONS, '-jar', JAR, '--port', '0', '--bridge-port', '0', '--metrics-port', '0',
    '--tcp-bridge-port', '0', '--data-dir', dataDir];
  const child = hasTaskset() ? spawn('taskset', ['-c', '1', ...command], { stdio: ['ignore', 'pipe', 'ignore'] })
    : spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
  let banner = '';
  child.stdout.on('data', (data) => { banner += data; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  while (!/password: (\S+)/.test(banner)) {
    if (child.exitCode !== null) throw new Error('The node exited before it was ready:\n' + banner);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url: banner.match(/ready at (http:\/\/\S+)/)[1].replace('localhost', '127.0.0.1'),
    password: banner.match(/password: (\S+)/)[1],
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** User and system CPU of the node's process, in milliseconds (taskset execs java in its own process). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1000 / 100;
}

async function run() {
  const node = await startNode();
  try {
    const post = async (path, token, body) => {
      const response = await fetch(node.url + path, { method: 'POST', body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      return { status: response.status, json: await response.json().catch(() => null) };
    };
    const admin = (await post('/api/auth/login', null, { username: 'admin', password: node.password, delivery: 'bearer' }))
      .json.token;
    const steps = [1, 2, 3].map((i) => ({ title: `Step ${i}`, markdown: `Text ${i}`, durationMinutes: 5 }));
    const codelab = (await post('/api/codelabs', admin, { title: 'REST benchmark', steps })).json.id;
    const tokens = [];
    for (let i = 0; i < ATTENDEES; i++) {
      tokens.push((await post(`/api/codelabs/${codelab}/attendees`, null,
        { nickname: `attendee-${i}`, personalCode: `code-${i}`, delivery: 'bearer' })).json.token);
    }
    const refused = {};
    const reports = async (count) => {
      let sent = 0;
      await Promise.all(tokens.map(async (token) => {
        while (sent < count) {
          sent++;
          const { status } = await post(`/api/codelabs/${codelab}/progress`, token, { step: 1 + (sent % 2), completed: false });
          if (status !== 200) refused[status] = (refused[status] ?? 0) + 1;
        }
      }));
    };
    await reports(REQUESTS);
    const cpuBefore = cpuMs(node.child.pid);
    const began = performance.now();
    await reports(REQUESTS);
    const elapsed = performance.now() - began;
    return { perSecond: REQUESTS * 1000 / elapsed, cpuMicros: (cpuMs(node.child.pid) - cpuBefore) * 1000 / REQUESTS, refused };
  } finally {
    await node.stop();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values, digits) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}-`
  + `${Math.max(...values).toFixed(digits)})`;
const results = [];
for (let i = 0; i < RUNS; i++) {
  const result = await run();
  console.log(`run ${i + 1}/${RUNS}: ${result.perSecond.toFixed(0)} progress reports/s, ${result.cpuMicros.toFixed(0)} µs of `
    + `server CPU each, not 200: ${JSON.stringify(result.refused)}`);
  results.push(result);
}
console.log(`${JAR}: ${REQUESTS} measured REST progress reports by ${ATTENDEES} attendees, median (min-max) of ${RUNS} runs: `
  + `${spread(results.map((r) => r.perSecond), 0)} per second, ${spread(results.map((r) => r.cpuMicros), 0)} µs of server CPU each`);
