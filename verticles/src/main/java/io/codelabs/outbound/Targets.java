package io.codelabs.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where an outbound request may go. A URL is checked when registered and its host resolved again
 * before every request; the request then connects to the checked address, so a name that later
 * resolves elsewhere (DNS rebinding) cannot reach an internal one.
 */
public final class Targets {
  public static final int MAX_URL_LENGTH = 2_048;

  /** A URL that passed the checks and the address to connect to. */
  public record Target(URI uri, String host, int port, boolean tls, String pathAndQuery, InetAddress address) {
  }

  private Targets() {
  }

  /** Throws IllegalArgumentException with a reason a person can act on. */
  public static URI parse(String url, boolean allowHttp) {
    if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException("The URL must have 1 to " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      throw new IllegalArgumentException(allowHttp ? "The URL must be http or https" : "The URL must be https");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("The URL needs a host, and neither credentials nor a fragment");
    }
    return uri;
  }

  /** Blocking (name resolution): run it on a worker. Every address of the name must be allowed. */
  public static Target resolve(String url, boolean allowHttp, boolean allowPrivate) throws UnknownHostException {
    URI uri = parse(url, allowHttp);
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    InetAddress[] addresses = InetAddress.getAllByName(host);
    if (!allowPrivate) {
      Arrays.stream(addresses).filter(Targets::internal).findFirst().ifPresent(address -> {
        throw new IllegalArgumentException(uri.getHost() + " resolves to " + address.getHostAddress()
          + ", an internal address webhooks may not reach");
      });
    }
    boolean tls = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
      + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return new Target(uri, host, port, tls, path, addresses[0]);
  }

  /** Loopback, link-local (and so cloud metadata), private, shared (CGNAT), multicast, unspecified or reserved. */
  public static boolean internal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
      || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      return first == 0 || first >= 240
        || (first == 100 && second >= 64 && second < 128)
        || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0)
        || (first == 198 && (second == 18 || second == 19));
    }
    if (address instanceof Inet6Address) {
      boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc;
      boolean mappedOrCompatible = isZero(bytes, 10) && (((bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff)
        || isZero(bytes, 12));
      boolean nat64 = (bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
        && (bytes[3] & 0xff) == 0x9b;
      if (mappedOrCompatible || nat64) {
        try {
          return internal(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
      return uniqueLocal;
    }
    return true;
  }

  private static boolean isZero(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
