package org.cardiogate.dsp.fusion;

import java.util.Objects;
import org.cardiogate.dsp.ppg.PpgConfig;
import org.cardiogate.dsp.scg.ScgConfig;

/**
 * Settings of the {@link FusionEngine}; every error names the field.
 *
 * @param ppg             pulse detection settings
 * @param scg             SCG settings
 * @param patMinSeconds   a PPG foot belongs to a beat if it lies from R + this ...
 * @param patMaxSeconds   ... to R + this (the physiological pulse arrival window)
 * @param currentSeconds  a modality's heart rate counts as current while its last beat is at most this old
 * @param staleSeconds    a stream whose newest sample is this much older than the newest of any stream is not
 *                        waited for
 */
public record FusionConfig(PpgConfig ppg, ScgConfig scg, double patMinSeconds, double patMaxSeconds,
                           double currentSeconds, double staleSeconds) {

    public FusionConfig {
        Objects.requireNonNull(ppg, "FusionConfig.ppg");
        Objects.requireNonNull(scg, "FusionConfig.scg");
        if (!(patMinSeconds >= 0 && patMaxSeconds > patMinSeconds && patMaxSeconds <= 1.5)) {
            throw new IllegalArgumentException("FusionConfig.patMinSeconds/patMaxSeconds must satisfy 0 <= min < max"
                    + " <= 1.5, got " + patMinSeconds + ", " + patMaxSeconds);
        }
        if (!(currentSeconds > 0 && currentSeconds <= 8)) {
            throw new IllegalArgumentException("FusionConfig.currentSeconds must be in (0, 8], got " + currentSeconds);
        }
        if (!(staleSeconds > 0)) {
            throw new IllegalArgumentException("FusionConfig.staleSeconds must be positive, got " + staleSeconds);
        }
    }

    /** PAT window 50..600 ms, a heart rate current for 3 s, streams 2 s behind not waited for. */
    public static FusionConfig defaults() {
        return new FusionConfig(PpgConfig.defaults(), ScgConfig.defaults(), 0.05, 0.6, 3, 2);
    }

    public FusionConfig withPatWindow(double minSeconds, double maxSeconds) {
        return new FusionConfig(ppg, scg, minSeconds, maxSeconds, currentSeconds, staleSeconds);
    }
}
