/**
 * Open help requests grouped by step, each with the phrase most of its messages share. The same
 * rules as the server's HelpGroups (verticles/.../persistence/HelpGroups.java), so the live queue
 * and the REST list agree: NFKC, lower case, apostrophes dropped, split on anything that is not a
 * letter or digit, English stop words and single Latin letters dropped; a message's phrases are its
 * distinct words and pairs of adjacent kept words, in reading order. The common phrase is the one
 * the most messages contain (at least two), a pair before a single word at the same count, then the
 * one met first, oldest request first.
 */
const STOP_WORDS = new Set(['a', 'an', 'the', 'i', 'im', 'me', 'my', 'it', 'its', 'is', 'are', 'was', 'be', 'to',
  'of', 'in', 'on', 'at', 'for', 'with', 'and', 'or', 'but', 'not', 'no', 'this', 'that', 'when', 'what', 'how',
  'can', 'cant', 'doesnt', 'dont', 'do', 'does', 'get', 'got', 'have', 'has', 'help', 'please', 'step', 'so', 'just',
  'still', 'after', 'from', 'by', 'again']);

const WAITING = new Set(['open', 'claimed']);

export function words(message) {
  return (message ?? '').normalize('NFKC').toLowerCase().replaceAll("'", '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word && !STOP_WORDS.has(word) && !(word.length === 1 && word.charCodeAt(0) < 128));
}

export function phrases(message) {
  const list = words(message);
  const found = new Set();
  list.forEach((word, i) => {
    found.add(word);
    if (i > 0) found.add(`${list[i - 1]} ${word}`);
  });
  return found;
}

export function common(requests) {
  const counts = new Map();
  for (const request of requests) {
    for (const phrase of phrases(request.message)) counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  }
  let best = null;
  for (const [phrase, count] of counts) {
    if (count < 2) continue;
    if (!best || count > best.count || (count === best.count && phrase.includes(' ') && !best.phrase.includes(' '))) {
      best = { phrase, count };
    }
  }
  return best;
}

/** Groups of the waiting (open or claimed) requests, largest first, each request list oldest first. */
export function groupHelp(requests) {
  const byStep = new Map();
  const waiting = [...requests].filter((r) => WAITING.has(r.status)).sort((a, b) => a.createdAt - b.createdAt);
  for (const request of waiting) {
    if (!byStep.has(request.step)) byStep.set(request.step, []);
    byStep.get(request.step).push(request);
  }
  return [...byStep].map(([step, list]) => ({
    step,
    count: list.length,
    open: list.filter((r) => r.status === 'open').length,
    oldestAt: list[0].createdAt,
    common: common(list),
    helpIds: list.map((r) => r.id)
  })).sort((a, b) => b.count - a.count || a.step - b.step);
}
