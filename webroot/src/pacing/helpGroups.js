/**
 * Open help requests grouped by step, each with the phrase most of its messages share. The same
 * rules as the server's HelpGroups (verticles/.../persistence/HelpGroups.java), so the live queue
 * and the REST list agree (both are tested against test/pacing/help-words.json): NFKC, lower case,
 * apostrophes dropped, split on anything that is not a letter or digit; a Korean word loses its
 * trailing particle (the longest listed one; a one-syllable particle only after a stem of two
 * syllables or more); English and Korean stop words, single Latin letters and words of bare jamo dropped; a message's phrases are its
 * distinct words and pairs of adjacent kept words, in reading order. The common phrase is the one
 * the most messages contain (at least two), a pair before a single word at the same count, then the
 * one met first, oldest request first.
 */
const STOP_WORDS = new Set(['a', 'an', 'the', 'i', 'im', 'me', 'my', 'it', 'its', 'is', 'are', 'was', 'be', 'to',
  'of', 'in', 'on', 'at', 'for', 'with', 'and', 'or', 'but', 'not', 'no', 'this', 'that', 'when', 'what', 'how',
  'can', 'cant', 'doesnt', 'dont', 'do', 'does', 'get', 'got', 'have', 'has', 'help', 'please', 'step', 'so', 'just',
  'still', 'after', 'from', 'by', 'again',
  '안', '못', '좀', '또', '다시', '계속', '그리고', '근데', '그런데', '어떻게', '왜', '이거', '저', '제', '제가', '저는', '저도', '이게', '그게', '갑자기',
  '여기', '지금', '단계', '스텝', '도움', '돼', '돼요', '되요', '안돼요', '안되요', '안됨', '안돼', '됩니다', '안됩니다',
  '해요', '했어요', '했는데', '하는데', '있어요', '없어요', '없습니다', '나요', '나와요', '떠요', '떠서', '뜹니다',
  '모르겠어요', '주세요', '도와주세요', '요']);
const LONG_PARTICLES = ['에서는', '에서도', '으로는', '으로도', '에서', '으로', '에게', '한테', '까지', '부터', '처럼', '보다',
  '이랑', '하고', '에는', '에도', '이나'];
/** Words of bare jamo are moods (ㅠㅠ, ㅋㅋ), not topics; NFKC turns them into conjoining jamo. */
const JAMO_ONLY = /^[\u1100-\u11FF\u3130-\u318F]+$/u;
const SHORT_PARTICLES = new Set(['이', '가', '을', '를', '은', '는', '에', '의', '도', '만', '로', '와', '과', '랑']);

const WAITING = new Set(['open', 'claimed']);

/** JDK를 and 8080이 lose their particle too: a Latin or digit stem takes Korean particles as well. */
export function withoutParticle(word) {
  const [, stem, tail] = /^(.*?)([\uAC00-\uD7A3]*)$/u.exec(word);
  if (!tail) return word;
  if (stem) return LONG_PARTICLES.includes(tail) || SHORT_PARTICLES.has(tail) ? stem : word;
  const particle = LONG_PARTICLES.find((p) => word.length > p.length && word.endsWith(p));
  if (particle) return word.slice(0, -particle.length);
  return word.length >= 3 && SHORT_PARTICLES.has(word.at(-1)) ? word.slice(0, -1) : word;
}

export function words(message) {
  return (message ?? '').normalize('NFKC').toLowerCase().replaceAll("'", '')
    .split(/[^\p{L}\p{N}]+/u)
    .map(withoutParticle)
    .filter((word) => word && !STOP_WORDS.has(word) && !(word.length === 1 && word.charCodeAt(0) < 128)
      && !JAMO_ONLY.test(word));
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
