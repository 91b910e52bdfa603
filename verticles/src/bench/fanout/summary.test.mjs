import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, summarise } from './summary.mjs';

const run = (name, clients, p99, heapPerClientKb = null) => ({ name, clients, nodes: 1, p99, heapPerClientKb });

test('each server and size gets the median of its runs and their spread', () => {
  const [ours, peer] = summarise([run('ours', 1000, 30), run('peer', 1000, 40), run('ours', 1000, 10),
    run('peer', 1000, 45), run('ours', 1000, 20), run('peer', 1000, 90), run('peer', 1000, 41)]);
  assert.deepEqual([ours.name, ours.runs, ours.p99], ['ours', 3, { median: 20, min: 10, max: 30 }]);
  assert.deepEqual([peer.name, peer.runs, peer.p99], ['peer', 4, { median: 43, min: 40, max: 90 }]);
});

test('sizes stay apart and a figure no run measured is null', () => {
  const summary = summarise([run('peer', 1000, 40), run('peer', 5000, 120)]);
  assert.deepEqual(summary.map((r) => [r.clients, r.p99.median, r.heapPerClientKb]), [[1000, 40, null], [5000, 120, null]]);
});

test('a cell reads median (min-max)', () => {
  assert.equal(cell({ median: 20, min: 10.04, max: 30 }), '20.0 (10.0-30.0)');
  assert.equal(cell(null), 'n/a');
});
