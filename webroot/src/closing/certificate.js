import { get } from '../lib/api.js';
import { i18n } from '../lib/i18n.svelte.js';

/** A certificate as the public reads it: the certificate, or null when no certificate has this id. */
export async function publicCertificate(id) {
  try {
    const reply = await get(`/api/certificates/${encodeURIComponent(id)}`);
    return reply.certificate ?? reply;
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

export function formatDate(epochMs) {
  return epochMs ? new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long' }).format(new Date(epochMs)) : '';
}
