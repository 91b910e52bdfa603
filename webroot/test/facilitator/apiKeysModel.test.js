import { describe, expect, it } from 'vitest';
import { createRequest, expiryFromDays, keyStatus } from '../../src/facilitator/apiKeysModel.js';

const NOW = 1_763_860_000_000;

describe('API key status', () => {
  it('is active until it expires, expired after, revoked whatever its expiry', () => {
    expect(keyStatus({ revokedAt: null, expiresAt: null }, NOW)).toBe('active');
    expect(keyStatus({ revokedAt: null, expiresAt: NOW + 1 }, NOW)).toBe('active');
    expect(keyStatus({ revokedAt: null, expiresAt: NOW }, NOW)).toBe('expired');
    expect(keyStatus({ revokedAt: NOW - 5, expiresAt: NOW - 1 }, NOW)).toBe('revoked');
  });
});

describe('API key create request', () => {
  it('sends no expiry for blank or zero days, else that many days from now', () => {
    expect(expiryFromDays('', NOW)).toBeNull();
    expect(expiryFromDays('0', NOW)).toBeNull();
    expect(expiryFromDays('30', NOW)).toBe(NOW + 30 * 24 * 3600 * 1000);
  });

  it('trims the name, orders the scopes and sends null for all codelabs', () => {
    expect(createRequest({ name: '  Help bot ', scopes: ['results:read', 'events:read'], codelabId: '', days: '' }, NOW))
      .toEqual({ name: 'Help bot', scopes: ['events:read', 'results:read'], codelabId: null, expiresAt: null });
  });
});
