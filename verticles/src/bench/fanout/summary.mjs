// Medians and spreads of the fan-out runs, shared by run.mjs (its table) and suite.mjs (the report).

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
      const values = group.map((r) => r[figure]).filter(Number.isFinite).sort((a, b) => a - b);
      const middle = values.length >> 1;
      summary[figure] = values.length === 0 ? null : {
        median: values.length % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2,
        min: values[0], max: values[values.length - 1],
      };
    }
    return summary;
  });
}

export const f = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** A summarised figure as "median (min-max)". */
export const cell = (figure, digits = 1) =>
  (figure ? `${f(figure.median, digits)} (${f(figure.min, digits)}-${f(figure.max, digits)})` : 'n/a');
