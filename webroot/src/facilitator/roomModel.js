/** What one attendee is doing at one step, most urgent first: the order a mixed heat-map cell is coloured by. */
export const STATES = ['help', 'stuck', 'here', 'done', 'ahead'];

export function stateAt(attendee, step) {
  if (attendee.currentStep === step) {
    if (attendee.help) return 'help';
    return attendee.stuck ? 'stuck' : 'here';
  }
  return attendee.completed.has(step) ? 'done' : 'ahead';
}

/** Per step: how many finished it, and of those on it how many work, are stuck, or asked for help. */
export function stepTotals(attendees, stepCount) {
  const totals = Array.from({ length: stepCount }, () => ({ done: 0, working: 0, stuck: 0, asking: 0 }));
  for (const attendee of attendees) {
    for (const step of attendee.completed) if (step < stepCount) totals[step].done += 1;
    const here = totals[attendee.currentStep];
    if (!here) continue;
    if (attendee.help) here.asking += 1;
    else if (attendee.stuck) here.stuck += 1;
    else here.working += 1;
  }
  return totals;
}

/** The people waiting longest: open help requests by their age, then stuck attendees by their time on step. */
export function longestWaits(attendees, now, limit) {
  const waits = [];
  for (const attendee of attendees) {
    if (!attendee.help && !attendee.stuck) continue;
    const since = attendee.help && attendee.helpSince ? attendee.helpSince : attendee.startedAt;
    waits.push({ id: attendee.id, nickname: attendee.nickname, step: attendee.currentStep,
      kind: attendee.help ? 'help' : 'stuck', waitMs: Math.max(0, now - since) });
  }
  waits.sort((a, b) => (a.kind === b.kind ? b.waitMs - a.waitMs : a.kind === 'help' ? -1 : 1));
  return waits.slice(0, limit);
}

const byStep = (a, b) => a.currentStep - b.currentStep;
const urgency = (attendee) => (attendee.help ? 2 : attendee.stuck ? 1 : 0);

/**
 * The heat map's columns in the chosen arrangement. 'table' keeps the table's order; 'step' groups by
 * current step (furthest behind first); 'stuck' puts those asking or stuck first, longest on step first.
 * Each group is a run of attendees the map separates and labels.
 */
export function heatGroups(order, arrangement) {
  if (arrangement === 'table') return order.length ? [{ key: 'all', step: null, attendees: order }] : [];
  const sorted = [...order];
  if (arrangement === 'step') {
    sorted.sort((a, b) => byStep(a, b) || a.startedAt - b.startedAt);
    const groups = [];
    for (const attendee of sorted) {
      const last = groups.at(-1);
      if (last && last.step === attendee.currentStep) last.attendees.push(attendee);
      else groups.push({ key: `step-${attendee.currentStep}`, step: attendee.currentStep, attendees: [attendee] });
    }
    return groups;
  }
  sorted.sort((a, b) => urgency(b) - urgency(a) || a.startedAt - b.startedAt);
  return sorted.length ? [{ key: 'stuck', step: null, attendees: sorted }] : [];
}

/**
 * Columns that fit into `capacity` cells: one per attendee when they fit, otherwise each column holds
 * `perColumn` neighbours of one group (never two groups), so a thousand people still read as a map.
 */
export function heatColumns(groups, capacity) {
  const total = groups.reduce((sum, group) => sum + group.attendees.length, 0);
  const usable = Math.max(1, capacity - Math.max(0, groups.length - 1));
  const perColumn = total <= usable ? 1 : Math.ceil(total / Math.max(1, usable - groups.length));
  const columns = [];
  groups.forEach((group, index) => {
    for (let start = 0; start < group.attendees.length; start += perColumn) {
      columns.push({ group: index, attendees: group.attendees.slice(start, start + perColumn) });
    }
  });
  return { columns, perColumn };
}

/**
 * A column's state at a step: asking, stuck or working as soon as one person in it is, so nobody's
 * place in the codelab is averaged away; otherwise done or not yet, whichever most of them are.
 */
export function columnState(attendees, step) {
  const counts = { help: 0, stuck: 0, here: 0, done: 0, ahead: 0 };
  for (const attendee of attendees) counts[stateAt(attendee, step)] += 1;
  const present = ['help', 'stuck', 'here'].find((state) => counts[state] > 0);
  return { state: present ?? (counts.done > counts.ahead ? 'done' : 'ahead'), counts };
}

/** The attendee a click on a column means: the most urgent one at that step, else the first. */
export function attendeeToFocus(attendees, step) {
  for (const wanted of STATES) {
    const found = attendees.find((attendee) => stateAt(attendee, step) === wanted);
    if (found) return found;
  }
  return attendees[0] ?? null;
}
