// Medians and spreads of the benchmark runs, shared by run.mjs (its table), suite.mjs (the report) and rest.mjs.

export const FIGURES = ['p50', 'p99', 'p999', 'max', 'delivery', 'dropped', 'cpuSecondsPerMillion', 'cpu', 'jit', 'generatorCpu',
  'rss', 'rssPerClientKb', 'heapPerClientKb'];

/** Median and spread (min-max) of every figure over the runs of one server at one size, in first-run order. */
export function summarise(runs) {
  const groups = new Map();
  for (const run of runs) {
    const key = `${run.name} at ${run.clients}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const summary = { name: group[0].name, clients: group[0].clients, nodes: group[0].nodes, runs: group.length };
    for (const figure of FIGURES) {
      summary[figure] = spread(group.map((r) => r[figure]));
    }
    return summary;
  });
}

/** Median and min-max of the finite values; null when there is none. */
export function spread(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length === 0 ? null : {
    median: sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2,
    min: sorted[0], max: sorted[sorted.length - 1],
  };
}

export const f = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** A summarised figure as "median (min-max)". */
export const cell = (figure, digits = 1) =>
  (figure ? `${f(figure.median, digits)} (${f(figure.min, digits)}-${f(figure.max, digits)})` : 'n/a');
