package io.codelabs.outbound;

/** Config keys of webhooks, read by the API (registration), the writer (log bound) and the delivering verticle. */
public final class WebhookConfig {
  public static final String ALLOW_HTTP = "webhooks.allowHttp";
  public static final String ALLOW_PRIVATE_TARGETS = "webhooks.allowPrivateTargets";
  public static final String RETRY_WINDOW_MS = "webhooks.retryWindowMs";
  public static final String RETRY_BASE_MS = "webhooks.retryBaseMs";
  public static final String RETRY_MAX_MS = "webhooks.retryMaxMs";
  public static final String TIMEOUT_MS = "webhooks.timeoutMs";
  public static final String MAX_BODY_BYTES = "webhooks.maxBodyBytes";
  public static final String MAX_RESPONSE_BYTES = "webhooks.maxResponseBytes";
  public static final String ROTATION_OVERLAP_SECONDS = "webhooks.rotationOverlapSeconds";
  public static final String LOG_ROWS = "webhooks.logRows";
  public static final String MAX_PER_FACILITATOR = "webhooks.maxPerFacilitator";
  public static final String POLL_MS = "webhooks.pollMs";

  private WebhookConfig() {
  }
}
