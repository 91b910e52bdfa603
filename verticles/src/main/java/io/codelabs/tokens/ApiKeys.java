package io.codelabs.tokens;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys, {@code clk_<keyId>_<secret>}, presented as Bearer tokens. A node verifies them against the writer's
 * records, kept in a bounded cache for a minute, so a key costs a bus round trip once a minute per node rather
 * than per request; revocations reach the node at once through {@link Revocations}.
 */
public final class ApiKeys {
  /** Config key: key records each API or bridge verticle keeps; the least recently used go first. */
  public static final String CACHE_SIZE = "apiKeys.cacheSize";
  public static final int DEFAULT_CACHE_SIZE = 10_000;
  /** Config key (persistence): active keys one facilitator may have. */
  public static final String MAX_PER_FACILITATOR = "apiKeys.maxPerFacilitator";
  public static final int DEFAULT_MAX_PER_FACILITATOR = 50;
  public static final String PREFIX = "clk_";
  /** How long a node trusts a record it fetched: also how late it sees a disabled account or a deleted codelab. */
  static final long FRESH_MS = 60_000;
  /** A node reports a key's use to the writer at most this often. */
  static final long REPORT_EVERY_MS = 60_000;

  private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern FORMAT = Pattern.compile("clk_([0-9a-f]{24})_([A-Za-z0-9_-]{43})");
  private static final String INVALID = "The token is invalid or expired";
  /** Compared against when the key id is unknown, so every refusal does the same work. */
  private static final byte[] NO_KEY = sha256("no key has this hash");

  /** A new key: the whole key is shown once; the database keeps the id and the secret's hash. */
  public record Issued(String keyId, String key, String secretHash) {
  }

  private static final class Entry {
    final JsonObject record;
    final long fetchedAt;
    long reportedAt;

    Entry(JsonObject record, long fetchedAt, long reportedAt) {
      this.record = record;
      this.fetchedAt = fetchedAt;
      this.reportedAt = reportedAt;
    }
  }

  private final BusClient bus;
  private final Revocations revocations;
  private final Map<String, Future<Entry>> cache;

  public ApiKeys(BusClient bus, Revocations revocations, int cacheSize) {
    this.bus = bus;
    this.revocations = revocations;
    this.cache = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Future<Entry>> eldest) {
        return size() > cacheSize;
      }
    };
  }

  /**
   * Keys are 256 random bits, so a plain SHA-256 of the secret cannot be reversed or guessed: a slow password hash
   * would only make every request cost milliseconds of CPU for no gain.
   */
  public static Issued generate() {
    byte[] id = new byte[12];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String keyId = HexFormat.of().formatHex(id);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Issued(keyId, PREFIX + keyId + "_" + secretText, HexFormat.of().formatHex(sha256(secretText)));
  }

  public static boolean looksLike(String token) {
    return token.startsWith(PREFIX);
  }

  /**
   * The claims of a valid key, like a facilitator token's plus {@code scopes} and, for a key of one codelab,
   * {@code codelab}; else one 401 whatever was wrong. The secret's hash is compared in constant time.
   */
  Future<JsonObject> claims(String token) {
    Matcher parts = FORMAT.matcher(token);
    if (!parts.matches()) {
      return Future.failedFuture(ErrorCode.UNAUTHORISED.failure(INVALID));
    }
    String keyId = parts.group(1);
    byte[] presented = sha256(parts.group(2));
    return entry(keyId).map(entry -> {
      JsonObject record = entry.record;
      byte[] stored = record == null ? NO_KEY : HexFormat.of().parseHex(record.getString("secretHash"));
      long now = System.currentTimeMillis();
      boolean matches = MessageDigest.isEqual(presented, stored);
      if (!matches || record == null || record.getBoolean("revoked") || record.getBoolean("disabled")
        || record.getValue("expiresAt") != null && millis(record, "expiresAt") <= now
        || revocations.refusesKey(record.getString("facilitatorId"), keyId)) {
        throw ErrorCode.UNAUTHORISED.failure(INVALID);
      }
      report(keyId, entry, now);
      return claimsOf(record);
    });
  }

  private static JsonObject claimsOf(JsonObject record) {
    JsonObject claims = new JsonObject().put("sub", record.getString("facilitatorId")).put("role", "FACILITATOR")
      .put("name", record.getString("facilitatorName")).put("jti", record.getString("id"))
      .put("iat", millis(record, "createdAt") / 1000.0).put("scopes", record.getJsonArray("scopes").copy());
    if (record.getValue("expiresAt") != null) {
      claims.put("exp", millis(record, "expiresAt") / 1000);
    }
    if (record.getString("codelabId") != null) {
      claims.put("codelab", record.getString("codelabId"));
    }
    return claims;
  }

  /** A cached record while fresh; one lookup at a time per key; an unknown key is remembered as unknown. */
  private Future<Entry> entry(String keyId) {
    long now = System.currentTimeMillis();
    Future<Entry> cached = cache.get(keyId);
    if (cached != null && (!cached.isComplete() || cached.succeeded() && now - cached.result().fetchedAt < FRESH_MS)) {
      return cached;
    }
    long reportedAt = cached != null && cached.succeeded() ? cached.result().reportedAt : 0;
    Future<Entry> fetched = bus.request(Address.APIKEY_FIND, new JsonObject().put("keyId", keyId))
      .map(record -> new Entry(record, now, Math.max(reportedAt, millis(record, "lastUsedAt"))))
      .recover(failure -> failure instanceof ReplyException reply && reply.failureCode() == ErrorCode.NOT_FOUND.code
        ? Future.succeededFuture(new Entry(null, now, 0))
        : Future.failedFuture(failure));
    cache.put(keyId, fetched);
    fetched.onFailure(failure -> cache.remove(keyId, fetched));
    return fetched;
  }

  /** The writer learns a key's use at most once a minute from each node, never once per request. */
  private void report(String keyId, Entry entry, long now) {
    if (now - entry.reportedAt < REPORT_EVERY_MS) {
      return;
    }
    entry.reportedAt = now;
    bus.request(Address.APIKEY_TOUCH, new JsonObject().put("keyId", keyId).put("at", now))
      .onFailure(failure -> LOG.debug("Use of API key {} not recorded: {}", keyId, failure.getMessage()));
  }

  private static long millis(JsonObject record, String field) {
    return record.getValue(field) instanceof Number number ? number.longValue() : 0;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
