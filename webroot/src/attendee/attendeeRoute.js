/**
 * The attendee's addresses: `/c/{id}` (where they left off), `/c/{id}/step/{n}` (n counts from 1),
 * `/c/{id}/done` (the completion screen), `/c/{id}/materials` and `/c/{id}/hand-in` (their own tabs).
 */
const PATTERN = /^\/c\/([^/]+)(?:\/(?:step\/([0-9]{1,4})|(done|materials|hand-in)))?\/?$/;

/** The codelab and the view a path names, or null for a path that is not an attendee page. */
export function parseAttendeePath(path) {
  const found = PATTERN.exec(path);
  if (!found) return null;
  const codelabId = decodeURIComponent(found[1]);
  if (found[2] !== undefined) return { codelabId, view: { kind: 'step', position: Number(found[2]) - 1 } };
  if (found[3] !== undefined) return { codelabId, view: { kind: found[3] } };
  return { codelabId, view: { kind: 'resume' } };
}

export function attendeePath(codelabId, view) {
  const base = `/c/${encodeURIComponent(codelabId)}`;
  if (view.kind === 'step') return `${base}/step/${view.position + 1}`;
  if (view.kind === 'resume') return base;
  return `${base}/${view.kind}`;
}

/** Completed steps that still exist, out of all steps: what progress shows, never where the attendee stands. */
export function progressOf(completed, total) {
  const done = completed.filter((position) => position >= 0 && position < total).length;
  return { done, total, percent: total ? Math.round((done / total) * 100) : 0 };
}

/** Positions of the steps not completed yet, in order: the ones jumped over through the contents, and any still ahead. */
export function unfinished(completed, total) {
  return Array.from({ length: total }, (_, position) => position).filter((position) => !completed.includes(position));
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** The step an arrow key asks for, or null: never while the attendee types or holds a modifier, never past either end. */
export function arrowTarget(event, current, count) {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const target = event.target;
  if (target && (TYPING.has(target.tagName) || target.isContentEditable)) return null;
  if (target?.closest?.('[role="tablist"], [role="dialog"]')) return null;
  if (event.key === 'ArrowLeft') return current > 0 ? current - 1 : null;
  if (event.key === 'ArrowRight') return current < count - 1 ? current + 1 : null;
  return null;
}
