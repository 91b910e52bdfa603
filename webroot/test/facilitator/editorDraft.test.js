import { describe, expect, it } from 'vitest';
import { contentOf, storeDraft, loadDraft, clearDraft, draftToOffer, saveState } from '../../src/facilitator/editorDraft.js';
import { fromServer, newQuiz } from '../../src/facilitator/quizDraft.js';

class MemoryStorage {
  entries = new Map();
  getItem(key) { return this.entries.has(key) ? this.entries.get(key) : null; }
  setItem(key, value) { this.entries.set(key, String(value)); }
  removeItem(key) { this.entries.delete(key); }
}

class FullStorage extends MemoryStorage {
  setItem() { throw new DOMException('full', 'QuotaExceededError'); }
}

function draft() {
  return {
    title: 'Kotlin coroutines',
    summary: '',
    visibility: 'public',
    joinCode: '',
    joinsClosed: false,
    completion: { quiz: false, passMark: '70' },
    quizzes: [],
    steps: [{ key: 0, title: 'Set up', markdown: '# Set up', durationMinutes: 5 }]
  };
}

describe('editor content', () => {
  it('ignores local keys and server-given quiz ids, so a save that answers with ids leaves nothing changed', () => {
    const before = draft();
    before.quizzes = [newQuiz('Check')];
    const after = { ...draft(), quizzes: fromServer([{ ...before.quizzes[0], id: 'q-1', questions: [] }]) };
    after.steps = [{ ...before.steps[0], key: 99 }];
    expect(contentOf(after)).toBe(contentOf(before));
  });

  it('changes with a step edit, a reorder, a duration or a pass mark', () => {
    const base = contentOf(draft());
    const edited = draft();
    edited.steps[0].markdown += '!';
    const longer = draft();
    longer.steps[0].durationMinutes = '6';
    const stricter = draft();
    stricter.completion.passMark = '80';
    const reordered = draft();
    reordered.steps.push({ key: 1, title: 'Run', markdown: '', durationMinutes: 5 });
    const swapped = draft();
    swapped.steps.unshift({ key: 1, title: 'Run', markdown: '', durationMinutes: 5 });
    for (const changed of [edited, longer, stricter]) expect(contentOf(changed)).not.toBe(base);
    expect(contentOf(swapped)).not.toBe(contentOf(reordered));
  });
});

describe('kept drafts', () => {
  it('are kept per codelab and read back with the time they were kept', () => {
    const storage = new MemoryStorage();
    const mine = draft();
    mine.steps[0].markdown = 'unsaved words';
    expect(storeDraft(storage, 'lab-a', mine, 1_700_000_000_000)).toBe(true);
    expect(loadDraft(storage, 'lab-a')).toEqual({ keptAt: 1_700_000_000_000, draft: mine });
    expect(loadDraft(storage, 'lab-b')).toBeNull();
    clearDraft(storage, 'lab-a');
    expect(loadDraft(storage, 'lab-a')).toBeNull();
  });

  it('are offered only when they hold something the server does not, and dropped when they do not', () => {
    const storage = new MemoryStorage();
    const server = contentOf(draft());
    storeDraft(storage, 'lab', draft());
    expect(draftToOffer(storage, 'lab', server)).toBeNull();
    expect(loadDraft(storage, 'lab')).toBeNull();

    const mine = draft();
    mine.title = 'Kotlin coroutines, revised';
    storeDraft(storage, 'lab', mine);
    expect(draftToOffer(storage, 'lab', server).draft.title).toBe('Kotlin coroutines, revised');
  });

  it('that cannot be read are dropped instead of breaking the editor', () => {
    const storage = new MemoryStorage();
    storage.setItem('codelabs.editorDraft.lab', '{not json');
    expect(loadDraft(storage, 'lab')).toBeNull();
    storage.setItem('codelabs.editorDraft.lab', JSON.stringify({ keptAt: 1, draft: { steps: 'nope' } }));
    expect(loadDraft(storage, 'lab')).toBeNull();
    expect(storage.getItem('codelabs.editorDraft.lab')).toBeNull();
  });

  it('fail quietly when the browser refuses to store them', () => {
    expect(storeDraft(new FullStorage(), 'lab', draft())).toBe(false);
  });
});

describe('save state', () => {
  it('says saving, then failed, changed, saved or clean, in that order of importance', () => {
    expect(saveState({ changed: true, saving: true, error: new Error('x'), savedAt: 1 })).toBe('saving');
    expect(saveState({ changed: true, saving: false, error: new Error('x'), savedAt: 1 })).toBe('failed');
    expect(saveState({ changed: true, saving: false, error: null, savedAt: 1 })).toBe('changed');
    expect(saveState({ changed: false, saving: false, error: null, savedAt: 1 })).toBe('saved');
    expect(saveState({ changed: false, saving: false, error: null, savedAt: null })).toBe('clean');
  });
});
