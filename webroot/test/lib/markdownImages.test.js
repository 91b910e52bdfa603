import { describe, expect, it } from 'vitest';
import { imageFiles, imageMarkdown, insertAt } from '../../src/lib/markdownImages.js';

describe('inserting an uploaded image into step Markdown', () => {
  it('writes an image with its name as the text', () => {
    expect(imageMarkdown('diagram.png', '/api/codelabs/c1/materials/m1/file'))
      .toBe('![diagram.png](/api/codelabs/c1/materials/m1/file)');
  });

  it('escapes brackets and backslashes in the name and joins its lines', () => {
    expect(imageMarkdown('a]b[c\\d\ne.png', '/x')).toBe('![a\\]b\\[c\\\\d e.png](/x)');
  });

  it('wraps an address with spaces or parentheses in angle brackets', () => {
    expect(imageMarkdown('x', '/files/my (1).png')).toBe('![x](</files/my (1).png>)');
    expect(imageMarkdown('x', '/a<b>')).toBe('![x](</a%3Cb%3E>)');
  });

  it('puts the image on its own line at the cursor and the caret after it', () => {
    expect(insertAt('Intro\nOutro', 6, 6, '![i](/u)')).toEqual({ text: 'Intro\n![i](/u)\nOutro', caret: 15 });
    expect(insertAt('', 0, 0, '![i](/u)')).toEqual({ text: '![i](/u)\n', caret: 9 });
  });

  it('breaks the line when the cursor is inside text, and replaces a selection', () => {
    expect(insertAt('See here', 3, 3, '![i](/u)')).toEqual({ text: 'See\n![i](/u)\n here', caret: 13 });
    expect(insertAt('A\nOLD\nB', 2, 5, '![i](/u)')).toEqual({ text: 'A\n![i](/u)\nB', caret: 10 });
  });

  it('keeps a cursor beyond the text at the end', () => {
    expect(insertAt('End', 99, 99, '![i](/u)')).toEqual({ text: 'End\n![i](/u)\n', caret: 13 });
  });

  it('takes only the images among pasted or dropped files', () => {
    const png = { name: 'a.png', type: 'image/png' };
    const zip = { name: 'b.zip', type: 'application/zip' };
    const webp = { name: 'c.webp', type: 'image/webp' };
    expect(imageFiles({ files: [png, zip, webp] })).toEqual([png, webp]);
    expect(imageFiles(null)).toEqual([]);
  });
});
