// How the benchmark scripts start server JVMs: with the README's sizing for one node, and on a CPU of their own.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

// The README's JVM sizing for one node, the same for every server JVM (ours, the floor and the limit).
export const JAVA_OPTIONS = (process.env.BENCH_JAVA_OPTS ?? '-XX:+UseSerialGC -Xms32m -Xmx512m -XX:MaxNewSize=32m '
  + '-XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:MaxDirectMemorySize=256m -XX:TrimNativeHeapInterval=5000')
  .split(' ').filter(Boolean);

/** Generator and servers on separate CPUs where the machine allows it; says why not otherwise. */
function pinning() {
  const allowed = readFileSync('/proc/self/status', 'utf8').split('\n')
    .find((l) => l.startsWith('Cpus_allowed_list')).split(/\s+/)[1].split(',')
    .flatMap((range) => {
      const [from, to = from] = range.split('-').map(Number);
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
  } catch {
    return { prefix: [], note: `not pinned: taskset not found; generator and servers share CPUs ${allowed.join(',')}` };
  }
  if (allowed.length < 2) {
    return { prefix: [], note: `not pinned: only CPU ${allowed[0]} is allowed; generator and servers share it` };
  }
  const [generator, server] = allowed;
  execFileSync('taskset', ['-a', '-p', '-c', String(generator), String(process.pid)], { stdio: 'ignore' });
  return { prefix: ['taskset', '-c', String(server)],
    note: `pinned with taskset: generator on CPU ${generator}, every server process on CPU ${server} (of ${allowed.length} allowed)` };
}

/** Pins this generator on import, as every script that starts servers wants. */
export const PINNING = pinning();

/** taskset execs the command in its own process, so the child's pid is the server's. */
export function spawnServer(command, commandArgs) {
  const [program, ...rest] = [...PINNING.prefix, command, ...commandArgs];
  return spawn(program, rest, { stdio: ['ignore', 'pipe', 'ignore'] });
}

/** User and system CPU a process has used so far. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The server's first lines on standard output, once they match (a banner, a port). */
export function firstLines(child, count, match) {
  return new Promise((resolve, reject) => {
    const lines = [];
    const reader = createInterface({ input: child.stdout });
    reader.on('line', (line) => {
      lines.push(line);
      if (match(lines)) resolve(lines);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${lines.join('\n')}`)));
  });
}

/** A JSON request to a node's REST API; fails on any answer but 2xx. */
export async function api(base, method, path, token, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
