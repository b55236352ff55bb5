package org.cardiogate.signal;

/**
 * A vital sign value, such as heart rate or SpO2.
 *
 * @param streamId       the stream it was measured from
 * @param name           {@code "heart_rate"}, {@code "spo2"}, ...
 * @param value          the value, or {@code NaN} when it cannot be measured now
 * @param unit           {@code "bpm"}, {@code "%"}, ...
 * @param sample         sequence number, in the source stream, of the sample the value refers to
 * @param timestampNanos monotonic time of that sample
 * @param source         how it was measured, for example {@code "ecg"} or {@code "ppg"}
 */
public record Vital(String streamId, String name, double value, String unit, long sample, long timestampNanos,
                    String source) {
    public static final String HEART_RATE = "heart_rate";
}
