package io.codelabs.credentials;

/** Keys of how certificates and their credentials are issued, read by the verticles that build them. */
public final class CredentialsConfig {
  /** The issuer's name in every credential and in the issuer profile. */
  public static final String ISSUER_NAME = "certificates.issuerName";
  /** A TrueType or OpenType font file for certificate PDFs; none: the first known system font with Hangul. */
  public static final String FONT = "certificates.font";

  private CredentialsConfig() {
  }
}
