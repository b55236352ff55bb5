package org.cardiogate.ui;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.Vital;

/**
 * The JSON the page reads. Numbers that cannot be measured ({@code NaN}) are written as {@code null}, never as the
 * non-standard {@code NaN} token. Field names are the page's contract: change them together with {@code app.js}.
 */
final class LiveJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

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

    static String vital(Vital vital) {
        return write(vitalNode(vital));
    }

    /**
     * The display samples {@code [from, end)} of one stream:
     * {@code {"s":"ecg","parts":[{"seq":1234,"v":[[..],[..]]}]}}, one part per run of contiguous samples, where
     * {@code seq} is the input sequence number of the part's first display sample (later ones follow every
     * {@code dec} input samples, see {@link #streams}) and {@code v} holds one array per channel of integers, each the
     * value divided by the channel's quantum and rounded. Written by hand: this is the busiest message.
     * Returns {@code null} when the writer overwrote the samples while they were being read.
     */
    static String wave(WaveformRing ring, long from, long end) {
        int channels = ring.stream().channelCount();
        long step = ring.decimation();
        StringBuilder sb = new StringBuilder(32 + (int) (end - from) * channels * 6);
        sb.append("{\"s\":\"").append(ring.stream().streamId()).append("\",\"parts\":[");
        long partStart = from;
        boolean firstPart = true;
        while (partStart < end) {
            long partEnd = partStart + 1;
            while (partEnd < end && ring.sequence(partEnd) == ring.sequence(partEnd - 1) + step) {
                partEnd++;
            }
            if (!firstPart) {
                sb.append(',');
            }
            firstPart = false;
            sb.append("{\"seq\":").append(ring.sequence(partStart)).append(",\"v\":[");
            for (int c = 0; c < channels; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                sb.append('[');
                double scale = 1 / ring.quantum(c);
                for (long i = partStart; i < partEnd; i++) {
                    if (i > partStart) {
                        sb.append(',');
                    }
                    float v = ring.value(c, i);
                    sb.append(Float.isFinite(v) ? Math.round(v * scale) : 0);
                }
                sb.append(']');
            }
            sb.append("]}");
            partStart = partEnd;
        }
        sb.append("]}");
        return ring.stillValid(from) ? sb.toString() : null;
    }

    /** The waveform streams: id, modality, input rate, decimation, display rate, channels with unit and quantum. */
    static String streams(List<WaveformRing> rings) {
        return write(streamsNode(rings));
    }

    static ArrayNode streamsNode(List<WaveformRing> rings) {
        ArrayNode list = MAPPER.createArrayNode();
        for (WaveformRing ring : rings) {
            ObjectNode node = list.addObject();
            node.put("id", ring.stream().streamId());
            node.put("modality", ring.stream().modality().name());
            node.put("sensor", ring.stream().sensor());
            node.put("rateHz", ring.stream().nominalRateHz());
            node.put("dec", ring.decimation());
            node.put("displayHz", ring.displayRateHz());
            ArrayNode channels = node.putArray("channels");
            for (int c = 0; c < ring.stream().channelCount(); c++) {
                channels.addObject().put("name", ring.stream().channels().get(c).name())
                        .put("unit", ring.stream().channels().get(c).unit()).put("q", ring.quantum(c));
            }
        }
        return list;
    }

    static ObjectNode vitalNode(Vital vital) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("stream", vital.streamId());
        node.put("name", vital.name());
        putMeasured(node, "value", vital.value());
        node.put("unit", vital.unit());
        node.put("source", vital.source());
        node.put("sample", vital.sample());
        node.put("t", vital.timestampNanos() / 1e9);
        return node;
    }

    static ObjectNode vitalsNode(Map<String, VitalTrend> vitals) {
        ObjectNode root = MAPPER.createObjectNode();
        for (VitalTrend trend : vitals.values()) {
            Vital latest = trend.latest();
            if (latest == null) {
                continue;
            }
            ObjectNode node = vitalNode(latest);
            ArrayNode points = node.putArray("trend");
            for (double[] p : trend.points()) {
                ArrayNode point = points.addArray();
                point.add(p[0]);
                if (Double.isFinite(p[1])) {
                    point.add(p[1]);
                } else {
                    point.addNull();
                }
            }
            root.set(trend.name(), node);
        }
        return root;
    }

    static ObjectNode eventRecordNode(EventRecord record) {
        ObjectNode node = eventNode(record.event());
        String id = record.evidenceId();
        if (id == null) {
            node.putNull("evidence");
        } else {
            node.put("evidence", id);
        }
        return node;
    }

    static String evidence(Evidence e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", e.id());
        node.set("event", eventNode(e.event()));
        node.put("channel", e.channel());
        node.put("unit", e.unit());
        node.put("rateHz", e.rateHz());
        node.put("onsetIndex", e.onsetIndex());
        ArrayNode values = node.putArray("values");
        for (float v : e.valuesShared()) {
            values.add(Math.round(v * 1000) / 1000.0);
        }
        return write(node);
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
        root.set("vitals", vitalsNode(snapshot.vitals()));
        root.set("streams", streamsNode(snapshot.streams()));
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

    static ObjectNode eventNode(CardiacEvent event) {
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

    static String write(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write page JSON: " + e.getMessage(), e);
        }
    }
}
