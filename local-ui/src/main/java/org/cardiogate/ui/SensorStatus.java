package org.cardiogate.ui;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One sensor stream on the status page.
 *
 * @param streamId       the stream, e.g. {@code "ecg"}
 * @param sensor         the device, e.g. {@code "ADS1298"}
 * @param connected      whether samples are arriving
 * @param nominalRateHz  the configured sample rate
 * @param achievedRateHz the rate measured over the last seconds, or {@code NaN}
 * @param droppedSamples samples lost since start (gaps in the sequence)
 * @param leadOff        lead-off flag per electrode name (e.g. {@code "RA" -> true} when off); empty when the
 *                       sensor has no lead-off detection
 * @param signalQuality  0 (unusable) to 1 (clean), or {@code NaN} when not assessed
 */
public record SensorStatus(String streamId, String sensor, boolean connected, double nominalRateHz,
                           double achievedRateHz, long droppedSamples, Map<String, Boolean> leadOff,
                           double signalQuality) {
    public SensorStatus {
        Objects.requireNonNull(streamId, "streamId");
        sensor = sensor == null ? "" : sensor;
        leadOff = Map.copyOf(new TreeMap<>(leadOff));
    }
}
