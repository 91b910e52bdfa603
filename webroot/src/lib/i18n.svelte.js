/**
 * Every visible string comes from src/messages/<locale>/<area>.json; keys are "<area>.<key>".
 * A missing key shows itself as the key, and a build-time test keeps the locales' keys equal.
 */
const files = import.meta.glob('../messages/*/*.json', { eager: true, import: 'default' });

const catalogues = {};
for (const [path, messages] of Object.entries(files)) {
  const [, locale, area] = /messages\/([^/]+)\/([^/]+)\.json$/.exec(path);
  catalogues[locale] ??= {};
  for (const [key, text] of Object.entries(messages)) catalogues[locale][`${area}.${key}`] = text;
}

export const locales = [
  { code: 'en', name: 'English' },
  { code: 'ko', name: '한국어' }
];

function initialLocale() {
  const stored = localStorage.getItem('locale');
  if (stored && catalogues[stored]) return stored;
  return navigator.languages?.some((language) => language.startsWith('ko')) ? 'ko' : 'en';
}

export const i18n = $state({ locale: initialLocale() });
document.documentElement.lang = i18n.locale;

export function setLocale(code) {
  i18n.locale = code;
  localStorage.setItem('locale', code);
  document.documentElement.lang = code;
}

/** The message for a key in the current locale, with {name} placeholders filled. */
export function t(key, params = {}) {
  const text = catalogues[i18n.locale]?.[key] ?? catalogues.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`));
}

export function formatDuration(ms) {
  const minutes = Math.floor(ms / 60000);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? t('common.hoursMinutes', { h: hours, m: minutes % 60 }) : t('common.minutes', { m: minutes });
}

/** Time spent or waited, in seconds under a minute: "0 min" would read as no time at all. */
export function formatElapsed(ms) {
  return ms < 60000 ? t('common.seconds', { s: Math.floor(ms / 1000) }) : formatDuration(ms);
}

export function formatTime(epochMs) {
  return new Intl.DateTimeFormat(i18n.locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(epochMs));
}
