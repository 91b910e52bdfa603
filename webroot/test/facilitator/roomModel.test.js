import { describe, expect, it } from 'vitest';
import {
  attendeeToFocus, columnState, heatColumns, heatGroups, longestWaits, stateAt, stepTotals
} from '../../src/facilitator/roomModel.js';

function person(id, currentStep, { completed = [], stuck = false, help = null, startedAt = 0, helpSince = null } = {}) {
  return { id, nickname: id, currentStep, completed: new Set(completed), stuck, help, startedAt, helpSince };
}

describe('stepTotals', () => {
  it('counts done per step and splits those on a step into working, stuck and asking', () => {
    const totals = stepTotals([
      person('ada', 2, { completed: [0, 1] }),
      person('bo', 1, { completed: [0], stuck: true }),
      person('cy', 1, { completed: [0], help: 'open', stuck: true }),
      person('di', 1, { completed: [0] }),
      person('ed', 0)
    ], 3);

    expect(totals).toEqual([
      { done: 4, working: 1, stuck: 0, asking: 0 },
      { done: 1, working: 1, stuck: 1, asking: 1 },
      { done: 0, working: 1, stuck: 0, asking: 0 }
    ]);
  });

  it('ignores steps beyond the codelab, as after a step was deleted', () => {
    expect(stepTotals([person('ada', 5, { completed: [4] })], 2)).toEqual([
      { done: 0, working: 0, stuck: 0, asking: 0 }, { done: 0, working: 0, stuck: 0, asking: 0 }
    ]);
  });
});

describe('longestWaits', () => {
  it('lists help requests by their age before stuck attendees by time on step, and nobody else', () => {
    const now = 100_000;
    const waits = longestWaits([
      person('stuck-long', 1, { stuck: true, startedAt: 0 }),
      person('asked-late', 1, { help: 'open', startedAt: 0, helpSince: 90_000 }),
      person('asked-early', 2, { help: 'claimed', startedAt: 50_000, helpSince: 60_000 }),
      person('stuck-short', 0, { stuck: true, startedAt: 70_000 }),
      person('working', 0, { startedAt: 0 })
    ], now, 3);

    expect(waits.map((wait) => [wait.nickname, wait.kind, wait.waitMs])).toEqual([
      ['asked-early', 'help', 40_000], ['asked-late', 'help', 10_000], ['stuck-long', 'stuck', 100_000]
    ]);
  });
});

describe('heatGroups', () => {
  const room = [
    person('a', 2, { startedAt: 5 }), person('b', 0, { startedAt: 9 }), person('c', 2, { startedAt: 1, stuck: true }),
    person('d', 1, { startedAt: 3, help: 'open' }), person('e', 0, { startedAt: 2 })
  ];

  it('keeps the table order as one group', () => {
    expect(heatGroups(room, 'table').map((group) => group.attendees.map((a) => a.id))).toEqual([['a', 'b', 'c', 'd', 'e']]);
  });

  it('groups by current step, furthest behind first, longest on the step first within a step', () => {
    const groups = heatGroups(room, 'step');
    expect(groups.map((group) => group.step)).toEqual([0, 1, 2]);
    expect(groups.map((group) => group.attendees.map((a) => a.id))).toEqual([['e', 'b'], ['d'], ['c', 'a']]);
  });

  it('puts those asking, then those stuck, first, each by time on step', () => {
    expect(heatGroups(room, 'stuck')[0].attendees.map((a) => a.id)).toEqual(['d', 'c', 'e', 'a', 'b']);
  });

  it('has no groups for an empty room', () => {
    expect(heatGroups([], 'step')).toEqual([]);
    expect(heatGroups([], 'table')).toEqual([]);
  });
});

describe('heatColumns', () => {
  const group = (step, count) => ({ step, attendees: Array.from({ length: count }, (_, i) => person(`${step}-${i}`, step)) });

  it('gives everyone a column when they fit', () => {
    const { columns, perColumn } = heatColumns([group(0, 3), group(1, 2)], 10);
    expect(perColumn).toBe(1);
    expect(columns.map((column) => column.group)).toEqual([0, 0, 0, 1, 1]);
  });

  it('aggregates a thousand attendees into the cells there are, never mixing two groups in a column', () => {
    const groups = Array.from({ length: 40 }, (_, step) => group(step, 25));
    const { columns, perColumn } = heatColumns(groups, 180);

    expect(perColumn).toBeGreaterThan(1);
    expect(columns.length + groups.length - 1).toBeLessThanOrEqual(180);
    expect(columns.reduce((sum, column) => sum + column.attendees.length, 0)).toBe(1000);
    for (const column of columns) {
      expect(column.attendees.length).toBeLessThanOrEqual(perColumn);
      expect(new Set(column.attendees.map((attendee) => attendee.currentStep)).size).toBe(1);
    }
  });
});

describe('columnState', () => {
  it('shows help or stuck when anyone in the column is, so a waiting person is never averaged away', () => {
    const column = [person('a', 1), person('b', 1), person('c', 1, { stuck: true })];
    expect(columnState(column, 1)).toEqual({ state: 'stuck', counts: { help: 0, stuck: 1, here: 2, done: 0, ahead: 0 } });
    expect(columnState([...column, person('d', 1, { help: 'open' })], 1).state).toBe('help');
  });

  it('shows where each person of the column is working, however few of them are on that step', () => {
    const column = [person('a', 0), person('b', 3, { completed: [0, 1, 2] }), person('c', 5, { completed: [0, 1, 2, 3, 4] })];
    expect([0, 3, 5].map((step) => columnState(column, step).state)).toEqual(['here', 'here', 'here']);
    expect(columnState(column, 1).state).toBe('done');
    expect(columnState(column, 4).state).toBe('ahead');
  });

  it('otherwise shows whether most of the column is done or not yet there', () => {
    const column = [person('a', 2, { completed: [0, 1] }), person('b', 2, { completed: [1] }), person('c', 2, { completed: [0] })];
    expect(columnState(column, 1).state).toBe('done');
    expect(columnState(column, 0).state).toBe('done');
    expect(columnState(column, 3).state).toBe('ahead');
  });
});

describe('attendeeToFocus', () => {
  it('picks the most urgent attendee of a column at that step', () => {
    const column = [person('a', 1), person('b', 1, { stuck: true }), person('c', 1, { help: 'open' })];
    expect(attendeeToFocus(column, 1).id).toBe('c');
    expect(attendeeToFocus(column.slice(0, 2), 1).id).toBe('b');
    expect(stateAt(column[0], 0)).toBe('ahead');
  });
});
