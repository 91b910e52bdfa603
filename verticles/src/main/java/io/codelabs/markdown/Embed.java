package io.codelabs.markdown;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A video, slide deck or document from the allow-list, by the identifiers taken out of its address: the frame's
 * address is rebuilt from them and never copied from what was written.
 */
record Embed(Kind kind, String src) {
  enum Kind { YOUTUBE, SLIDES, DOCS }

  static final String YOUTUBE_ORIGIN = "https://www.youtube-nocookie.com";
  static final String GOOGLE_DOCS_ORIGIN = "https://docs.google.com";
  /** Exactly the addresses {@link #of} builds; the sanitiser lets no other frame through. */
  static final Pattern FRAME_SRC = Pattern.compile(Pattern.quote(YOUTUBE_ORIGIN) + "/embed/[A-Za-z0-9_-]{11}(\\?start=[0-9]{1,6})?"
    + "|" + Pattern.quote(GOOGLE_DOCS_ORIGIN) + "/presentation/d/(e/)?[A-Za-z0-9_-]{10,200}/embed"
    + "|" + Pattern.quote(GOOGLE_DOCS_ORIGIN) + "/document/d/(e/)?[A-Za-z0-9_-]{10,200}/pub\\?embedded=true");

  private static final Set<String> YOUTUBE_HOSTS = Set.of("youtube.com", "www.youtube.com", "m.youtube.com",
    "youtube-nocookie.com", "www.youtube-nocookie.com");
  private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{11}");
  private static final Pattern YOUTUBE_PATH = Pattern.compile("/(?:embed|shorts|live)/([A-Za-z0-9_-]{11})/?");
  private static final Pattern START = Pattern.compile("(?:^|&)(?:t|start)=([0-9]{1,6})s?(?:&|$)");
  private static final Pattern VIDEO_PARAM = Pattern.compile("(?:^|&)v=([A-Za-z0-9_-]{11})(?:&|$)");
  private static final Pattern GOOGLE_PATH = Pattern.compile(
    "/(presentation|document)/d/(e/)?([A-Za-z0-9_-]{10,200})/(?:pub|embed|pubembed)/?");

  /** The embed an address stands for, if it is one from the allow-list. */
  static Optional<Embed> of(String address) {
    URI uri;
    try {
      uri = new URI(address.strip());
    } catch (URISyntaxException notAnAddress) {
      return Optional.empty();
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
      || uri.getPort() != -1 || uri.getRawPath() == null) {
      return Optional.empty();
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    if (host.equals("youtu.be")) {
      String id = uri.getRawPath().replaceFirst("^/", "").replaceFirst("/$", "");
      return VIDEO_ID.matcher(id).matches() ? Optional.of(youtube(id, query)) : Optional.empty();
    }
    if (YOUTUBE_HOSTS.contains(host)) {
      Matcher video = VIDEO_PARAM.matcher(query);
      if (uri.getRawPath().equals("/watch") && video.find()) {
        return Optional.of(youtube(video.group(1), query));
      }
      Matcher path = YOUTUBE_PATH.matcher(uri.getRawPath());
      return path.matches() ? Optional.of(youtube(path.group(1), query)) : Optional.empty();
    }
    if (host.equals("docs.google.com")) {
      Matcher path = GOOGLE_PATH.matcher(uri.getRawPath());
      if (!path.matches()) {
        return Optional.empty();
      }
      String id = (path.group(2) == null ? "" : "e/") + path.group(3);
      return Optional.of(path.group(1).equals("presentation")
        ? new Embed(Kind.SLIDES, GOOGLE_DOCS_ORIGIN + "/presentation/d/" + id + "/embed")
        : new Embed(Kind.DOCS, GOOGLE_DOCS_ORIGIN + "/document/d/" + id + "/pub?embedded=true"));
    }
    return Optional.empty();
  }

  private static Embed youtube(String id, String query) {
    Matcher start = START.matcher(query);
    return new Embed(Kind.YOUTUBE, YOUTUBE_ORIGIN + "/embed/" + id + (start.find() ? "?start=" + start.group(1) : ""));
  }

  String cssClass() {
    return "embed embed-" + kind.name().toLowerCase(Locale.ROOT);
  }
}
