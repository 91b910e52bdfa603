import { describe, expect, it } from 'vitest';
import { common, groupHelp, phrases, words } from '../../src/pacing/helpGroups.js';
import cases from './help-words.json';

let at = 0;
const ask = (step, message, status = 'open') => ({ id: `h${++at}`, step, message, status, createdAt: at });

describe('normalising messages', () => {
  it('folds case and width, drops punctuation, stop words and single letters', () => {
    expect(words("I can't get GRADLE sync to work!!")).toEqual(['gradle', 'sync', 'work']);
    expect(words('ＪＤＫ 17 is missing, a b c')).toEqual(['jdk', '17', 'missing']);
    expect(words('그래들 동기화 실패')).toEqual(['그래들', '동기화', '실패']);
    expect(words(undefined)).toEqual([]);
  });

  it.each(cases)('reads "$message" as the server does', ({ message, words: expected }) => {
    expect(words(message)).toEqual(expected);
  });

  it('takes each word and each adjacent pair once, in reading order', () => {
    expect([...phrases('port 8080 in use, port 8080')]).toEqual(['port', '8080', 'port 8080', 'use', '8080 use', 'use port']);
  });
});

describe('the common phrase', () => {
  it('is the one most messages share, a pair before a single word at the same count', () => {
    expect(common([ask(1, 'Gradle sync fails'), ask(1, 'gradle SYNC never ends'), ask(1, 'Gradle sync: timeout'),
      ask(1, 'cannot find JDK')])).toEqual({ phrase: 'gradle sync', count: 3 });
    expect(common([ask(1, 'Gradle sync fails'), ask(1, 'gradle is slow')])).toEqual({ phrase: 'gradle', count: 2 });
  });

  it('finds the phrase Korean messages share whatever particles follow the nouns', () => {
    expect(common([ask(4, '그래들 동기화가 안 돼요'), ask(4, '그래들 동기화에서 멈춰요'), ask(4, '빌드가 실패해요')]))
      .toEqual({ phrase: '그래들 동기화', count: 2 });
  });

  it('needs at least two messages, and ties go to the phrase met first', () => {
    expect(common([ask(1, 'Build fails'), ask(1, 'No idea')])).toBeNull();
    expect(common([ask(1, 'Port 8080 in use'), ask(1, 'port 8080 already in use')]))
      .toEqual({ phrase: 'port 8080', count: 2 });
  });
});

describe('grouping the queue', () => {
  it('groups waiting requests by step, largest first, ignoring resolved and cancelled ones', () => {
    const groups = groupHelp([
      ask(3, 'Port 8080 in use'), ask(1, 'Gradle sync fails'), ask(1, 'gradle sync hangs', 'claimed'),
      ask(1, 'gradle sync', 'resolved'), ask(3, 'port 8080 busy', 'cancelled'), ask(1, 'JDK missing')
    ]);
    expect(groups.map(({ step, count, open }) => ({ step, count, open })))
      .toEqual([{ step: 1, count: 3, open: 2 }, { step: 3, count: 1, open: 1 }]);
    expect(groups[0].common).toEqual({ phrase: 'gradle sync', count: 2 });
    expect(groups[0].oldestAt).toBeLessThan(groups[0].helpIds.length + at);
    expect(groups[1].common).toBeNull();
  });

  it('puts the oldest request first in a group, whatever order they came in', () => {
    const late = ask(2, 'late');
    const early = { ...ask(2, 'early'), createdAt: 0 };
    expect(groupHelp([late, early])[0]).toMatchObject({ oldestAt: 0, helpIds: [early.id, late.id] });
  });
});
