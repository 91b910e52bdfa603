import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installBrowser } from '../fakes/browser.js';
import { createDashboard } from '../../src/facilitator/dashboardModel.svelte.js';

const ROOM = '/api/codelabs/c1';
let browser;
let dashboard;

function restRoom({ attendees = [], help = [], submissions = [], materials = [] } = {}) {
  return {
    [ROOM]: { id: 'c1', title: 'Vert.x', steps: [{ position: 0, title: 'Start', durationMinutes: 5, body: 'long' }] },
    [`${ROOM}/attendees`]: { attendees },
    [`${ROOM}/help`]: { help },
    [`${ROOM}/chat?limit=500`]: { messages: [{ id: 'm1', text: 'hello' }] },
    [`${ROOM}/announcements`]: { announcements: [] },
    [`${ROOM}/submissions`]: { submissions },
    [`${ROOM}/materials`]: { materials }
  };
}

const event = (type, data) => ({ seq: 1, type, data });

beforeEach(() => {
  browser = installBrowser(restRoom());
  dashboard = createDashboard('c1');
});

afterEach(() => {
  dashboard.dispose();
  vi.unstubAllGlobals();
});

describe('events', () => {
  it('wait for the next frame, where the whole batch is applied and each touched part redrawn once', () => {
    dashboard.onEvent(event('attendee.joined', { attendeeId: 'a1', nickname: 'Ada' }));
    dashboard.onEvent(event('attendee.step-changed', { attendeeId: 'a1', nickname: 'Ada', step: 3 }));
    dashboard.onEvent(event('attendee.online', { attendeeId: 'a2', nickname: 'Bo' }));

    expect(dashboard.attendees.size).toBe(0);
    expect(browser.framesWaiting()).toBe(1);
    browser.runFrame();

    expect(dashboard.attendees.get('a1')).toMatchObject({ nickname: 'Ada', currentStep: 3, online: false });
    expect(dashboard.attendees.get('a2')).toMatchObject({ nickname: 'Bo', currentStep: 0, online: true });
    expect(dashboard.model.version).toEqual({ attendees: 1, help: 0, chat: 0, notes: 0, files: 0 });
    expect(window.__dashboardMetrics).toMatchObject({ batches: 1 });
    expect(window.__dashboardMetrics.updates).toHaveLength(3);
  });

  it('replace an attendee record rather than change it, so views keyed by id see the row changed', () => {
    dashboard.onEvent(event('attendee.step-completed', { attendeeId: 'a1', nickname: 'Ada', step: 0 }));
    browser.runFrame();
    const before = dashboard.attendees.get('a1');
    dashboard.onEvent(event('attendee.step-completed', { attendeeId: 'a1', step: 1 }));
    browser.runFrame();

    const after = dashboard.attendees.get('a1');
    expect(after).not.toBe(before);
    expect([...before.completed]).toEqual([0]);
    expect([...after.completed]).toEqual([0, 1]);
    expect(after.nickname).toBe('Ada');
  });

  it('mark an attendee completed when the server says they completed the codelab', () => {
    dashboard.onEvent(event('attendee.joined', { attendeeId: 'a1', nickname: 'Ada' }));
    dashboard.onEvent(event('attendee.completed', { attendeeId: 'a1', nickname: 'Ada', completedAt: 1234 }));
    browser.runFrame();

    expect(dashboard.attendees.get('a1')).toMatchObject({ nickname: 'Ada', completedAt: 1234 });
    expect(dashboard.model.version).toMatchObject({ attendees: 1 });
  });

  it('keep the help queue and show an open request on its attendee until it is resolved', () => {
    dashboard.onEvent(event('attendee.joined', { attendeeId: 'a1', nickname: 'Ada' }));
    dashboard.onEvent(event('help.requested', { help: { id: 'h1', attendeeId: 'a1', status: 'open' } }));
    browser.runFrame();
    expect(dashboard.attendees.get('a1').help).toBe('open');
    expect(dashboard.model.version).toMatchObject({ attendees: 1, help: 1 });

    dashboard.onEvent(event('help.resolved', { help: { id: 'h1', attendeeId: 'a1', status: 'resolved' } }));
    browser.runFrame();

    expect(dashboard.help.get('h1').status).toBe('resolved');
    expect(dashboard.attendees.get('a1').help).toBeNull();
    expect(dashboard.model.version).toMatchObject({ attendees: 2, help: 2 });
  });

  it('remember since when an attendee has been asking, for the longest waits', () => {
    dashboard.onEvent(event('attendee.joined', { attendeeId: 'a1', nickname: 'Ada' }));
    dashboard.onEvent(event('help.requested', { help: { id: 'h1', attendeeId: 'a1', status: 'open', createdAt: 1000 } }));
    dashboard.onEvent(event('help.claimed', { help: { id: 'h1', attendeeId: 'a1', status: 'claimed', createdAt: 1000 } }));
    browser.runFrame();
    expect(dashboard.attendees.get('a1')).toMatchObject({ help: 'claimed', helpSince: 1000 });

    dashboard.onEvent(event('help.resolved', { help: { id: 'h1', attendeeId: 'a1', status: 'resolved', createdAt: 1000 } }));
    browser.runFrame();
    expect(dashboard.attendees.get('a1')).toMatchObject({ help: null, helpSince: null });
  });

  it('file chat, announcements, hand-ins, materials and refused uploads under their own part', () => {
    dashboard.onEvent(event('chat.posted', { message: { id: 'm9', text: 'hi' } }));
    dashboard.onEvent(event('announcement.posted', { announcement: { id: 'n1', pinned: false } }));
    dashboard.onEvent(event('announcement.pinned', { announcement: { id: 'n1', pinned: true } }));
    dashboard.onEvent(event('submission.added', { submission: { id: 's1' } }));
    dashboard.onEvent(event('material.added', { material: { id: 'f1' } }));
    dashboard.onEvent(event('material.removed', { materialId: 'f1' }));
    dashboard.onEvent(event('upload.rejected', { fileName: 'x.exe' }));
    browser.runFrame();

    expect(dashboard.messages.get('m9').text).toBe('hi');
    expect(dashboard.announcements.get('n1').pinned).toBe(true);
    expect([...dashboard.submissions.keys()]).toEqual(['s1']);
    expect(dashboard.materials.size).toBe(0);
    expect(dashboard.rejections).toMatchObject([{ fileName: 'x.exe' }]);
    expect(dashboard.model.version).toEqual({ attendees: 0, help: 0, chat: 1, notes: 1, files: 1 });
  });

  it('of an unknown type are ignored without waiting for a frame', () => {
    dashboard.onEvent(event('attendee.teleported', { attendeeId: 'a1' }));

    expect(browser.framesWaiting()).toBe(0);
  });

  it('a REST reply that holds the new state is applied like its event', () => {
    dashboard.apply('chat.posted', { message: { id: 'm2', text: 'from the reply' } });
    browser.runFrame();

    expect(dashboard.messages.get('m2').text).toBe('from the reply');
    expect(dashboard.model.version.chat).toBe(1);
  });
});

describe('snapshots', () => {
  const row = { id: 'a1', nickname: 'Ada', currentStep: 2, online: true, stuck: false, help: null, timeOnStepMs: 60000 };

  it('update the step statistics and the attendees that differ', () => {
    dashboard.onSnapshot({ steps: [{ position: 2, count: 1 }], attendees: [row] });
    browser.runFrame();

    expect(dashboard.model.stepStats).toEqual([{ position: 2, count: 1 }]);
    expect(dashboard.attendees.get('a1')).toMatchObject({ currentStep: 2, online: true });
    expect(Date.now() - dashboard.attendees.get('a1').startedAt).toBeGreaterThanOrEqual(60000);
    expect(dashboard.model.version.attendees).toBe(1);
  });

  it('that change no row redraw nothing', () => {
    dashboard.onSnapshot({ steps: [], attendees: [row] });
    browser.runFrame();
    const record = dashboard.attendees.get('a1');

    dashboard.onSnapshot({ steps: [], attendees: [row] });
    browser.runFrame();

    expect(dashboard.attendees.get('a1')).toBe(record);
    expect(dashboard.model.version.attendees).toBe(1);
    expect(window.__dashboardMetrics.snapshots).toHaveLength(2);
  });

  it('without attendees are not applied', () => {
    dashboard.onSnapshot({ steps: [] });

    expect(browser.framesWaiting()).toBe(0);
  });
});

describe('reload', () => {
  it('loads the room from REST at the next frame, keeping only step outlines', async () => {
    browser.routes[`${ROOM}/attendees`] = { attendees: [{ id: 'a1', nickname: 'Ada', currentStep: 1, completedSteps: [0] }] };

    await dashboard.reload();
    browser.runFrame();

    expect(dashboard.model.codelab.title).toBe('Vert.x');
    expect(dashboard.model.steps).toEqual([{ position: 0, title: 'Start', durationMinutes: 5 }]);
    expect(dashboard.attendees.get('a1')).toMatchObject({ currentStep: 1, completed: new Set([0]) });
    expect(dashboard.messages.get('m1').text).toBe('hello');
    expect(dashboard.model.version).toEqual({ attendees: 1, help: 1, chat: 1, notes: 1, files: 1 });
  });

  it('replaces hand-ins and materials, whose deletions while away exist only as absence', async () => {
    dashboard.onEvent(event('submission.added', { submission: { id: 's-gone' } }));
    dashboard.onEvent(event('material.added', { material: { id: 'f-gone' } }));
    dashboard.onEvent(event('chat.posted', { message: { id: 'm-kept', text: 'still here' } }));
    browser.runFrame();
    Object.assign(browser.routes, restRoom({ submissions: [{ id: 's-new' }], materials: [{ id: 'f-new' }] }));

    await dashboard.reload();
    browser.runFrame();

    expect([...dashboard.submissions.keys()]).toEqual(['s-new']);
    expect([...dashboard.materials.keys()]).toEqual(['f-new']);
    expect([...dashboard.messages.keys()]).toEqual(['m-kept', 'm1']);
  });

  it('keeps the failure for the page when REST fails', async () => {
    delete browser.routes[`${ROOM}/help`];

    await dashboard.reload();

    expect(dashboard.model.loadError).toMatchObject({ status: 404 });
    expect(browser.framesWaiting()).toBe(0);
  });

  it('takes a new title and new steps from codelab.updated', async () => {
    await dashboard.reload();
    browser.runFrame();

    dashboard.onEvent(event('codelab.updated', { title: 'Vert.x 5', stepsChanged: true, steps: [{ position: 0, title: 'Begin' }] }));
    browser.runFrame();

    expect(dashboard.model.codelab.title).toBe('Vert.x 5');
    expect(dashboard.model.steps).toEqual([{ position: 0, title: 'Begin' }]);
  });
});

describe('dispose', () => {
  it('takes the page metrics off the window', () => {
    dashboard.dispose();

    expect(window.__dashboardMetrics).toBeUndefined();
  });
});
