package org.cardiogate.signal;

/**
 * One detected heartbeat, as it leaves the real-time loop.
 *
 * @param streamId       the ECG stream it was found in
 * @param sample         sequence number of the R peak in the stream's own sample counter
 * @param timestampNanos monotonic time of the R peak
 * @param beatClass      AAMI class ({@link AamiClass#Q} until a classifier has spoken)
 * @param rrSeconds      interval from the previous beat in seconds, or {@code NaN} for the first beat
 * @param heartRateBpm   the averaged heart rate a monitor would display after this beat, or {@code NaN}
 */
public record Beat(String streamId, long sample, long timestampNanos, AamiClass beatClass, double rrSeconds,
                   double heartRateBpm) {
}
