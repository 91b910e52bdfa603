package io.codelabs.bus;

/** A failure with a catalogued code, raised by a handler and sent back as the bus reply's failure. */
public final class BusFailure extends RuntimeException {
  public final ErrorCode code;

  public BusFailure(ErrorCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }
}
