import { describe, expect, it } from 'vitest';
import { auditQuery, detailText } from '../../src/lib/audit.js';

describe('auditQuery', () => {
  it('leaves out filters that are not set', () => {
    expect(auditQuery({ actor: '  ', codelab: '', action: undefined, from: '', to: '' })).toBe('');
  });

  it('sends set filters trimmed and encoded, times as milliseconds, and the cursor', () => {
    const from = '2026-12-01T09:30';
    const query = new URLSearchParams(auditQuery({ actor: ' Kim Lee ', action: 'account.', from }, { before: 42 }).slice(1));
    expect(query.get('actor')).toBe('Kim Lee');
    expect(query.get('action')).toBe('account.');
    expect(query.get('from')).toBe(String(new Date(from).getTime()));
    expect(query.get('before')).toBe('42');
    expect(query.has('to')).toBe(false);
  });
});

describe('detailText', () => {
  it('lists the detail as key: value pairs, nested values as JSON', () => {
    expect(detailText({ username: 'kim', count: 3, changed: { title: 'x' } }))
      .toBe('username: kim · count: 3 · changed: {"title":"x"}');
    expect(detailText({})).toBe('');
  });
});
