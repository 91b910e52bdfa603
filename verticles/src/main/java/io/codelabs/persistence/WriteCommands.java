package io.codelabs.persistence;

import io.codelabs.bus.Address;
import java.util.EnumMap;
import java.util.Map;

/** Every write command outside files and attempts, by domain; each runs in the writer's batch transaction. */
final class WriteCommands {
  private WriteCommands() {
  }

  static Map<Address, Writer.Command> all() {
    Map<Address, Writer.Command> commands = new EnumMap<>(Address.class);
    AccountCommands.addTo(commands);
    CodelabCommands.addTo(commands);
    AttendeeCommands.addTo(commands);
    PresenceCommands.addTo(commands);
    HelpCommands.addTo(commands);
    PacingCommands.addTo(commands);
    MessageCommands.addTo(commands);
    QuizCommands.addTo(commands);
    CertificateCommands.addTo(commands);
    RaffleCommands.addTo(commands);
    AuditCommands.addTo(commands);
    return commands;
  }
}
