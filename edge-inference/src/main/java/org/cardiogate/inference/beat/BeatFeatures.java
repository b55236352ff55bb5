package org.cardiogate.inference.beat;

/**
 * The input layout of the beat classifier, shared by the Java extractor, the training export and the model
 * manifest: a beat-centred window resampled to {@link #WINDOW_RATE_HZ}, in two channels (the beat and the median
 * of the record's previous beats), and {@link #RR_FEATURES} RR-interval features.
 */
public final class BeatFeatures {
    /** Rate of the resampled window, whatever the input rate. */
    public static final double WINDOW_RATE_HZ = 180.0;
    /** Window samples before the R peak (0.25 s). */
    public static final int PRE = 45;
    /** Window samples from the R peak on (0.40 s, R included). */
    public static final int POST = 72;
    /** Window length in samples. */
    public static final int WINDOW = PRE + POST;
    /** Channels of the window: 0 the beat, 1 the median of the previous {@link #TEMPLATE_BEATS} beats. */
    public static final int CHANNELS = 2;
    /** Previous beats whose per-sample median forms the template channel. */
    public static final int TEMPLATE_BEATS = 16;
    /**
     * RR features, in this order: prevRR/localAvg, nextRR/localAvg, prevRR/longAvg, nextRR/longAvg,
     * localAvg/longAvg, prevRR in seconds, nextRR/prevRR; then prevRR/recentMedian, nextRR/recentMedian,
     * prevRR - recentMedian in seconds, irregularity, prevRR/the interval before it. localAvg is the mean of the last
     * 10 RR intervals up to and including prevRR, longAvg the mean of the last 300; recentMedian is the median of the
     * {@value #RECENT_RR_BEATS} intervals before prevRR (the beat's own interval excluded); irregularity is the
     * median absolute difference of successive intervals among the {@value #IRREGULARITY_RR_BEATS} before prevRR,
     * over their median (dimensionless; about 0.02 in sinus rhythm, 0.2 and more in atrial fibrillation). Before a
     * record has such history, recentMedian is prevRR and irregularity 0.
     */
    public static final int RR_FEATURES = 12;
    /** Intervals before prevRR whose median is the recent rhythm a beat's prematurity is measured against. */
    public static final int RECENT_RR_BEATS = 8;
    /** Intervals before prevRR over which the irregularity is measured. */
    public static final int IRREGULARITY_RR_BEATS = 16;
    /** Beats over which the local RR average is taken. */
    public static final int LOCAL_RR_BEATS = 10;
    /** Beats over which the long-term RR average is taken. */
    public static final int LONG_RR_BEATS = 300;

    private BeatFeatures() {
    }
}
