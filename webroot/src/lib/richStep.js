import { highlightCode } from '../components/CodeHighlight.js';
import { t } from './i18n.svelte.js';

/**
 * TeX comes from the server as text; KaTeX turns it into markup here with no trusted commands
 * (\href, \url, \htmlClass... render as errors) and bounded macro expansion and sizes.
 */
const MATH_OPTIONS = { trust: false, throwOnError: false, maxExpand: 500, maxSize: 10, strict: 'ignore', errorColor: '#e11d48' };
const CALLOUT_KINDS = ['tip', 'info', 'warning'];

/** Colours code and typesets math once per rendering of the step's HTML; KaTeX loads with the first formula. */
export async function renderRichStep(root) {
  highlightCode(root);
  const formulas = root.querySelectorAll('.math-inline:not([data-typeset]), .math-display:not([data-typeset])');
  if (formulas.length === 0) return;
  const [{ default: katex }] = await Promise.all([import('katex'), import('katex/dist/katex.min.css')]);
  for (const element of formulas) {
    if (element.isConnected && element.dataset.typeset === undefined) typeset(katex, element);
  }
}

function typeset(katex, element) {
  const tex = element.textContent;
  element.dataset.typeset = '';
  element.title = tex;
  try {
    katex.render(tex, element, { ...MATH_OPTIONS, displayMode: element.classList.contains('math-display') });
  } catch {
    element.textContent = tex;
    element.classList.add('math-error');
  }
}

/** The words around the step's own content, in the reader's language: callout titles and heading links. */
export function labelRichStep(root) {
  for (const callout of root.querySelectorAll('.callout')) {
    const kind = CALLOUT_KINDS.find((name) => callout.classList.contains(`callout-${name}`));
    callout.querySelector(':scope > .callout-title')?.remove();
    const title = document.createElement('p');
    title.className = 'callout-title';
    title.textContent = t(`common.callout.${kind}`);
    callout.prepend(title);
  }
  for (const heading of root.querySelectorAll('h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]')) {
    heading.querySelector(':scope > .heading-anchor')?.remove();
    const anchor = document.createElement('a');
    anchor.className = 'heading-anchor';
    anchor.href = `#${heading.id}`;
    anchor.textContent = '#';
    anchor.setAttribute('aria-label', t('common.headingLink', { title: heading.textContent }));
    heading.append(anchor);
  }
}
