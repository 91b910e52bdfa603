import { t, formatTime } from './i18n.svelte.js';

const EXPLAINED = [400, 403, 404, 413, 415, 422, 503, 504];

/** A failed upload or write, told in the reader's language: the server's detail is English only. */
export function uploadProblem(error, { imagesOnly = false } = {}) {
  if (!error) return null;
  if (!error.status) return t('uploads.error.network');
  if (error.status === 415 && imagesOnly) return t('uploads.error.415image');
  if (error.status === 401) return t('uploads.error.403');
  return EXPLAINED.includes(error.status) ? t(`uploads.error.${error.status}`) : t('uploads.error.generic', { status: error.status });
}

function formatBytes(bytes) {
  if (bytes < 1024) return t('uploads.bytes', { n: bytes });
  if (bytes < 1024 * 1024) return t('uploads.kilobytes', { n: Math.round(bytes / 1024) });
  return t('uploads.megabytes', { n: (bytes / (1024 * 1024)).toFixed(1) });
}

export function isWebLink(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Where a stored file is downloaded; attendees name their role so a facilitator cookie is not used. */
export function fileUrl(codelabId, collection, id, { as } = {}) {
  const path = `/api/codelabs/${encodeURIComponent(codelabId)}/${collection}/${encodeURIComponent(id)}/file`;
  return as === 'attendee' ? `${path}?as=attendee` : path;
}

/** What a submission or material is called without its title: the link's address or the file's name. */
export function itemName(item) {
  return item.kind === 'link' ? item.url : item.fileName;
}

/** What a list shows under a submission's or material's title: the name when the title differs, the size or kind, the time. */
export function describe(item, { time = true } = {}) {
  const name = itemName(item);
  return [
    item.title && item.title !== name ? name : null,
    item.kind === 'link' ? t('uploads.link') : formatBytes(item.sizeBytes),
    time ? formatTime(item.createdAt) : null
  ].filter(Boolean).join(' · ');
}
