package io.codelabs.markdown;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * GitHub's alert syntax: a block quote whose first line is only {@code [!TIP]}, {@code [!NOTE]} or {@code [!WARNING]}
 * (also {@code [!INFO]}, {@code [!IMPORTANT]}, {@code [!CAUTION]}) becomes a tip, info or warning box.
 */
final class CalloutExtension implements Parser.ParserExtension, HtmlRenderer.HtmlRendererExtension {
  private static final Pattern MARKER = Pattern.compile("\\[!(TIP|NOTE|INFO|IMPORTANT|WARNING|CAUTION)\\]\\s*",
    Pattern.CASE_INSENSITIVE);
  private static final Map<String, String> KINDS = Map.of("TIP", "tip", "NOTE", "info", "INFO", "info",
    "IMPORTANT", "info", "WARNING", "warning", "CAUTION", "warning");

  static final class Callout extends CustomBlock {
    final String kind;

    Callout(String kind) {
      this.kind = kind;
    }
  }

  @Override
  public void extend(Parser.Builder parser) {
    parser.postProcessor(document -> {
      document.accept(new AbstractVisitor() {
        @Override
        public void visit(BlockQuote quote) {
          visitChildren(quote);
          calloutKind(quote).ifPresent(kind -> replace(quote, kind));
        }
      });
      return document;
    });
  }

  @Override
  public void extend(HtmlRenderer.Builder renderer) {
    renderer.nodeRendererFactory(CalloutRenderer::new);
  }

  private static Optional<String> calloutKind(BlockQuote quote) {
    if (!(quote.getFirstChild() instanceof Paragraph first) || !(first.getFirstChild() instanceof Text marker)) {
      return Optional.empty();
    }
    Node after = marker.getNext();
    Matcher matcher = MARKER.matcher(marker.getLiteral());
    if (!matcher.matches() || !(after == null || after instanceof SoftLineBreak || after instanceof HardLineBreak)) {
      return Optional.empty();
    }
    return Optional.of(KINDS.get(matcher.group(1).toUpperCase(Locale.ROOT)));
  }

  private static void replace(BlockQuote quote, String kind) {
    Paragraph first = (Paragraph) quote.getFirstChild();
    Node marker = first.getFirstChild();
    if (marker.getNext() != null) {
      marker.getNext().unlink();
    }
    marker.unlink();
    if (first.getFirstChild() == null) {
      first.unlink();
    }
    Callout callout = new Callout(kind);
    Node child = quote.getFirstChild();
    while (child != null) {
      Node next = child.getNext();
      callout.appendChild(child);
      child = next;
    }
    quote.insertAfter(callout);
    quote.unlink();
  }

  private static final class CalloutRenderer implements NodeRenderer {
    private final HtmlNodeRendererContext context;

    CalloutRenderer(HtmlNodeRendererContext context) {
      this.context = context;
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(Callout.class);
    }

    @Override
    public void render(Node node) {
      var html = context.getWriter();
      html.line();
      html.tag("div", Map.of("class", "callout callout-" + ((Callout) node).kind));
      html.line();
      for (Node child = node.getFirstChild(); child != null; ) {
        Node next = child.getNext();
        context.render(child);
        child = next;
      }
      html.line();
      html.tag("/div");
      html.line();
    }
  }
}
