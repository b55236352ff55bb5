package org.cardiogate.dsp.fusion;

/**
 * One heartbeat seen by all modalities: ECG R peak with its PR, QRS and QT intervals (from the ECG delineation), SCG
 * aortic opening (AO) and closing (AC), PPG pulse foot and systolic peak, the intervals derived from them, each
 * modality's quality and the heart rate chosen at that beat.
 *
 * <p>Times are monotonic nanoseconds on the streams' common axis (offline: since the recording's start), with
 * {@link #NONE} for a point not found; quality is 0..1 or NaN for a modality that is not there. A beat anchored on the
 * SCG (found while the ECG is lost) has no R peak. The engine reuses one instance; {@link #copy()} keeps it.
 */
public final class FusedBeat {
    public static final long NONE = Long.MIN_VALUE;

    long rSample = -1;
    long rNanos = NONE;
    long aoNanos = NONE;
    long acNanos = NONE;
    long ppgFootNanos = NONE;
    long ppgPeakNanos = NONE;
    double qualityEcg = Double.NaN;
    double qualityScg = Double.NaN;
    double qualityPpg = Double.NaN;
    double heartRateBpm = Double.NaN;
    HeartRateSource heartRateSource;
    HeartRateSource anchor = HeartRateSource.ECG;
    double prMs = Double.NaN;
    double qrsMs = Double.NaN;
    double qtMs = Double.NaN;

    void clear() {
        rSample = -1;
        rNanos = NONE;
        aoNanos = NONE;
        acNanos = NONE;
        ppgFootNanos = NONE;
        ppgPeakNanos = NONE;
        qualityEcg = Double.NaN;
        qualityScg = Double.NaN;
        qualityPpg = Double.NaN;
        heartRateBpm = Double.NaN;
        heartRateSource = null;
        anchor = HeartRateSource.ECG;
        prMs = Double.NaN;
        qrsMs = Double.NaN;
        qtMs = Double.NaN;
    }

    /** ECG sample sequence number of the R peak, or -1. */
    public long rSample() {
        return rSample;
    }

    public long rNanos() {
        return rNanos;
    }

    public long aoNanos() {
        return aoNanos;
    }

    public long acNanos() {
        return acNanos;
    }

    public long ppgFootNanos() {
        return ppgFootNanos;
    }

    public long ppgPeakNanos() {
        return ppgPeakNanos;
    }

    /** 0..1 from the ECG signal quality class, NaN without ECG. */
    public double qualityEcg() {
        return qualityEcg;
    }

    /** 0..1 correlation of the SCG beat with its template, NaN without AO. */
    public double qualityScg() {
        return qualityScg;
    }

    /**
     * 0..1 PPG pulse quality (correlation with the pulse template, lowered for clipping, motion or a flat signal), halved
     * when the pulse arrival time jumped more than 50 ms from the recent beats'; NaN without a matched pulse.
     */
    public double qualityPpg() {
        return qualityPpg;
    }

    /** The heart rate chosen at this beat, NaN before any. */
    public double heartRateBpm() {
        return heartRateBpm;
    }

    /** Where {@link #heartRateBpm()} comes from, or null. */
    public HeartRateSource heartRateSource() {
        return heartRateSource;
    }

    /** The modality the beat was found in: ECG (R peak) or SCG (AO, while the ECG is lost). */
    public HeartRateSource anchor() {
        return anchor;
    }

    /** Pre-ejection period R to AO, ms; NaN if either is missing. */
    public double pepMs() {
        return interval(rNanos, aoNanos);
    }

    /** Left-ventricular ejection time AO to AC, ms; NaN if either is missing. */
    public double lvetMs() {
        return interval(aoNanos, acNanos);
    }

    /** Pulse arrival time R to PPG foot, ms; NaN if either is missing. */
    public double patMs() {
        return interval(rNanos, ppgFootNanos);
    }

    /** PR interval (P onset to QRS onset) of the ECG lead, ms; NaN without a P wave or without delineation. */
    public double prMs() {
        return prMs;
    }

    /** QRS duration (QRS onset to offset), ms; NaN when not delineated. */
    public double qrsMs() {
        return qrsMs;
    }

    /** QT interval (QRS onset to T offset), ms; NaN without a T wave or without delineation. */
    public double qtMs() {
        return qtMs;
    }

    /** A time of this beat in seconds ({@code nanos / 1e9}), NaN for {@link #NONE}. */
    public static double seconds(long nanos) {
        return nanos == NONE ? Double.NaN : nanos / 1e9;
    }

    private static double interval(long from, long to) {
        return from == NONE || to == NONE ? Double.NaN : (to - from) / 1e6;
    }

    public FusedBeat copy() {
        FusedBeat b = new FusedBeat();
        b.rSample = rSample;
        b.rNanos = rNanos;
        b.aoNanos = aoNanos;
        b.acNanos = acNanos;
        b.ppgFootNanos = ppgFootNanos;
        b.ppgPeakNanos = ppgPeakNanos;
        b.qualityEcg = qualityEcg;
        b.qualityScg = qualityScg;
        b.qualityPpg = qualityPpg;
        b.heartRateBpm = heartRateBpm;
        b.heartRateSource = heartRateSource;
        b.anchor = anchor;
        b.prMs = prMs;
        b.qrsMs = qrsMs;
        b.qtMs = qtMs;
        return b;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "FusedBeat[r=%.3f s, pr=%.0f ms, qrs=%.0f ms, qt=%.0f ms, pep=%.1f ms,"
                + " lvet=%.1f ms, pat=%.1f ms, hr=%.1f %s]", seconds(rNanos), prMs, qrsMs, qtMs, pepMs(), lvetMs(), patMs(),
                heartRateBpm,
                heartRateSource == null ? "-" : heartRateSource.label());
    }
}
