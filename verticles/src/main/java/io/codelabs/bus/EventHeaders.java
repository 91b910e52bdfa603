package io.codelabs.bus;

/** Headers the writer sets on the bus messages of the events it publishes; clients never see them. */
public final class EventHeaders {
  /** Epoch milliseconds at which the batch holding the event committed, for the bridges' fan-out latency. */
  public static final String COMMITTED_AT = "committedAt";

  private EventHeaders() {
  }
}
