package org.cardiogate.dsp.quality;

import java.util.StringJoiner;

/**
 * The reasons behind a window's {@link QualityClass}, as bits of an {@code int} so that reporting them allocates
 * nothing. {@link #describe(int)} spells a mask out (for logs and files, off the real-time path).
 */
public final class QualityFlags {
    /** The input barely moves: peak-to-peak below {@link SignalQualityConfig#flatMv()}. */
    public static final int FLAT = 1;
    /** The input sits at the converter's range or repeats its extreme value (saturation, clipping). */
    public static final int CLIPPED = 1 << 1;
    /** Electrode off: railed for most of the window, or the driver said so. */
    public static final int LEAD_OFF = 1 << 2;
    /** Power above 40 Hz large against the QRS band (muscle, electrode noise). */
    public static final int HIGH_FREQUENCY_NOISE = 1 << 3;
    /** Large excursion below 1 Hz (movement, breathing, electrode drift). */
    public static final int BASELINE_WANDER = 1 << 4;
    /** Two different beat detectors disagree (low bSQI). */
    public static final int DETECTOR_DISAGREEMENT = 1 << 5;
    /** Energy in the QRS band between beats large against the beats' own (noise where the detector looks). */
    public static final int QRS_BAND_NOISE = 1 << 6;

    private static final String[] NAMES = {"FLAT", "CLIPPED", "LEAD_OFF", "HIGH_FREQUENCY_NOISE", "BASELINE_WANDER",
        "DETECTOR_DISAGREEMENT", "QRS_BAND_NOISE"};

    private QualityFlags() {
    }

    /** The names of the bits set in {@code flags}, joined by {@code |}, or an empty string for none. */
    public static String describe(int flags) {
        StringJoiner j = new StringJoiner("|");
        for (int b = 0; b < NAMES.length; b++) {
            if ((flags & (1 << b)) != 0) {
                j.add(NAMES[b]);
            }
        }
        return j.toString();
    }
}
