package org.cardiogate.mqtt;

import org.cardiogate.signal.EventType;

/**
 * A validated, authorised command received on {@code cardiogate/v1/<gatewayId>/commands/<name>} (see
 * {@code docs/mqtt.md} and {@code docs/mqtt-schemas/}). Only commands that passed every check reach the
 * {@link CommandHandler}; the others are answered with {@code "status":"rejected"} by the bridge itself.
 */
public sealed interface Command {
    /** The request's {@code id}, echoed in the reply so the sender can match them. */
    String correlationId();

    /** The topic level naming the command, e.g. {@code "ack_alarm"}. */
    String name();

    /**
     * Change one configuration value; the gateway checks the key and the value against its configuration model.
     *
     * @param key   dotted key as in the configuration file, e.g. {@code "alarms.tachyBpm"}
     * @param value the new value as text (JSON numbers and booleans are given in their JSON spelling)
     */
    record SetConfig(String correlationId, String key, String value) implements Command {
        public static final String NAME = "set_config";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * Start recording.
     *
     * @param streamId        the stream to record, or {@code null} for all streams
     * @param label           a free label for the recording, or {@code null}
     * @param durationSeconds how long, or 0 until a {@link StopRecording}
     */
    record StartRecording(String correlationId, String streamId, String label, int durationSeconds) implements Command {
        public static final String NAME = "start_recording";

        @Override
        public String name() {
            return NAME;
        }
    }

    /** @param streamId the stream, or {@code null} for all streams */
    record StopRecording(String correlationId, String streamId) implements Command {
        public static final String NAME = "stop_recording";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * Acknowledge an alarm: the event of {@code type} with onset {@code sample} on {@code streamId}, as published on
     * {@code streams/<streamId>/events}.
     *
     * @param by who acknowledged it (free text, for the audit trail), or {@code null}
     */
    record AcknowledgeAlarm(String correlationId, String streamId, EventType type, long sample, String by)
            implements Command {
        public static final String NAME = "ack_alarm";

        @Override
        public String name() {
            return NAME;
        }
    }
}
