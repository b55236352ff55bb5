package org.cardiogate.mqtt;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.cardiogate.signal.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a command message into a reply: parses and validates it against its schema ({@code docs/mqtt-schemas/}),
 * checks the token and the allow-list, calls the {@link CommandHandler} only when all passed, and writes the reply.
 * A request repeated with the same {@code id} (a QoS 1 redelivery) is answered with the first reply and not carried
 * out again. Not thread-safe: the command thread owns it.
 */
final class CommandProcessor {
    /** Largest command payload accepted, bytes. */
    static final int MAX_PAYLOAD = 8192;
    private static final int REMEMBERED_IDS = 512;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern CONFIG_KEY = Pattern.compile("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)+");
    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> TOP_LEVEL = Set.of("v", "id", "token", "reply_to", "args");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    /** A reply to publish. */
    record Response(String topic, byte[] payload, String status) {
    }

    private final MqttTopics topics;
    private final CommandPolicy policy;
    private final CommandHandler handler;
    private final Clock wallClock;
    private final Map<String, Response> answered = new LinkedHashMap<>(REMEMBERED_IDS, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Response> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };

    CommandProcessor(MqttTopics topics, CommandPolicy policy, CommandHandler handler, Clock wallClock) {
        this.topics = topics;
        this.policy = policy;
        this.handler = handler;
        this.wallClock = wallClock;
    }

    /** Thrown for a request that breaks its schema; the message is the reason given in the reply. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    Response process(String topic, byte[] payload) {
        String name = topic.startsWith(topics.prefix() + "commands/")
                ? topic.substring((topics.prefix() + "commands/").length()) : topic;
        String id = null;
        String replyTo = topics.replies();
        try {
            if (payload.length > MAX_PAYLOAD) {
                throw new Invalid("malformed: payload is " + payload.length + " bytes, more than " + MAX_PAYLOAD);
            }
            JsonNode root;
            try {
                root = JSON.readTree(payload);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new Invalid("malformed: not JSON (" + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                throw new Invalid("malformed: not JSON");
            }
            if (root == null || !root.isObject()) {
                throw new Invalid("malformed: the payload must be a JSON object");
            }
            JsonNode idNode = root.get("id");
            if (idNode != null && idNode.isTextual() && ID.matcher(idNode.asText()).matches()) {
                id = idNode.asText();
            }
            JsonNode replyNode = root.get("reply_to");
            if (replyNode != null) {
                if (!replyNode.isTextual() || !validReplyTopic(replyNode.asText())) {
                    throw new Invalid("malformed: reply_to must be a topic without wildcards, not starting with '$',"
                            + " at most 512 characters");
                }
                replyTo = replyNode.asText();
            }
            if (id != null) {
                Response earlier = answered.get(id);
                if (earlier != null) {
                    return new Response(replyTo, earlier.payload(), earlier.status());
                }
            }
            // the token is checked before anything else is said about the request
            JsonNode token = root.get("token");
            if (token == null || !token.isTextual()) {
                throw new Invalid("unauthorised: token missing");
            }
            if (!policy.accepts(token.asText())) {
                LOG.warn("MQTT command '{}' (id {}) rejected: token not accepted", name, id);
                throw new Invalid("unauthorised: token not accepted");
            }
            if (!CommandPolicy.ALL_COMMANDS.contains(name)) {
                throw new Invalid("unknown command '" + name + "'; known: " + CommandPolicy.ALL_COMMANDS);
            }
            if (!policy.allows(name)) {
                throw new Invalid("not allowed: command '" + name + "' is not in this gateway's allow-list");
            }
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!TOP_LEVEL.contains(field)) {
                    throw new Invalid("malformed: unknown field '" + field + "'");
                }
            }
            JsonNode v = root.get("v");
            if (v == null || !v.isInt() || v.asInt() != MqttTopics.VERSION) {
                throw new Invalid("malformed: v must be " + MqttTopics.VERSION);
            }
            if (id == null) {
                throw new Invalid("malformed: id must be 1-128 characters of letters, digits, '.', '_', ':', '-'");
            }
            JsonNode args = root.get("args");
            if (args == null) {
                args = JSON.createObjectNode();
            }
            if (!args.isObject()) {
                throw new Invalid("malformed: args must be an object");
            }
            Command command = parse(name, id, (ObjectNode) args);
            CommandHandler.Reply reply;
            try {
                reply = handler.handle(command);
            } catch (RuntimeException e) {
                LOG.error("MQTT command {} (id {}) failed in the gateway", name, id, e);
                reply = CommandHandler.Reply.failed("error: " + e.getClass().getSimpleName());
            }
            if (reply == null) {
                reply = CommandHandler.Reply.failed("error: the gateway gave no answer");
            }
            Response response = new Response(replyTo, reply(id, name, reply.ok() ? "ok" : "failed", reply.message()),
                    reply.ok() ? "ok" : "failed");
            answered.put(id, response);
            return response;
        } catch (Invalid e) {
            return new Response(replyTo, reply(id, name, "rejected", e.getMessage()), "rejected");
        }
    }

    private static boolean validReplyTopic(String t) {
        return !t.isEmpty() && t.length() <= 512 && t.charAt(0) != '$' && t.indexOf('+') < 0 && t.indexOf('#') < 0
                && t.indexOf('\0') < 0;
    }

    private static Command parse(String name, String id, ObjectNode args) throws Invalid {
        return switch (name) {
            case Command.SetConfig.NAME -> {
                only(args, "key", "value");
                String key = text(args, "key", true, 128);
                if (!CONFIG_KEY.matcher(key).matches()) {
                    throw new Invalid("malformed: args.key '" + key + "' is not a dotted configuration key like alarms.tachyBpm");
                }
                JsonNode value = args.get("value");
                if (value == null || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
                    throw new Invalid("malformed: args.value must be a string, number or boolean");
                }
                if (value.isTextual() && value.asText().length() > 256) {
                    throw new Invalid("malformed: args.value is longer than 256 characters");
                }
                yield new Command.SetConfig(id, key, value.asText());
            }
            case Command.StartRecording.NAME -> {
                only(args, "stream", "label", "duration_s");
                String stream = stream(args, false);
                String label = text(args, "label", false, 64);
                int duration = 0;
                JsonNode d = args.get("duration_s");
                if (d != null) {
                    if (!d.isInt() || d.asInt() < 1 || d.asInt() > 86_400) {
                        throw new Invalid("malformed: args.duration_s must be an integer 1..86400");
                    }
                    duration = d.asInt();
                }
                yield new Command.StartRecording(id, stream, label, duration);
            }
            case Command.StopRecording.NAME -> {
                only(args, "stream");
                yield new Command.StopRecording(id, stream(args, false));
            }
            case Command.AcknowledgeAlarm.NAME -> {
                only(args, "stream", "type", "sample", "by");
                String stream = stream(args, true);
                String typeName = text(args, "type", true, 32);
                EventType type;
                try {
                    type = EventType.valueOf(typeName);
                } catch (IllegalArgumentException e) {
                    throw new Invalid("malformed: args.type '" + typeName + "' is not an event type");
                }
                JsonNode sample = args.get("sample");
                if (sample == null || !sample.canConvertToLong() || !sample.isIntegralNumber() || sample.asLong() < 0) {
                    throw new Invalid("malformed: args.sample must be a non-negative integer");
                }
                yield new Command.AcknowledgeAlarm(id, stream, type, sample.asLong(), text(args, "by", false, 64));
            }
            default -> throw new Invalid("unknown command '" + name + "'");
        };
    }

    private static void only(ObjectNode args, String... allowed) throws Invalid {
        Set<String> names = Set.of(allowed);
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!names.contains(field)) {
                throw new Invalid("malformed: unknown field args." + field);
            }
        }
    }

    private static String text(ObjectNode args, String field, boolean required, int maxLength) throws Invalid {
        JsonNode n = args.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new Invalid("malformed: args." + field + " is required");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isEmpty() || n.asText().length() > maxLength) {
            throw new Invalid("malformed: args." + field + " must be a string of 1-" + maxLength + " characters");
        }
        return n.asText();
    }

    private static String stream(ObjectNode args, boolean required) throws Invalid {
        String s = text(args, "stream", required, 64);
        if (s != null && !STREAM.matcher(s).matches()) {
            throw new Invalid("malformed: args.stream '" + s + "' is not a stream id");
        }
        return s;
    }

    private byte[] reply(String id, String command, String status, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", MqttTopics.VERSION);
            g.writeStringField("gatewayId", topics.gatewayId());
            g.writeStringField("id", id);
            g.writeStringField("command", command);
            g.writeStringField("status", status);
            g.writeStringField("message", message == null ? "" : message);
            g.writeStringField("ts", Payloads.ts(wallClock.millis()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
