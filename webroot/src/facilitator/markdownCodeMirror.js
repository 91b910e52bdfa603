import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, highlightSpecialChars } from '@codemirror/view';
import { EditorState, Compartment } from '@codemirror/state';
import { history, historyKeymap, defaultKeymap, insertNewline } from '@codemirror/commands';
import { search, searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { syntaxHighlighting, defaultHighlightStyle, LanguageSupport } from '@codemirror/language';
import { markdownLanguage } from '@codemirror/lang-markdown';
import { oneDarkHighlightStyle } from '@codemirror/theme-one-dark';
import { insertAt } from '../lib/markdownImages.js';

const look = EditorView.baseTheme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'transparent' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.6' },
  '.cm-content': { padding: '8px 0' },
  '&.cm-focused': { outline: '2px solid var(--color-accent-500, #6366f1)', outlineOffset: '-2px' },
  '&light .cm-gutters': { backgroundColor: '#f8fafc', color: '#94a3b8', borderRight: '1px solid #e2e8f0' },
  '&dark .cm-gutters': { backgroundColor: '#0f172a', color: '#64748b', borderRight: '1px solid #1e293b' },
  '&light .cm-activeLine': { backgroundColor: '#f1f5f980' },
  '&dark .cm-activeLine': { backgroundColor: '#1e293b80' },
  '&dark': { color: '#e2e8f0' },
  '&dark .cm-cursor': { borderLeftColor: '#e2e8f0' },
  '&dark .cm-selectionBackground, &dark.cm-focused .cm-selectionBackground': { backgroundColor: '#334155' },
  '&dark .cm-panels': { backgroundColor: '#0f172a', color: '#e2e8f0' }
});

function colours(dark) {
  return [EditorView.darkTheme.of(dark), syntaxHighlighting(dark ? oneDarkHighlightStyle : defaultHighlightStyle)];
}

/**
 * A CodeMirror editor for one step's Markdown. Enter inserts a plain line break (no list continuation
 * or auto-closed brackets), so what is typed is exactly what is saved; files pasted or dropped go to
 * onFiles instead of being read into the text.
 */
export function createMarkdownEditor({ parent, doc, dark, attributes, onChange, onScroll, onFiles }) {
  const theme = new Compartment();
  const takeFiles = (event, transfer) => {
    if (!transfer?.files?.length) return false;
    event.preventDefault();
    onFiles(transfer);
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        search({ top: true }),
        // The language alone: markdown() would also bring the HTML, CSS and JavaScript modes (about 350 kB).
        new LanguageSupport(markdownLanguage),
        EditorView.lineWrapping,
        keymap.of([{ key: 'Enter', run: insertNewline }, ...searchKeymap, ...historyKeymap, ...defaultKeymap]),
        look,
        theme.of(colours(dark)),
        EditorView.contentAttributes.of(attributes),
        EditorView.domEventHandlers({
          paste: (event) => takeFiles(event, event.clipboardData),
          drop: (event) => takeFiles(event, event.dataTransfer),
          dragover: (event) => {
            if (![...(event.dataTransfer?.types ?? [])].includes('Files')) return false;
            event.preventDefault();
            return true;
          }
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        })
      ]
    })
  });
  // Read like a textarea's value, so anything that checks the field gets the Markdown rather than the drawn lines.
  Object.defineProperty(view.contentDOM, 'value', { get: () => view.state.doc.toString() });
  const scroller = view.scrollDOM;
  scroller.addEventListener('scroll', () => {
    const room = scroller.scrollHeight - scroller.clientHeight;
    onScroll(room > 0 ? scroller.scrollTop / room : 0);
  }, { passive: true });

  return {
    text: () => view.state.doc.toString(),
    replace(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    /** Puts the insertion where the cursor is, on a line of its own, and the cursor after it. */
    insertAtCursor(insertion) {
      const { from, to } = view.state.selection.main;
      const { text, caret } = insertAt(view.state.doc.toString(), from, to, insertion);
      view.dispatch({ changes: { from, to, insert: text.slice(from, caret) }, selection: { anchor: caret }, scrollIntoView: true });
    },
    setDark: (isDark) => view.dispatch({ effects: theme.reconfigure(colours(isDark)) }),
    destroy: () => view.destroy()
  };
}
