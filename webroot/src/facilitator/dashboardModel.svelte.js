import { flushSync } from 'svelte';
import { get } from '../lib/api.js';
import { EventType } from '../lib/catalogue.js';

const METRICS_KEPT = 5000;

/**
 * The live state of one codelab's room. Attendees live in a plain Map, not deep reactive state, so
 * an event costs one small record; every event or snapshot waits for the next animation frame, where
 * the whole batch is applied and the page redrawn once, so a thousand attendees moving at once cost
 * one render per frame.
 */
export function createDashboard(codelabId) {
  const attendees = new Map();
  const help = new Map();
  const messages = new Map();
  const announcements = new Map();
  const submissions = new Map();
  const materials = new Map();
  const rejections = [];
  const queue = [];
  let scheduled = false;

  const model = $state({
    /** Bumped once per applied batch that changed the matching Map: views read them to know what to redraw. */
    version: { attendees: 0, help: 0, chat: 0, notes: 0, files: 0 },
    codelab: null,
    steps: [],
    stepStats: [],
    loadError: null
  });

  /** Timings only, for measuring the page: ms from arrival to the rendered frame, and ms of work per frame. */
  const metrics = { updates: [], snapshots: [], renders: [], batches: 0 };
  window.__dashboardMetrics = metrics;

  function record(list, value) {
    list.push(value);
    if (list.length > METRICS_KEPT) list.shift();
  }

  function schedule(apply, kind, touches) {
    queue.push({ apply, kind, touches, arrival: performance.now() });
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(flush);
  }

  function flush() {
    scheduled = false;
    const started = performance.now();
    const batch = queue.splice(0);
    const touched = new Set();
    for (const item of batch) {
      if (item.apply() !== false) item.touches.forEach((part) => touched.add(part));
    }
    for (const part of touched) model.version[part] += 1;
    flushSync();
    const shown = performance.now();
    metrics.batches += 1;
    record(metrics.renders, shown - started);
    for (const item of batch) {
      if (item.kind === 'event') record(metrics.updates, shown - item.arrival);
      else if (item.kind === 'snapshot') record(metrics.snapshots, shown - item.arrival);
    }
  }

  /** Attendee records are replaced, never mutated, so views keyed by id see which rows changed. */
  function change(id, nickname, patch) {
    const previous = attendees.get(id) ?? {
      id, nickname, currentStep: 0, startedAt: Date.now(), online: false, stuck: false, help: null, completed: new Set()
    };
    attendees.set(id, { ...previous, ...(nickname ? { nickname } : {}), ...patch });
  }

  function putHelp(request) {
    help.set(request.id, request);
    if (attendees.has(request.attendeeId)) {
      const waiting = request.status === 'open' || request.status === 'claimed';
      change(request.attendeeId, null, { help: waiting ? request.status : null, helpSince: waiting ? request.createdAt : null });
    }
  }

  function completedWith(id, step) {
    return new Set(attendees.get(id)?.completed ?? []).add(step);
  }

  const handlers = {
    [EventType.ATTENDEE_JOINED]: (data) => change(data.attendeeId, data.nickname, {}),
    [EventType.ATTENDEE_STEP_CHANGED]: (data) => change(data.attendeeId, data.nickname,
      { currentStep: data.step, startedAt: Date.now(), stuck: false }),
    [EventType.ATTENDEE_STEP_COMPLETED]: (data) => change(data.attendeeId, data.nickname,
      { completed: completedWith(data.attendeeId, data.step) }),
    [EventType.ATTENDEE_COMPLETED]: (data) => change(data.attendeeId, data.nickname, { completedAt: data.completedAt }),
    [EventType.ATTENDEE_ONLINE]: (data) => change(data.attendeeId, data.nickname, { online: true }),
    [EventType.ATTENDEE_OFFLINE]: (data) => change(data.attendeeId, data.nickname, { online: false }),
    [EventType.HELP_REQUESTED]: (data) => putHelp(data.help),
    [EventType.HELP_CLAIMED]: (data) => putHelp(data.help),
    [EventType.HELP_RESOLVED]: (data) => putHelp(data.help),
    [EventType.HELP_CANCELLED]: (data) => putHelp(data.help),
    [EventType.HELP_ASSIGNED]: (data) => putHelp(data.help),
    [EventType.CHAT_POSTED]: (data) => messages.set(data.message.id, data.message),
    [EventType.ANNOUNCEMENT_POSTED]: (data) => announcements.set(data.announcement.id, data.announcement),
    [EventType.ANNOUNCEMENT_PINNED]: (data) => announcements.set(data.announcement.id, data.announcement),
    [EventType.ANNOUNCEMENT_UNPINNED]: (data) => announcements.set(data.announcement.id, data.announcement),
    [EventType.SUBMISSION_ADDED]: (data) => submissions.set(data.submission.id, data.submission),
    [EventType.SUBMISSION_DELETED]: (data) => submissions.delete(data.submissionId),
    [EventType.MATERIAL_ADDED]: (data) => materials.set(data.material.id, data.material),
    [EventType.MATERIAL_REMOVED]: (data) => materials.delete(data.materialId),
    [EventType.UPLOAD_REJECTED]: (data) => rejections.push({ ...data, at: Date.now() }),
    [EventType.CODELAB_UPDATED]: (data) => {
      if (model.codelab && data.title) model.codelab.title = data.title;
      if (data.stepsChanged && data.steps) model.steps = data.steps;
    }
  };

  function touches(type) {
    if (type.startsWith('help.')) return ['help', 'attendees'];
    if (type.startsWith('chat.')) return ['chat'];
    if (type.startsWith('announcement.')) return ['notes'];
    if (/^(submission|material|upload)\./.test(type)) return ['files'];
    return ['attendees'];
  }

  /**
   * Time on step is re-based on this browser's clock; a row is replaced only when it differs, and a
   * snapshot that changes no row (the usual case between events) answers false: nothing to redraw.
   */
  function applySnapshot(snapshot) {
    const now = Date.now();
    let changed = false;
    model.stepStats = snapshot.steps ?? [];
    for (const row of snapshot.attendees ?? []) {
      const entry = attendees.get(row.id);
      const startedAt = now - row.timeOnStepMs;
      const help = row.help ?? null;
      if (entry && entry.currentStep === row.currentStep && entry.online === row.online && entry.stuck === row.stuck
        && entry.help === help && Math.abs(entry.startedAt - startedAt) < 2000) continue;
      change(row.id, row.nickname, { currentStep: row.currentStep, startedAt, online: row.online, stuck: row.stuck, help });
      changed = true;
    }
    return changed;
  }

  async function reload() {
    try {
      const [codelab, people, requests, chat, notes, handedIn, shared] = await Promise.all([
        get(`/api/codelabs/${codelabId}`),
        get(`/api/codelabs/${codelabId}/attendees`),
        get(`/api/codelabs/${codelabId}/help`),
        get(`/api/codelabs/${codelabId}/chat?limit=500`),
        get(`/api/codelabs/${codelabId}/announcements`),
        get(`/api/codelabs/${codelabId}/submissions`),
        get(`/api/codelabs/${codelabId}/materials`)
      ]);
      schedule(() => {
        model.codelab = codelab;
        model.steps = codelab.steps.map(({ position, title, durationMinutes }) => ({ position, title, durationMinutes }));
        for (const person of people.attendees) {
          change(person.id, person.nickname,
            { currentStep: person.currentStep, completed: new Set(person.completedSteps ?? []) });
        }
        for (const request of requests.help) putHelp(request);
        for (const message of chat.messages) messages.set(message.id, message);
        for (const note of notes.announcements) announcements.set(note.id, note);
        // Deletions missed while away exist only as absence: these two are replaced, not merged.
        submissions.clear();
        for (const submission of handedIn.submissions) submissions.set(submission.id, submission);
        materials.clear();
        for (const material of shared.materials) materials.set(material.id, material);
      }, 'reload', ['attendees', 'help', 'chat', 'notes', 'files']);
    } catch (failure) {
      model.loadError = failure;
    }
  }

  return {
    model,
    attendees,
    help,
    messages,
    announcements,
    submissions,
    materials,
    /** Infected uploads refused since the page opened, oldest first. */
    rejections,
    reload,
    /** Applies one realtime event at the next frame. */
    onEvent(event) {
      const handler = handlers[event.type];
      if (handler) schedule(() => handler(event.data ?? {}), 'event', touches(event.type));
    },
    onSnapshot(snapshot) {
      if (snapshot?.attendees) schedule(() => applySnapshot(snapshot), 'snapshot', ['attendees']);
    },
    /** A REST reply that already holds the new state (claim, chat, announcement), applied like its event. */
    apply(type, data) {
      schedule(() => handlers[type](data), 'reply', touches(type));
    },
    dispose() {
      if (window.__dashboardMetrics === metrics) delete window.__dashboardMetrics;
    }
  };
}
