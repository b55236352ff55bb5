package org.cardiogate.mqtt;

/**
 * Carries out commands for the gateway. Called on the bridge's single command thread
 * ({@code mqtt-commands-<gatewayId>}), never on Paho's callback thread, one command at a time; it may block briefly
 * (a configuration write), but commands queue behind it (at most 64, then they are rejected as busy).
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @return the answer published on the reply topic; {@link Reply#failed} when the gateway refuses the command
     *         (for example an unknown configuration key) and changed nothing
     */
    Reply handle(Command command);

    /**
     * The answer to a command.
     *
     * @param ok      whether the command was carried out
     * @param message what was done, or why not; published as {@code message}
     */
    record Reply(boolean ok, String message) {
        public static Reply ok(String message) {
            return new Reply(true, message);
        }

        public static Reply failed(String reason) {
            return new Reply(false, reason);
        }
    }
}
