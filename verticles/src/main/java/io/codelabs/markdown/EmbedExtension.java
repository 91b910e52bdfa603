package io.codelabs.markdown;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A paragraph that is only an allow-listed address (bare, in angle brackets, or as an image whose text becomes the
 * frame's title) becomes a framed video, slide deck or document.
 */
final class EmbedExtension implements Parser.ParserExtension, HtmlRenderer.HtmlRendererExtension {
  static final String DEFAULT_TITLE = "Embedded content";
  /**
   * The providers' players need their own scripts and storage; they run on their own origins, so the sandbox still
   * keeps them away from this page, its cookies and its top-level navigation.
   */
  static final String SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation";
  static final String ALLOW = "fullscreen; picture-in-picture";
  /** YouTube refuses to play in frames that send no referrer; the origin alone is enough. */
  static final String REFERRER_POLICY = "strict-origin-when-cross-origin";

  static final class EmbedBlock extends CustomBlock {
    final Embed embed;
    final String title;

    EmbedBlock(Embed embed, String title) {
      this.embed = embed;
      this.title = title;
    }
  }

  @Override
  public void extend(Parser.Builder parser) {
    parser.postProcessor(document -> {
      document.accept(new AbstractVisitor() {
        @Override
        public void visit(Paragraph paragraph) {
          embedded(paragraph).ifPresent(block -> {
            paragraph.insertAfter(block);
            paragraph.unlink();
          });
        }
      });
      return document;
    });
  }

  @Override
  public void extend(HtmlRenderer.Builder renderer) {
    renderer.nodeRendererFactory(EmbedRenderer::new);
  }

  private static Optional<EmbedBlock> embedded(Paragraph paragraph) {
    Node only = paragraph.getFirstChild();
    if (only == null || only.getNext() != null) {
      return Optional.empty();
    }
    if (only instanceof Text text) {
      return Embed.of(text.getLiteral()).map(embed -> new EmbedBlock(embed, DEFAULT_TITLE));
    }
    if (only instanceof Link link && text(link).equals(link.getDestination())) {
      return Embed.of(link.getDestination()).map(embed -> new EmbedBlock(embed, DEFAULT_TITLE));
    }
    if (only instanceof Image image) {
      String title = text(image).strip();
      return Embed.of(image.getDestination()).map(embed -> new EmbedBlock(embed, title.isEmpty() ? DEFAULT_TITLE : title));
    }
    return Optional.empty();
  }

  private static String text(Node parent) {
    StringBuilder text = new StringBuilder();
    for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
      text.append(child instanceof Text literal ? literal.getLiteral() : text(child));
    }
    return text.toString();
  }

  private static final class EmbedRenderer implements NodeRenderer {
    private final HtmlNodeRendererContext context;

    EmbedRenderer(HtmlNodeRendererContext context) {
      this.context = context;
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(EmbedBlock.class);
    }

    @Override
    public void render(Node node) {
      EmbedBlock block = (EmbedBlock) node;
      Map<String, String> frame = new LinkedHashMap<>();
      frame.put("src", block.embed.src());
      frame.put("title", block.title);
      frame.put("sandbox", SANDBOX);
      frame.put("allow", ALLOW);
      frame.put("allowfullscreen", "");
      frame.put("referrerpolicy", REFERRER_POLICY);
      frame.put("loading", "lazy");
      var html = context.getWriter();
      html.line();
      html.tag("div", Map.of("class", block.embed.cssClass()));
      html.tag("iframe", frame);
      html.tag("/iframe");
      html.tag("/div");
      html.line();
    }
  }
}
