package org.cardiogate.ui;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;

/**
 * What the page shows, at one moment.
 *
 * @param heartRates     latest heart rate per stream, by stream id (sorted)
 * @param beats          the most recent beats, oldest first
 * @param events         the most recent cardiac events, oldest first
 * @param status         gateway status entries such as {@code gatewayId}, {@code mqtt}, {@code source} (sorted)
 * @param updatesDropped beats and heart rates dropped because the dispatcher fell behind
 * @param eventsDropped  cardiac events dropped because the dispatcher fell behind
 * @param clientDrops    messages dropped across all live clients that read too slowly
 * @param clients        live (SSE) clients connected now
 * @param vitals         latest value and trend of every vital, by name
 * @param streams        waveform streams seen, sorted by id
 */
public record LiveSnapshot(Map<String, HeartRate> heartRates, List<Beat> beats, List<CardiacEvent> events,
                           Map<String, String> status, long updatesDropped, long eventsDropped, long clientDrops,
                           int clients, Map<String, VitalTrend> vitals, List<WaveformRing> streams) {
    public LiveSnapshot {
        heartRates = Collections.unmodifiableMap(new TreeMap<>(heartRates));
        beats = List.copyOf(beats);
        events = List.copyOf(events);
        status = Collections.unmodifiableMap(new TreeMap<>(status));
        vitals = Collections.unmodifiableMap(new TreeMap<>(vitals));
        streams = List.copyOf(streams);
    }
}
