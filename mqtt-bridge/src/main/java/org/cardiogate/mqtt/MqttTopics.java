package org.cardiogate.mqtt;

/**
 * The topic tree of contract v1 for one gateway (see {@code docs/mqtt.md}):
 *
 * <pre>
 * cardiogate/v1/&lt;gatewayId&gt;/status                      retained, online/offline
 * cardiogate/v1/&lt;gatewayId&gt;/streams/&lt;streamId&gt;/vitals
 * cardiogate/v1/&lt;gatewayId&gt;/streams/&lt;streamId&gt;/beats
 * cardiogate/v1/&lt;gatewayId&gt;/streams/&lt;streamId&gt;/events
 * cardiogate/v1/&lt;gatewayId&gt;/streams/&lt;streamId&gt;/waveform    binary, see {@link WaveformMessage}
 * cardiogate/v1/&lt;gatewayId&gt;/stats                       retained, outbox and drop counters
 * cardiogate/v1/&lt;gatewayId&gt;/commands/&lt;name&gt;             to the gateway
 * cardiogate/v1/&lt;gatewayId&gt;/replies                     from the gateway, unless the command names reply_to
 * </pre>
 *
 * The version is a topic level so that a later, incompatible contract can be published beside this one.
 */
public final class MqttTopics {
    /** Version of the contract, also carried as {@code "v"} in every payload. */
    public static final int VERSION = 1;
    /** First two levels of every topic. */
    public static final String ROOT = "cardiogate/v" + VERSION;

    /** QoS of {@code status}: at least once, retained. */
    public static final int STATUS_QOS = 1;
    /** QoS of {@code vitals}. */
    public static final int VITALS_QOS = 1;
    /** QoS of {@code beats}. */
    public static final int BEATS_QOS = 1;
    /** QoS of {@code events}: alarms must arrive. */
    public static final int EVENTS_QOS = 1;
    /** QoS of {@code waveform}: at least once, so the outbox knows what the broker has. */
    public static final int WAVEFORM_QOS = 1;
    /** QoS of {@code stats}, retained. */
    public static final int STATS_QOS = 1;
    /** QoS of commands (subscribed) and replies. */
    public static final int COMMANDS_QOS = 1;

    private final String gatewayId;
    private final String prefix;

    /**
     * @throws IllegalArgumentException if {@code gatewayId} cannot be one MQTT topic level
     */
    public MqttTopics(String gatewayId) {
        this.gatewayId = requireLevel("gatewayId", gatewayId);
        this.prefix = ROOT + "/" + gatewayId + "/";
    }

    public String gatewayId() {
        return gatewayId;
    }

    /** {@code cardiogate/v1/<gatewayId>/} including the trailing slash. */
    public String prefix() {
        return prefix;
    }

    /** The filter that matches every topic of this gateway: {@code cardiogate/v1/<gatewayId>/#}. */
    public String allFilter() {
        return prefix + "#";
    }

    public String status() {
        return prefix + "status";
    }

    /** @throws IllegalArgumentException if {@code streamId} cannot be one MQTT topic level */
    public String vitals(String streamId) {
        return stream(streamId) + "/vitals";
    }

    /** @throws IllegalArgumentException if {@code streamId} cannot be one MQTT topic level */
    public String beats(String streamId) {
        return stream(streamId) + "/beats";
    }

    /** @throws IllegalArgumentException if {@code streamId} cannot be one MQTT topic level */
    public String events(String streamId) {
        return stream(streamId) + "/events";
    }

    /** @throws IllegalArgumentException if {@code streamId} cannot be one MQTT topic level */
    public String waveform(String streamId) {
        return stream(streamId) + "/waveform";
    }

    public String stats() {
        return prefix + "stats";
    }

    /** @throws IllegalArgumentException if {@code name} cannot be one MQTT topic level */
    public String command(String name) {
        return prefix + "commands/" + requireLevel("command name", name);
    }

    /** {@code cardiogate/v1/<gatewayId>/commands/+}: the gateway's subscription. */
    public String commandsFilter() {
        return prefix + "commands/+";
    }

    /** Default reply topic of commands. */
    public String replies() {
        return prefix + "replies";
    }

    private String stream(String streamId) {
        return prefix + "streams/" + requireLevel("streamId", streamId);
    }

    /**
     * Checks that a value can be used as exactly one topic level: not empty, no level separator {@code '/'}, no
     * wildcard {@code '+'} or {@code '#'}, no NUL or other control character (MQTT 3.1.1 section 4.7), and not
     * starting with {@code '$'} (reserved for broker topics).
     *
     * @param what the field name used in the error message
     * @return the value
     */
    public static String requireLevel(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty: it becomes an MQTT topic level");
        }
        if (value.charAt(0) == '$') {
            throw new IllegalArgumentException(what + " '" + value + "' must not start with '$' (reserved for broker topics)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#') {
                throw new IllegalArgumentException(what + " '" + value + "' contains '" + c
                        + "' at index " + i + ": an MQTT topic level cannot contain '/', '+' or '#'");
            }
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " '" + value.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a control character at index " + i);
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return prefix;
    }
}
