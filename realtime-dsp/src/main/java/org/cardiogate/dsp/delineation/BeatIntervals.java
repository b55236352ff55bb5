package org.cardiogate.dsp.delineation;

/**
 * The clinical intervals of one beat, in seconds, from its {@link BeatDelineation}: PR (P onset to QRS onset), QRS
 * duration, QT (QRS onset to T offset), RR (from the previous R) and QT corrected for heart rate by Bazett
 * ({@code QT / sqrt(RR)}) and Fridericia ({@code QT / cbrt(RR)}), RR in seconds. An interval whose boundaries were not
 * found, or a QTc without a valid RR (0.2-3 s), is NaN.
 *
 * <p>A mutable holder filled by {@link #update(BeatDelineation)}, reusable for every beat without allocation. Not
 * thread-safe.
 */
public final class BeatIntervals {
    private static final double MIN_RR = 0.2;
    private static final double MAX_RR = 3.0;

    private double pr = Double.NaN;
    private double qrs = Double.NaN;
    private double qt = Double.NaN;
    private double rr = Double.NaN;
    private double qtcBazett = Double.NaN;
    private double qtcFridericia = Double.NaN;

    /** Bazett's corrected QT, {@code qt / sqrt(rr)}, both in seconds; NaN when either is NaN or rr is not positive. */
    public static double qtcBazett(double qtSeconds, double rrSeconds) {
        return rrSeconds > 0 ? qtSeconds / Math.sqrt(rrSeconds) : Double.NaN;
    }

    /** Fridericia's corrected QT, {@code qt / cbrt(rr)}, both in seconds; NaN when either is NaN or rr is not positive. */
    public static double qtcFridericia(double qtSeconds, double rrSeconds) {
        return rrSeconds > 0 ? qtSeconds / Math.cbrt(rrSeconds) : Double.NaN;
    }

    /** Recomputes every interval from {@code beat}, using the RR interval it carries. */
    public BeatIntervals update(BeatDelineation beat) {
        return update(beat, beat.rrSeconds());
    }

    /** Recomputes every interval from {@code beat} with {@code rrSeconds} as its RR interval (e.g. from the detector). */
    public BeatIntervals update(BeatDelineation beat, double rrSeconds) {
        double fs = beat.sampleRateHz();
        pr = span(beat.pOnset(), beat.qrsOnset(), fs);
        qrs = span(beat.qrsOnset(), beat.qrsOffset(), fs);
        qt = span(beat.qrsOnset(), beat.tOffset(), fs);
        rr = rrSeconds >= MIN_RR && rrSeconds <= MAX_RR ? rrSeconds : Double.NaN;
        qtcBazett = qtcBazett(qt, rr);
        qtcFridericia = qtcFridericia(qt, rr);
        return this;
    }

    private static double span(long from, long to, double fs) {
        if (from == BeatDelineation.NONE || to == BeatDelineation.NONE || to <= from) {
            return Double.NaN;
        }
        return (to - from) / fs;
    }

    public double prSeconds() {
        return pr;
    }

    public double qrsSeconds() {
        return qrs;
    }

    public double qtSeconds() {
        return qt;
    }

    /** The RR interval used for the corrections, or NaN when it was missing or outside 0.2-3 s. */
    public double rrSeconds() {
        return rr;
    }

    public double qtcBazettSeconds() {
        return qtcBazett;
    }

    public double qtcFridericiaSeconds() {
        return qtcFridericia;
    }
}
