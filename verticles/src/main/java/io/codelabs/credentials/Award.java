package io.codelabs.credentials;

/**
 * What one certificate says: who (the printed name) completed which codelab under whom, when, and in how long.
 * Times are epoch milliseconds.
 */
public record Award(String certificateId, String name, String codelabId, String codelabTitle, String facilitatorName,
                    long startedAt, long completedAt, long issuedAt, long durationMinutes) {

  /** The page a person opens to check a certificate, relative to the instance's public URL. */
  public static String verifyPath(String certificateId) {
    return "/verify/" + certificateId;
  }

  public static String pdfPath(String certificateId) {
    return "/api/certificates/" + certificateId + ".pdf";
  }

  public static String credentialPath(String certificateId) {
    return "/api/certificates/" + certificateId + "/credential";
  }

  /** The public certificate JSON, whose {@code status} is the credential's revocation check. */
  public static String statusPath(String certificateId) {
    return "/api/certificates/" + certificateId;
  }
}
