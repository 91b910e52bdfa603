/** The scopes a key may carry, in the order the form offers them. */
export const SCOPES = ['events:read', 'commands:write', 'results:read'];

const DAY_MS = 24 * 3600 * 1000;

/** revoked beats expired: a revoked key stays revoked whatever its expiry says. */
export function keyStatus(key, now = Date.now()) {
  if (key.revokedAt != null) return 'revoked';
  if (key.expiresAt != null && key.expiresAt <= now) return 'expired';
  return 'active';
}

/** The expiry the server is sent for a number of days from now; blank or 0 means the key lives until revoked. */
export function expiryFromDays(days, now = Date.now()) {
  const count = Number(days);
  return !days || !Number.isFinite(count) || count <= 0 ? null : now + Math.round(count * DAY_MS);
}

/** The create request's body: the name trimmed, the chosen scopes in their usual order, codelab null for all of them. */
export function createRequest({ name, scopes, codelabId, days }, now = Date.now()) {
  return {
    name: name.trim(),
    scopes: SCOPES.filter((scope) => scopes.includes(scope)),
    codelabId: codelabId || null,
    expiresAt: expiryFromDays(days, now)
  };
}
