package org.cardiogate.ui;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;

/**
 * The JSON the page reads. Numbers that cannot be measured ({@code NaN}) are written as {@code null}, never as the
 * non-standard {@code NaN} token. Field names are the page's contract: change them together with {@code app.js}.
 */
final class LiveJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LiveJson() {
    }

    static String heartRate(HeartRate hr) {
        return write(heartRateNode(hr));
    }

    static String beat(Beat beat) {
        return write(beatNode(beat));
    }

    static String event(CardiacEvent event) {
        return write(eventNode(event));
    }

    static String status(Map<String, String> status) {
        return write(statusNode(status));
    }

    static String state(LiveSnapshot snapshot) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode rates = root.putObject("heartRates");
        for (HeartRate hr : snapshot.heartRates().values()) {
            rates.set(hr.streamId(), heartRateNode(hr));
        }
        ArrayNode beats = root.putArray("beats");
        for (Beat beat : snapshot.beats()) {
            beats.add(beatNode(beat));
        }
        ArrayNode events = root.putArray("events");
        for (CardiacEvent event : snapshot.events()) {
            events.add(eventNode(event));
        }
        root.set("status", statusNode(snapshot.status()));
        ObjectNode counters = root.putObject("counters");
        counters.put("updatesDropped", snapshot.updatesDropped());
        counters.put("eventsDropped", snapshot.eventsDropped());
        counters.put("clientDrops", snapshot.clientDrops());
        counters.put("clients", snapshot.clients());
        return write(root);
    }

    private static ObjectNode heartRateNode(HeartRate hr) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("stream", hr.streamId());
        putMeasured(node, "bpm", hr.bpm());
        node.put("source", hr.source());
        node.put("sample", hr.sample());
        node.put("timestampNanos", hr.timestampNanos());
        return node;
    }

    private static ObjectNode beatNode(Beat beat) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("stream", beat.streamId());
        node.put("sample", beat.sample());
        node.put("timestampNanos", beat.timestampNanos());
        node.put("beatClass", beat.beatClass() == null ? null : beat.beatClass().name());
        putMeasured(node, "rrSeconds", beat.rrSeconds());
        putMeasured(node, "bpm", beat.heartRateBpm());
        return node;
    }

    private static ObjectNode eventNode(CardiacEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("stream", event.streamId());
        node.put("type", event.type().name());
        node.put("onsetSample", event.onsetSample());
        node.put("offsetSample", event.offsetSample());
        node.put("ongoing", event.isOngoing());
        node.put("timestampNanos", event.timestampNanos());
        node.put("detail", event.detail());
        return node;
    }

    private static ObjectNode statusNode(Map<String, String> status) {
        ObjectNode node = MAPPER.createObjectNode();
        for (Map.Entry<String, String> entry : status.entrySet()) {
            node.put(entry.getKey(), entry.getValue());
        }
        return node;
    }

    private static void putMeasured(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write page JSON: " + e.getMessage(), e);
        }
    }
}
