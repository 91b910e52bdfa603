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
    assertThat(html).contains("<h2>Run</h2>", "<code class=\"language-bash\">mvn package", "<table>", "<td>2</td>",
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
}
