import { toPayload } from './quizDraft.js';

/**
 * The editor's unsaved work kept in this browser, one entry per codelab, until the server has it.
 * Entries are compared by content: a draft equal to what the server holds is no draft.
 */
const PREFIX = 'codelabs.editorDraft.';

/** What decides whether there is anything to save: the fields sent, without local keys or server-given ids. */
export function contentOf(draft) {
  const quizzes = toPayload(draft.quizzes).quizzes.map(({ id, questions, ...quiz }) => ({
    ...quiz,
    questions: questions.map(({ id: questionId, ...question }) => question)
  }));
  return JSON.stringify({
    title: draft.title,
    summary: draft.summary,
    visibility: draft.visibility,
    joinCode: draft.joinCode,
    joinsClosed: draft.joinsClosed,
    completion: { ...draft.completion, passMark: Number(draft.completion.passMark) },
    quizzes,
    steps: draft.steps.map(({ title, markdown, durationMinutes }) => ({ title, markdown, durationMinutes: Number(durationMinutes) || 0 }))
  });
}

export function storeDraft(storage, codelabId, draft, now = Date.now()) {
  try {
    storage.setItem(PREFIX + codelabId, JSON.stringify({ keptAt: now, draft }));
    return true;
  } catch {
    // Storage full or refused (private mode): the page still warns before leaving.
    return false;
  }
}

/** The kept draft and when it was kept, or null when there is none or it cannot be read. */
export function loadDraft(storage, codelabId) {
  const kept = storage.getItem(PREFIX + codelabId);
  if (kept === null) return null;
  try {
    const parsed = JSON.parse(kept);
    if (typeof parsed?.keptAt === 'number' && Array.isArray(parsed.draft?.steps) && Array.isArray(parsed.draft?.quizzes)) return parsed;
  } catch {
    // Unreadable entries are dropped below.
  }
  storage.removeItem(PREFIX + codelabId);
  return null;
}

export function clearDraft(storage, codelabId) {
  storage.removeItem(PREFIX + codelabId);
}

/** The kept draft when it holds something the server does not, else null. */
export function draftToOffer(storage, codelabId, savedContent) {
  const kept = loadDraft(storage, codelabId);
  if (kept && contentOf(kept.draft) !== savedContent) return kept;
  if (kept) clearDraft(storage, codelabId);
  return null;
}

/** One word for the save bar: what the facilitator should know about their work right now. */
export function saveState({ changed, saving, error, savedAt }) {
  if (saving) return 'saving';
  if (error) return 'failed';
  if (changed) return 'changed';
  if (savedAt) return 'saved';
  return 'clean';
}
