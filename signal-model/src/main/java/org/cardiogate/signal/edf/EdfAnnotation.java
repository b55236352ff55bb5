package org.cardiogate.signal.edf;

import java.util.Objects;

/**
 * One EDF+ annotation.
 *
 * @param onsetSeconds    seconds from the file's start date and time (may be negative)
 * @param durationSeconds duration in seconds, or {@code NaN} when the annotation has none
 * @param text            the annotation text (UTF-8 in the file), e.g. {@code "N"} or {@code "TACHY"}
 */
public record EdfAnnotation(double onsetSeconds, double durationSeconds, String text) {
    public EdfAnnotation {
        Objects.requireNonNull(text, "text");
        if (!Double.isFinite(onsetSeconds)) {
            throw new IllegalArgumentException("annotation onset must be a finite number of seconds, got "
                    + onsetSeconds);
        }
        if (!Double.isNaN(durationSeconds) && !(durationSeconds >= 0 && Double.isFinite(durationSeconds))) {
            throw new IllegalArgumentException("annotation duration must be NaN (none) or a finite number of seconds"
                    + " >= 0, got " + durationSeconds);
        }
    }

    /** Whether the annotation has a duration. */
    public boolean hasDuration() {
        return !Double.isNaN(durationSeconds);
    }
}
