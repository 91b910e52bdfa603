package io.codelabs.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Step Markdown rendering")
class MarkdownTest {

  @Test
  @DisplayName("keeps headings, code with its language, tables, links and images")
  void keepsContent() {
    String html = Markdown.toSafeHtml("## Run\n\n```bash\nmvn package\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
      + "[docs](https://vertx.io) ![logo](/img/logo.png)");
    assertThat(html).contains("<h2 id=\"md-run\">Run</h2>", "<code class=\"language-bash\">mvn package", "<table>", "<td>2</td>",
      "href=\"https://vertx.io\"", "src=\"/img/logo.png\"");
  }

  @Test
  @DisplayName("drops scripts, event handlers, javascript: links and styles")
  void dropsActiveContent() {
    String html = Markdown.toSafeHtml("<script>steal()</script><b onclick=\"x()\">bold</b> "
      + "[a](javascript:alert(1)) <iframe src=\"https://evil\"></iframe><span style=\"position:fixed\">s</span>"
      + "\n\n```\"><script>x</script>\ncode\n```");
    assertThat(html).doesNotContain("<script", "onclick", "<iframe", "style=");
    assertThat(html).contains("<b>bold</b>");
    assertThat(Markdown.toSafeHtml("[a](javascript:alert(1)) and [b](https://ok.example)"))
      .doesNotContain("javascript").contains("href=\"https://ok.example\"");
  }

  private static final String FRAME_ATTRIBUTES = "sandbox=\"allow-scripts allow-same-origin allow-popups allow-presentation\" "
    + "allow=\"fullscreen; picture-in-picture\" allowfullscreen=\"\" referrerpolicy=\"strict-origin-when-cross-origin\" "
    + "loading=\"lazy\"></iframe></div>";

  @Test
  @DisplayName("tables keep their header, cells and alignment")
  void tables() {
    assertThat(Markdown.toSafeHtml("| Tool | Version |\n|:---|---:|\n| Java | 17 |"))
      .isEqualTo("<table><thead><tr><th align=\"left\">Tool</th><th align=\"right\">Version</th></tr></thead>"
        + "<tbody><tr><td align=\"left\">Java</td><td align=\"right\">17</td></tr></tbody></table>\n");
  }

  @Test
  @DisplayName("task lists show disabled boxes, ticked where the author ticked them")
  void taskLists() {
    assertThat(Markdown.toSafeHtml("- [ ] install\n- [x] clone"))
      .isEqualTo("<ul><li><input type=\"checkbox\" disabled=\"disabled\" /> install</li>"
        + "<li><input type=\"checkbox\" checked=\"\" disabled=\"disabled\" /> clone</li></ul>\n");
  }

  @Test
  @DisplayName("headings get unique prefixed ids, for any script, without markup in them")
  void headingAnchors() {
    assertThat(Markdown.toSafeHtml("## Set up\n## Set up\n### 설치 방법\n## <b>x</b> \"onmouseover=alert(1)"))
      .contains("<h2 id=\"md-set-up\">Set up</h2>", "<h2 id=\"md-set-up-1\">Set up</h2>",
        "<h3 id=\"md-설치-방법\">설치 방법</h3>", "<h2 id=\"md-x-onmouseoveralert1\"><b>x</b> &#34;onmouseover&#61;alert(1)</h2>");
  }

  @Test
  @DisplayName("GitHub alerts become tip, info and warning callouts; other quotes stay quotes")
  void callouts() {
    assertThat(Markdown.toSafeHtml("> [!TIP]\n> Use **mvn**.")).isEqualTo(
      "<div class=\"callout callout-tip\">\n<p>Use <strong>mvn</strong>.</p>\n</div>\n");
    assertThat(Markdown.toSafeHtml("> [!NOTE]\n> Read this.")).contains("<div class=\"callout callout-info\">\n<p>Read this.</p>");
    assertThat(Markdown.toSafeHtml("> [!info]\n> Read this.")).contains("<div class=\"callout callout-info\">");
    assertThat(Markdown.toSafeHtml("> [!WARNING]\n> Careful\n>\n> - one")).contains(
      "<div class=\"callout callout-warning\">\n<p>Careful</p>\n<ul><li>one</li></ul>\n</div>");
    assertThat(Markdown.toSafeHtml("> [!NOTE] on the same line")).isEqualTo(
      "<blockquote>\n<p>[!NOTE] on the same line</p>\n</blockquote>\n");
    assertThat(Markdown.toSafeHtml("> [!DANGER]\n> unknown")).startsWith("<blockquote>");
  }

  @Test
  @DisplayName("math is escaped TeX in a marked element; prices, escaped dollars and code stay text")
  void math() {
    assertThat(Markdown.toSafeHtml("Area $\\pi r^2 < 4$ here")).isEqualTo(
      "<p>Area <span class=\"math-inline\">\\pi r^2 &lt; 4</span> here</p>\n");
    assertThat(Markdown.toSafeHtml("$$\n\\frac{a}{b} <b>x</b>\n\\sum_i i\n$$")).isEqualTo(
      "<div class=\"math-display\">\\frac{a}{b} &lt;b&gt;x&lt;/b&gt;\n\\sum_i i</div>\n");
    assertThat(Markdown.toSafeHtml("$$ e=mc^2 $$")).isEqualTo("<div class=\"math-display\">e&#61;mc^2</div>\n");
    assertThat(Markdown.toSafeHtml("It costs $5 and $10, or \\$x\\$, and `$HOME$`")).isEqualTo(
      "<p>It costs $5 and $10, or $x$, and <code>$HOME$</code></p>\n");
    assertThat(Markdown.toSafeHtml("Not display: $$x$$ here")).isEqualTo("<p>Not display: $$x$$ here</p>\n");
  }

  @Test
  @DisplayName("YouTube addresses become a privacy-enhanced, sandboxed, lazy frame")
  void youtubeEmbeds() {
    String frame = "<div class=\"embed embed-youtube\"><iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" ";
    assertThat(Markdown.toSafeHtml("https://www.youtube.com/watch?v=dQw4w9WgXcQ")).isEqualTo(
      frame + "title=\"Embedded content\" " + FRAME_ATTRIBUTES + "\n");
    assertThat(Markdown.toSafeHtml("![Intro video](https://youtu.be/dQw4w9WgXcQ)")).isEqualTo(
      frame + "title=\"Intro video\" " + FRAME_ATTRIBUTES + "\n");
    assertThat(Markdown.toSafeHtml("<https://m.youtube.com/shorts/dQw4w9WgXcQ>")).startsWith(frame);
    assertThat(Markdown.toSafeHtml("https://www.youtube.com/watch?t=90&v=dQw4w9WgXcQ")).contains(
      "src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start&#61;90\"");
    assertThat(Markdown.toSafeHtml("Watch https://youtu.be/dQw4w9WgXcQ later")).doesNotContain("<iframe");
  }

  @Test
  @DisplayName("published Google Slides and Docs become frames of their embed addresses")
  void googleEmbeds() {
    assertThat(Markdown.toSafeHtml("![Slides](https://docs.google.com/presentation/d/e/2PACX-1vSlides01/pub?start=false)"))
      .isEqualTo("<div class=\"embed embed-slides\"><iframe src=\"https://docs.google.com/presentation/d/e/2PACX-1vSlides01/embed\" "
        + "title=\"Slides\" " + FRAME_ATTRIBUTES + "\n");
    assertThat(Markdown.toSafeHtml("https://docs.google.com/document/d/e/2PACX-1vDocument1/pub"))
      .isEqualTo("<div class=\"embed embed-docs\"><iframe src=\"https://docs.google.com/document/d/e/2PACX-1vDocument1/pub?embedded&#61;true\" "
        + "title=\"Embedded content\" " + FRAME_ATTRIBUTES + "\n");
    assertThat(Markdown.toSafeHtml("https://docs.google.com/document/d/1AbCdEfGhIjK/edit")).doesNotContain("<iframe");
  }

  @Test
  @DisplayName("embeds refuse other schemes, lookalike hosts, credentials, ports and other paths")
  void embedAttacks() {
    for (String address : new String[] {
      "javascript:alert(1)//https://www.youtube.com/watch?v=dQw4w9WgXcQ",
      "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
      "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
      "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"onload=\"alert(1)",
      "https://docs.google.com.evil.example/presentation/d/e/2PACX-1vSlides01/pub",
      "https://docs.google.com/presentation/d/e/2PACX-1vSlides01/../../../../evil/pub",
      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}) {
      assertThat(Markdown.toSafeHtml(address)).as(address).doesNotContain("<iframe", "=\"javascript:", "onload=\"");
      assertThat(Markdown.toSafeHtml("![x](" + address + ")")).as(address)
        .doesNotContain("<iframe", "=\"javascript:", "=\"data:", "onload=\"");
    }
  }

  @Test
  @DisplayName("raw HTML frames to other origins are removed; allowed ones get the same sandbox, whatever they ask for")
  void rawFrames() {
    assertThat(Markdown.toSafeHtml("<iframe src=\"https://evil.example/\"></iframe>\n\n<iframe srcdoc=\"<script>x()</script>\"></iframe>"
      + "\n\n<iframe src=\"data:text/html,<script>x()</script>\"></iframe><iframe src=\"//www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"></iframe>"))
      .doesNotContain("<iframe", "srcdoc", "data:");
    assertThat(Markdown.toSafeHtml("<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" "
      + "sandbox=\"allow-top-navigation allow-same-origin\" onload=\"x()\" allow=\"camera\"></iframe>"))
      .isEqualTo("<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"Embedded content\" "
        + FRAME_ATTRIBUTES.replace("</div>", "") + "\n");
    assertThat(Markdown.toSafeHtml("<input type=\"text\" value=\"x\"><input type=\"checkbox\" onclick=\"x()\">"))
      .isEqualTo("<p><input type=\"checkbox\" disabled=\"disabled\" /></p>\n");
  }

  @Test
  @DisplayName("TeX reaches the browser only as text: \\\\href, \\\\url, \\\\htmlClass and markup stay inert")
  void texStaysText() {
    String html = Markdown.toSafeHtml("$\\href{javascript:alert(1)}{x}$ $\\url{javascript:alert(2)}$\n\n"
      + "$$\n\\htmlClass{x}{y} </div><script>alert(3)</script><img src=x onerror=alert(4)>\n$$");
    assertThat(html).isEqualTo("<p><span class=\"math-inline\">\\href{javascript:alert(1)}{x}</span> "
      + "<span class=\"math-inline\">\\url{javascript:alert(2)}</span></p>\n"
      + "<div class=\"math-display\">\\htmlClass{x}{y} &lt;/div&gt;&lt;script&gt;alert(3)&lt;/script&gt;"
      + "&lt;img src&#61;x onerror&#61;alert(4)&gt;</div>\n");
  }

  @Test
  @DisplayName("allowing https frames leaves links to http, mailto, relative and in-page addresses as they were")
  void linksKeepTheirSchemes() {
    assertThat(Markdown.toSafeHtml("[a](http://example.com) [m](mailto:a@b.c) [r](/rel) [f](#md-x) ![i](http://example.com/i.png)"))
      .isEqualTo("<p><a href=\"http://example.com\" rel=\"nofollow\">a</a> <a href=\"mailto:a&#64;b.c\" rel=\"nofollow\">m</a> "
        + "<a href=\"/rel\" rel=\"nofollow\">r</a> <a href=\"#md-x\" rel=\"nofollow\">f</a> "
        + "<img src=\"http://example.com/i.png\" alt=\"i\" /></p>\n");
  }

  @Test
  @DisplayName("data: URLs in links and images are dropped")
  void dataUrls() {
    assertThat(Markdown.toSafeHtml("[a](data:text/html,<script>x()</script>) ![b](data:image/svg+xml;base64,PHN2Zz4=)"))
      .isEqualTo("<p>a <img alt=\"b\" /></p>\n");
  }
}
