package io.codelabs.markdown;

import java.util.List;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Step Markdown to HTML that is safe to put in any page: rendered once, sanitised on the server. Besides CommonMark
 * and GFM tables: task lists, heading anchors, callouts ({@code > [!TIP]}), math ({@code $...$}, {@code $$} blocks)
 * as escaped TeX for the browser to typeset, and frames from the allow-list of {@link Embed}.
 */
public final class Markdown {
  /** The origins of every frame a step may hold, for the pages' Content-Security-Policy. */
  public static final List<String> FRAME_ORIGINS = List.of(Embed.YOUTUBE_ORIGIN, Embed.GOOGLE_DOCS_ORIGIN);
  /** Keeps heading ids apart from the ids of the page around the step. */
  static final String HEADING_ID_PREFIX = "md-";
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), TaskListItemsExtension.create(),
    HeadingAnchorExtension.builder().idPrefix(HEADING_ID_PREFIX).defaultId("section").build(),
    new CalloutExtension(), new MathExtension(), new EmbedExtension());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).build();
  private static final Pattern DIV_CLASSES = Pattern.compile(MathExtension.DISPLAY_CLASS
    + "|callout callout-(tip|info|warning)|embed embed-(youtube|slides|docs)");
  private static final Pattern HEADING_ID = Pattern.compile(Pattern.quote(HEADING_ID_PREFIX) + "[\\p{L}\\p{M}\\p{N}_-]{1,200}");
  private static final PolicyFactory POLICY = Sanitizers.FORMATTING
    .and(Sanitizers.BLOCKS)
    .and(Sanitizers.LINKS)
    .and(Sanitizers.IMAGES)
    .and(Sanitizers.TABLES)
    .and(new HtmlPolicyBuilder()
      .allowElements("pre", "code", "hr", "kbd", "samp")
      // A policy joined with and() adds attributes only to the elements it allows itself.
      .allowElements("h1", "h2", "h3", "h4", "h5", "h6", "span", "div")
      .allowAttributes("class").matching(Pattern.compile("language-[a-zA-Z0-9_+-]{1,30}")).onElements("code")
      .allowAttributes("align").onElements("th", "td")
      .allowAttributes("id").matching(HEADING_ID).onElements("h1", "h2", "h3", "h4", "h5", "h6")
      .allowAttributes("class").matching(Pattern.compile(MathExtension.INLINE_CLASS)).onElements("span")
      .allowAttributes("class").matching(DIV_CLASSES).onElements("div")
      .allowAttributes("checked").matching(Pattern.compile("")).onElements("input")
      .allowAttributes("type").matching(Pattern.compile("checkbox")).onElements("input")
      .allowElements((name, attributes) -> has(attributes, "type") ? disabled(attributes) : null, "input")
      .allowUrlProtocols("https")
      .allowAttributes("src").matching(Embed.FRAME_SRC).onElements("iframe")
      .allowAttributes("title").onElements("iframe")
      .allowElements((name, attributes) -> has(attributes, "src") ? sandboxed(attributes) : null, "iframe")
      .toFactory());

  private Markdown() {
  }

  public static String toSafeHtml(String markdown) {
    return POLICY.sanitize(RENDERER.render(PARSER.parse(markdown)));
  }

  /** Attributes come as a flat list of names and values. */
  private static boolean has(List<String> attributes, String name) {
    for (int i = 0; i < attributes.size(); i += 2) {
      if (attributes.get(i).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** A task list's box shows the state the author wrote; readers cannot tick it. */
  private static String disabled(List<String> attributes) {
    attributes.addAll(List.of("disabled", "disabled"));
    return "input";
  }

  /** Every frame, also one written as raw HTML, gets the same sandbox whatever it asked for. */
  private static String sandboxed(List<String> attributes) {
    if (!has(attributes, "title")) {
      attributes.addAll(List.of("title", EmbedExtension.DEFAULT_TITLE));
    }
    attributes.addAll(List.of("sandbox", EmbedExtension.SANDBOX, "allow", EmbedExtension.ALLOW, "allowfullscreen", "",
      "referrerpolicy", EmbedExtension.REFERRER_POLICY, "loading", "lazy"));
    return "iframe";
  }
}
