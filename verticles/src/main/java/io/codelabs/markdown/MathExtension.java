package io.codelabs.markdown;

import java.util.Map;
import java.util.Set;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.parser.SourceLine;
import org.commonmark.parser.beta.InlineContentParser;
import org.commonmark.parser.beta.InlineContentParserFactory;
import org.commonmark.parser.beta.InlineParserState;
import org.commonmark.parser.beta.ParsedInline;
import org.commonmark.parser.beta.Position;
import org.commonmark.parser.beta.Scanner;
import org.commonmark.text.AsciiMatcher;
import org.commonmark.text.CharMatcher;
import org.commonmark.parser.block.AbstractBlockParser;
import org.commonmark.parser.block.BlockContinue;
import org.commonmark.parser.block.BlockParserFactory;
import org.commonmark.parser.block.BlockStart;
import org.commonmark.parser.block.MatchedBlockParser;
import org.commonmark.parser.block.ParserState;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * TeX between {@code $...$} (inline) and {@code $$} lines (display) becomes escaped text in a marked element, which
 * the browser typesets; the server never turns TeX into markup.
 */
final class MathExtension implements Parser.ParserExtension, HtmlRenderer.HtmlRendererExtension {
  static final String INLINE_CLASS = "math-inline";
  static final String DISPLAY_CLASS = "math-display";
  private static final String FENCE = "$$";

  static final class InlineMath extends CustomNode {
    final String tex;

    InlineMath(String tex) {
      this.tex = tex;
    }
  }

  static final class DisplayMath extends CustomBlock {
    final StringBuilder tex = new StringBuilder();
  }

  @Override
  public void extend(Parser.Builder parser) {
    parser.customBlockParserFactory(new DisplayMathStart());
    parser.customInlineContentParserFactory(new InlineMathFactory());
  }

  @Override
  public void extend(HtmlRenderer.Builder renderer) {
    renderer.nodeRendererFactory(MathRenderer::new);
  }

  /**
   * Pandoc's rule keeps prices plain text: the opening {@code $} is followed by a non-space, the closing one follows a
   * non-space and is not followed by a digit. A backtick ends the search, so a code span is never swallowed; {@code $$}
   * inside a line stays text (display math takes its own lines).
   */
  private static final class InlineMathFactory implements InlineContentParserFactory {
    private static final CharMatcher MATH_END = AsciiMatcher.builder().c('$').c('`').build();

    @Override
    public Set<Character> getTriggerCharacters() {
      return Set.of('$');
    }

    @Override
    public InlineContentParser create() {
      return InlineMathFactory::parse;
    }

    private static ParsedInline parse(InlineParserState state) {
      Scanner scanner = state.scanner();
      if (scanner.peekPreviousCodePoint() == '$') {
        return ParsedInline.none();
      }
      scanner.next();
      char first = scanner.peek();
      if (first == '$' || first == Scanner.END || Character.isWhitespace(first)) {
        return ParsedInline.none();
      }
      Position start = scanner.position();
      while (scanner.find(MATH_END) >= 0 && scanner.peek() == '$') {
        int before = scanner.peekPreviousCodePoint();
        Position end = scanner.position();
        scanner.next();
        if (!Character.isWhitespace(before) && before != '\\' && !Character.isDigit(scanner.peek())) {
          return ParsedInline.of(new InlineMath(scanner.getSource(start, end).getContent()), scanner.position());
        }
      }
      return ParsedInline.none();
    }
  }

  private static final class DisplayMathStart implements BlockParserFactory {
    @Override
    public BlockStart tryStart(ParserState state, MatchedBlockParser matched) {
      if (state.getIndent() >= 4) {
        return BlockStart.none();
      }
      CharSequence line = state.getLine().getContent();
      String rest = line.subSequence(state.getNextNonSpaceIndex(), line.length()).toString().strip();
      if (!rest.startsWith(FENCE)) {
        return BlockStart.none();
      }
      DisplayMathParser parser = new DisplayMathParser();
      String inner = rest.substring(FENCE.length());
      if (inner.endsWith(FENCE) && !inner.isBlank()) {
        parser.block.tex.append(inner, 0, inner.length() - FENCE.length());
        parser.closed = true;
      } else if (!inner.isBlank()) {
        return BlockStart.none();
      }
      return BlockStart.of(parser).atIndex(line.length());
    }
  }

  /** Like a fenced code block: lines are taken as they are until a line that is only {@code $$}. */
  private static final class DisplayMathParser extends AbstractBlockParser {
    private final DisplayMath block = new DisplayMath();
    private boolean closed;
    private boolean openingLine = true;

    @Override
    public DisplayMath getBlock() {
      return block;
    }

    @Override
    public BlockContinue tryContinue(ParserState state) {
      if (closed) {
        return BlockContinue.none();
      }
      CharSequence line = state.getLine().getContent();
      if (line.toString().strip().equals(FENCE)) {
        closed = true;
        return BlockContinue.finished();
      }
      return BlockContinue.atIndex(state.getIndex());
    }

    @Override
    public void addLine(SourceLine line) {
      if (openingLine) {
        openingLine = false;
        return;
      }
      block.tex.append(line.getContent()).append('\n');
    }
  }

  private static final class MathRenderer implements NodeRenderer {
    private final HtmlNodeRendererContext context;

    MathRenderer(HtmlNodeRendererContext context) {
      this.context = context;
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(InlineMath.class, DisplayMath.class);
    }

    @Override
    public void render(Node node) {
      var html = context.getWriter();
      if (node instanceof InlineMath inline) {
        html.tag("span", Map.of("class", INLINE_CLASS));
        html.text(inline.tex);
        html.tag("/span");
      } else if (node instanceof DisplayMath display) {
        html.line();
        html.tag("div", Map.of("class", DISPLAY_CLASS));
        html.text(display.tex.toString().strip());
        html.tag("/div");
        html.line();
      }
    }
  }
}
