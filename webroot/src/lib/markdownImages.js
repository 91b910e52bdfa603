/** The image files among what was pasted or dropped, in their order. */
export function imageFiles(transfer) {
  return [...(transfer?.files ?? [])].filter((file) => file.type.startsWith('image/'));
}

/** `![name](url)` with the characters that would end the text or the address escaped. */
export function imageMarkdown(name, url) {
  const text = name.replace(/[\r\n]+/g, ' ').replace(/[\\[\]]/g, (character) => `\\${character}`);
  const address = /[\s()<>]/.test(url) ? `<${url.replace(/[<>]/g, encodeURIComponent)}>` : url;
  return `![${text}](${address})`;
}

/**
 * The text with the insertion in place of the selection [start, end), on a line of its own so the
 * image stands as its own paragraph; caret is where the cursor goes after it.
 */
export function insertAt(text, start, end, insertion) {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  const before = text.slice(0, from);
  const after = text.slice(to);
  const opening = before === '' || before.endsWith('\n') ? '' : '\n';
  const closing = after.startsWith('\n') ? '' : '\n';
  const inserted = opening + insertion + closing;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}
