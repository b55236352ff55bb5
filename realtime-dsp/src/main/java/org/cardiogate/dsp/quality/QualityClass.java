package org.cardiogate.dsp.quality;

/** How far a window of ECG can be trusted, best first. */
public enum QualityClass {
    /** Clean: beats and intervals can be used as they are. */
    GOOD,
    /** Some noise or wander: beats are usable, fine measurements (intervals, morphology) less so. */
    ACCEPTABLE,
    /** Flat, railed, lead off or buried in noise: beats here are not trusted and alarms are suppressed. */
    UNUSABLE;

    /** The worse of this and {@code other}. */
    public QualityClass worst(QualityClass other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** The better of this and {@code other}. */
    public QualityClass best(QualityClass other) {
        return other.ordinal() < ordinal() ? other : this;
    }
}
