package org.cardiogate.inference;

import java.util.Objects;
import java.util.function.Consumer;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;

/**
 * Rule-based rhythm monitor for one ECG stream: bradycardia and tachycardia from the averaged heart rate (raised
 * after the condition has held for {@link RhythmLimits#sustainSeconds()}), pauses from single RR intervals, and
 * asystole while no beat arrives.
 *
 * <p>Events are emitted twice: once at onset with {@code offsetSample = -1} (live alarms need the onset now) and
 * once closed, with both ends, when the condition ends or at {@link #finish(long)}. Offline consumers keep only
 * closed events. Pauses are emitted closed only, when the beat that ends them arrives. Sample numbers are the
 * stream's sequence numbers; times follow from the stream's sample rate.
 *
 * <p>Not thread-safe: one thread feeds it (the gateway's output thread, or the offline analyzer).
 */
public final class RhythmMonitor {
    private final String streamId;
    private final double fs;
    private final RhythmLimits limits;
    private final Consumer<CardiacEvent> sink;
    private final TimestampSource timestamps;

    private long lastBeatSample = -1;
    private final RateCondition brady;
    private final RateCondition tachy;
    private long asystoleOnset = -1;

    /** Maps a sample number to the monotonic time of that sample. */
    @FunctionalInterface
    public interface TimestampSource {
        long timestampOf(long sample);
    }

    public RhythmMonitor(String streamId, double sampleRateHz, RhythmLimits limits, TimestampSource timestamps,
                         Consumer<CardiacEvent> sink) {
        this.streamId = Objects.requireNonNull(streamId);
        this.fs = sampleRateHz;
        this.limits = Objects.requireNonNull(limits);
        this.timestamps = Objects.requireNonNull(timestamps);
        this.sink = Objects.requireNonNull(sink);
        this.brady = new RateCondition(EventType.BRADY);
        this.tachy = new RateCondition(EventType.TACHY);
    }

    /**
     * One detected beat.
     *
     * @param sample       R-peak sequence number
     * @param heartRateBpm averaged heart rate after this beat, NaN while unknown
     */
    public void onBeat(long sample, double heartRateBpm) {
        if (asystoleOnset >= 0) {
            emit(EventType.ASYSTOLE, asystoleOnset, sample, "no beat for " + fmt((sample - asystoleOnset) / fs) + " s");
            asystoleOnset = -1;
        }
        if (lastBeatSample >= 0) {
            double rr = (sample - lastBeatSample) / fs;
            if (rr > limits.pauseSeconds() && rr <= limits.asystoleSeconds()) {
                emit(EventType.PAUSE, lastBeatSample, sample, "RR " + fmt(rr) + " s > " + fmt(limits.pauseSeconds()) + " s");
            }
        }
        lastBeatSample = sample;
        if (!Double.isNaN(heartRateBpm)) {
            brady.update(sample, heartRateBpm < limits.bradyBpm(),
                    heartRateBpm > limits.bradyBpm() + limits.hysteresisBpm(), heartRateBpm, limits.bradyBpm(), "<");
            tachy.update(sample, heartRateBpm > limits.tachyBpm(),
                    heartRateBpm < limits.tachyBpm() - limits.hysteresisBpm(), heartRateBpm, limits.tachyBpm(), ">");
        }
    }

    /**
     * Time passes without beats: call with the stream's current sample number (for example once per block), so
     * asystole is raised while it lasts, not when it ends.
     */
    public void onTime(long currentSample) {
        if (lastBeatSample >= 0 && asystoleOnset < 0
                && (currentSample - lastBeatSample) / fs >= limits.asystoleSeconds()) {
            asystoleOnset = lastBeatSample;
            sink.accept(new CardiacEvent(streamId, EventType.ASYSTOLE, asystoleOnset, -1, timestamps.timestampOf(asystoleOnset),
                    "no beat for " + fmt(limits.asystoleSeconds()) + " s"));
        }
    }

    /** End of input: closes open episodes at {@code lastSample}. */
    public void finish(long lastSample) {
        if (asystoleOnset >= 0) {
            emit(EventType.ASYSTOLE, asystoleOnset, lastSample, "no beat until end of signal");
            asystoleOnset = -1;
        }
        brady.close(lastSample);
        tachy.close(lastSample);
    }

    private void emit(EventType type, long onset, long offset, String detail) {
        sink.accept(new CardiacEvent(streamId, type, onset, offset, timestamps.timestampOf(onset), detail));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    /** A rate condition with a sustain time at both ends. */
    private final class RateCondition {
        private final EventType type;
        private long candidateSince = -1;
        private long activeSince = -1;
        private long clearingSince = -1;

        RateCondition(EventType type) {
            this.type = type;
        }

        void update(long sample, boolean violated, boolean clearlyBack, double hr, double limit, String op) {
            long sustain = Math.round(limits.sustainSeconds() * fs);
            if (activeSince < 0) {
                if (!violated) {
                    candidateSince = -1;
                    return;
                }
                if (candidateSince < 0) {
                    candidateSince = sample;
                }
                if (sample - candidateSince >= sustain) {
                    activeSince = candidateSince;
                    clearingSince = -1;
                    sink.accept(new CardiacEvent(streamId, type, activeSince, -1, timestamps.timestampOf(activeSince),
                            "HR " + Math.round(hr) + " bpm " + op + " " + Math.round(limit) + " bpm"));
                }
            } else if (clearlyBack) {
                if (clearingSince < 0) {
                    clearingSince = sample;
                }
                if (sample - clearingSince >= sustain) {
                    emit(type, activeSince, clearingSince, "HR back to " + Math.round(hr) + " bpm");
                    activeSince = -1;
                    candidateSince = -1;
                    clearingSince = -1;
                }
            } else {
                clearingSince = -1;
            }
        }

        void close(long lastSample) {
            if (activeSince >= 0) {
                emit(type, activeSince, lastSample, "until end of signal");
                activeSince = -1;
            }
            candidateSince = -1;
            clearingSince = -1;
        }
    }
}
