import { describe, expect, it } from 'vitest';
import { arrowTarget, attendeePath, parseAttendeePath, progressOf, unfinished } from '../../src/attendee/attendeeRoute.js';

const key = (name, extra = {}) => ({ key: name, target: { tagName: 'BODY', closest: () => null }, ...extra });

describe('attendee addresses', () => {
  it('names a step counted from one, and reads it back counted from zero', () => {
    expect(attendeePath('c1', { kind: 'step', position: 2 })).toBe('/c/c1/step/3');
    expect(parseAttendeePath('/c/c1/step/3')).toEqual({ codelabId: 'c1', view: { kind: 'step', position: 2 } });
    expect(parseAttendeePath('/c/c1/step/3/')).toEqual({ codelabId: 'c1', view: { kind: 'step', position: 2 } });
  });

  it('reads the codelab alone as resume, and the completion, materials and hand-in tabs', () => {
    expect(parseAttendeePath('/c/c1')).toEqual({ codelabId: 'c1', view: { kind: 'resume' } });
    for (const kind of ['done', 'materials', 'hand-in']) {
      expect(parseAttendeePath(`/c/c1/${kind}`)).toEqual({ codelabId: 'c1', view: { kind } });
      expect(attendeePath('c1', { kind })).toBe(`/c/c1/${kind}`);
    }
  });

  it('is not an attendee page for anything else', () => {
    for (const path of ['/c', '/c/', '/c/c1/step', '/c/c1/step/two', '/c/c1/step/-1', '/c/c1/other', '/x/c1', '/c/c1/step/3/more']) {
      expect(parseAttendeePath(path), path).toBeNull();
    }
  });

  it('escapes and unescapes the codelab id', () => {
    const path = attendeePath('a b', { kind: 'step', position: 0 });
    expect(path).toBe('/c/a%20b/step/1');
    expect(parseAttendeePath(path).codelabId).toBe('a b');
  });
});

describe('progress', () => {
  it('counts completed steps, not where the attendee stands', () => {
    expect(progressOf([], 4)).toEqual({ done: 0, total: 4, percent: 0 });
    expect(progressOf([0, 1], 3)).toEqual({ done: 2, total: 3, percent: 67 });
  });

  it('ignores steps that no longer exist and survives a codelab without steps', () => {
    expect(progressOf([0, 5, 9], 3)).toEqual({ done: 1, total: 3, percent: 33 });
    expect(progressOf([], 0)).toEqual({ done: 0, total: 0, percent: 0 });
  });

  it('lists the steps jumped over and still ahead', () => {
    expect(unfinished([0, 3], 5)).toEqual([1, 2, 4]);
    expect(unfinished([0, 1, 2], 3)).toEqual([]);
  });
});

describe('arrow keys', () => {
  it('move one step either way, never past the ends', () => {
    expect(arrowTarget(key('ArrowRight'), 1, 4)).toBe(2);
    expect(arrowTarget(key('ArrowLeft'), 1, 4)).toBe(0);
    expect(arrowTarget(key('ArrowLeft'), 0, 4)).toBeNull();
    expect(arrowTarget(key('ArrowRight'), 3, 4)).toBeNull();
    expect(arrowTarget(key('ArrowDown'), 1, 4)).toBeNull();
  });

  it('do nothing while the attendee types, uses a modifier or works a tab list', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT']) {
      expect(arrowTarget(key('ArrowRight', { target: { tagName, closest: () => null } }), 1, 4), tagName).toBeNull();
    }
    expect(arrowTarget(key('ArrowRight', { target: { tagName: 'DIV', isContentEditable: true, closest: () => null } }), 1, 4)).toBeNull();
    for (const modifier of ['altKey', 'ctrlKey', 'metaKey', 'shiftKey']) {
      expect(arrowTarget(key('ArrowRight', { [modifier]: true }), 1, 4), modifier).toBeNull();
    }
    expect(arrowTarget(key('ArrowRight', { defaultPrevented: true }), 1, 4)).toBeNull();
    expect(arrowTarget(key('ArrowRight', { target: { tagName: 'BUTTON', closest: () => ({}) } }), 1, 4)).toBeNull();
  });
});
