package io.codelabs.markdown;

import java.util.List;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/** Step Markdown to HTML that is safe to put in any page: rendered once, sanitised on the server. */
public final class Markdown {
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).build();
  private static final PolicyFactory POLICY = Sanitizers.FORMATTING
    .and(Sanitizers.BLOCKS)
    .and(Sanitizers.LINKS)
    .and(Sanitizers.IMAGES)
    .and(Sanitizers.TABLES)
    .and(new HtmlPolicyBuilder()
      .allowElements("pre", "code", "hr", "kbd", "samp")
      .allowAttributes("class").matching(Pattern.compile("language-[a-zA-Z0-9_+-]{1,30}")).onElements("code")
      .allowAttributes("align").onElements("th", "td")
      .toFactory());

  private Markdown() {
  }

  public static String toSafeHtml(String markdown) {
    return POLICY.sanitize(RENDERER.render(PARSER.parse(markdown)));
  }
}
