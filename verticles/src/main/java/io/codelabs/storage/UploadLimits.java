package io.codelabs.storage;

/**
 * Keys of the upload limits: the API verticle bounds what it receives by them, the uploads verticle what it checks
 * and the persistence verticle what an attendee may keep.
 */
public final class UploadLimits {
  public static final String MAX_FILE_BYTES = "uploads.maxFileBytes";
  public static final String MAX_ATTENDEE_BYTES = "uploads.maxAttendeeBytes";
  public static final String MAX_SUBMISSIONS = "uploads.maxSubmissions";
  public static final String MAX_IN_FLIGHT = "uploads.maxInFlight";
  public static final String SCAN_TIMEOUT_MS = "clamd.timeoutMs";

  private UploadLimits() {
  }
}
