package io.codelabs.storage;

/** Keys of where accepted files are kept, read by every verticle that opens the {@link Storage}. */
public final class StorageConfig {
  public static final String DIR = "uploads.storageDir";
  public static final String S3_ENDPOINT = "s3.endpoint";
  public static final String S3_BUCKET = "s3.bucket";
  public static final String S3_REGION = "s3.region";
  public static final String S3_PATH_STYLE = "s3.pathStyle";
  public static final String S3_ACCESS_KEY = "s3.accessKey";
  public static final String S3_SECRET_KEY = "s3.secretKey";

  private StorageConfig() {
  }
}
