import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installBrowser } from '../fakes/browser.js';
import { createDashboard } from '../../src/facilitator/dashboardModel.svelte.js';

let browser;
let dashboard;

const event = (type, data) => ({ seq: 1, type, data });

beforeEach(() => {
  browser = installBrowser({});
  dashboard = createDashboard('c1');
});

afterEach(() => {
  dashboard.dispose();
  vi.unstubAllGlobals();
});

describe('help triage on the dashboard', () => {
  it('shows an assigned request as claimed by the assignee, and a cancelled one no longer on its attendee', () => {
    dashboard.onEvent(event('attendee.joined', { attendeeId: 'a1', nickname: 'Ada' }));
    dashboard.onEvent(event('help.requested', { help: { id: 'h1', attendeeId: 'a1', status: 'open' } }));
    dashboard.onEvent(event('help.assigned', { help: { id: 'h1', attendeeId: 'a1', status: 'claimed', claimedBy: 'f2' } }));
    browser.runFrame();
    expect(dashboard.help.get('h1').claimedBy).toBe('f2');
    expect(dashboard.attendees.get('a1').help).toBe('claimed');

    dashboard.onEvent(event('help.cancelled', { help: { id: 'h1', attendeeId: 'a1', status: 'cancelled' } }));
    browser.runFrame();
    expect(dashboard.help.get('h1').status).toBe('cancelled');
    expect(dashboard.attendees.get('a1').help).toBeNull();
  });
});
