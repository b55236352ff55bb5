package org.cardiogate.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.Vital;

/**
 * Writes the JSON payloads of contract v1. Not thread-safe: the publisher's sender thread owns one instance and
 * reuses its buffer. {@code NaN} values are written as {@code null}.
 */
final class Payloads {
    /** ISO-8601 UTC with exactly three fraction digits, so every {@code ts} has the same shape. */
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final JsonFactory JSON = new JsonFactory();

    private final String gatewayId;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

    Payloads(String gatewayId) {
        this.gatewayId = gatewayId;
    }

    static String ts(long epochMillis) {
        return TS.format(Instant.ofEpochMilli(epochMillis));
    }

    byte[] vital(Vital v, long seq, long wallMillis) {
        try (JsonGenerator g = start()) {
            common(g, v.streamId(), seq, v.sample(), v.timestampNanos(), wallMillis);
            g.writeStringField("name", v.name());
            number(g, "value", v.value());
            g.writeStringField("unit", v.unit());
            g.writeStringField("source", v.source());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    byte[] beat(Beat b, long seq, long wallMillis) {
        try (JsonGenerator g = start()) {
            common(g, b.streamId(), seq, b.sample(), b.timestampNanos(), wallMillis);
            g.writeStringField("class", b.beatClass() == null ? null : b.beatClass().name());
            number(g, "rr_s", b.rrSeconds());
            number(g, "hr_bpm", b.heartRateBpm());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    byte[] event(CardiacEvent e, long seq, long wallMillis) {
        try (JsonGenerator g = start()) {
            common(g, e.streamId(), seq, e.onsetSample(), e.timestampNanos(), wallMillis);
            g.writeStringField("type", e.type().name());
            g.writeBooleanField("ongoing", e.isOngoing());
            if (e.isOngoing()) {
                g.writeNullField("end_sample");
            } else {
                g.writeNumberField("end_sample", e.offsetSample());
            }
            g.writeStringField("detail", e.detail());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return buffer.toByteArray();
    }

    /**
     * The status message.
     *
     * @param state      {@code "online"} or {@code "offline"}
     * @param reason     why it is offline ({@code "shutdown"}, {@code "connection_lost"}), or {@code null}
     * @param wallMillis when it was written, or {@link Long#MIN_VALUE} to leave {@code ts} out (the last will is
     *                   fixed at connect time, so a time in it would be stale)
     */
    byte[] status(String state, String clientId, String reason, long wallMillis) {
        return status(state, clientId, reason, wallMillis, -1, true);
    }

    /** @param boot the outbox's boot counter for the birth message, or -1 to leave it out */
    byte[] status(String state, String clientId, String reason, long wallMillis, long boot, boolean previousClean) {
        try (JsonGenerator g = start()) {
            g.writeNumberField("v", MqttTopics.VERSION);
            g.writeStringField("gatewayId", gatewayId);
            g.writeStringField("state", state);
            g.writeStringField("clientId", clientId);
            if (boot >= 0) {
                g.writeNumberField("boot", boot);
                g.writeBooleanField("previous_shutdown_clean", previousClean);
            }
            if (reason != null) {
                g.writeStringField("reason", reason);
            }
            if (wallMillis != Long.MIN_VALUE) {
                g.writeStringField("ts", ts(wallMillis));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * The retained {@code stats} message. Arrays are indexed by {@link Lane} ordinal.
     */
    byte[] stats(long boot, boolean previousShutdownClean, boolean connected, long outboxBytes, long budgetBytes,
                 long[] pending, long[] published, long[] droppedQueue, long[] droppedDisk, long overBudgetEvents,
                 long rejected, long wallMillis) {
        try (JsonGenerator g = start()) {
            g.writeNumberField("v", MqttTopics.VERSION);
            g.writeStringField("gatewayId", gatewayId);
            g.writeStringField("ts", ts(wallMillis));
            g.writeNumberField("boot", boot);
            g.writeBooleanField("previous_shutdown_clean", previousShutdownClean);
            g.writeBooleanField("connected", connected);
            g.writeNumberField("outbox_bytes", outboxBytes);
            g.writeNumberField("outbox_budget_bytes", budgetBytes);
            lanes(g, "pending", pending);
            lanes(g, "published", published);
            lanes(g, "dropped_queue", droppedQueue);
            lanes(g, "dropped_disk", droppedDisk);
            g.writeNumberField("events_over_budget", overBudgetEvents);
            g.writeNumberField("rejected", rejected);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static void lanes(JsonGenerator g, String name, long[] byLane) throws IOException {
        g.writeObjectFieldStart(name);
        for (Lane lane : Lane.ALL) {
            g.writeNumberField(lane.label(), byLane[lane.ordinal()]);
        }
        g.writeEndObject();
    }

    private JsonGenerator start() throws IOException {
        buffer.reset();
        JsonGenerator g = JSON.createGenerator(buffer);
        g.writeStartObject();
        return g;
    }

    private void common(JsonGenerator g, String streamId, long seq, long sample, long timestampNanos, long wallMillis)
            throws IOException {
        g.writeNumberField("v", MqttTopics.VERSION);
        g.writeStringField("gatewayId", gatewayId);
        g.writeStringField("streamId", streamId);
        g.writeNumberField("seq", seq);
        g.writeNumberField("sample", sample);
        g.writeNumberField("t_ns", timestampNanos);
        g.writeStringField("ts", ts(wallMillis));
    }

    private static void number(JsonGenerator g, String name, double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }
}
