package org.cardiogate.dsp.fusion;

/**
 * One heartbeat seen by all modalities: ECG R peak, SCG aortic opening (AO) and closing (AC), PPG pulse foot and
 * systolic peak, the intervals derived from them, each modality's quality and the heart rate chosen at that beat.
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

    /** 0..1 PPG pulse quality, NaN without a matched pulse. */
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
        return b;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "FusedBeat[r=%.3f s, pep=%.1f ms, lvet=%.1f ms, pat=%.1f ms, hr=%.1f %s]",
                seconds(rNanos), pepMs(), lvetMs(), patMs(), heartRateBpm,
                heartRateSource == null ? "-" : heartRateSource.label());
    }
}
