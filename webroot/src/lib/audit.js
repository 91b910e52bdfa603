/**
 * The query string of an audit log request: the filters that are set, times from the browser's
 * datetime-local fields as milliseconds, and the page cursor when there is one.
 */
export function auditQuery(filters, { before = null } = {}) {
  const params = new URLSearchParams();
  for (const name of ['actor', 'codelab', 'action']) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  for (const name of ['from', 'to']) {
    const at = filters[name] ? new Date(filters[name]).getTime() : Number.NaN;
    if (!Number.isNaN(at)) params.set(name, String(at));
  }
  if (before !== null) params.set('before', String(before));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** An entry's detail as one line: "key: value" pairs, nested values as JSON. */
export function detailText(detail) {
  return Object.entries(detail ?? {})
    .map(([key, value]) => `${key}: ${typeof value === 'object' && value !== null ? JSON.stringify(value) : value}`)
    .join(' · ');
}
