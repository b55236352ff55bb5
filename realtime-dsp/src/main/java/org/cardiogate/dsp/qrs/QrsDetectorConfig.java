package org.cardiogate.dsp.qrs;

/**
 * Tuning of the {@link QrsDetector}, all in seconds and hertz so that one setting works at any sample rate.
 * Physiological values, not fitted to any recording.
 *
 * @param bandLowHz             lower edge of the QRS energy band
 * @param bandHighHz            upper edge of the QRS energy band
 * @param derivativeSeconds     span of the slope estimate
 * @param integrationSeconds    length of the moving-window integrator (about a wide QRS)
 * @param refractorySeconds     no second beat within this time of a beat
 * @param tWaveSeconds          a candidate this soon after a beat must have at least {@code tWaveSlopeRatio} of
 *                              the beat's steepest slope, else it is taken for a T wave
 * @param tWaveSlopeRatio       see {@code tWaveSeconds}
 * @param searchBackRrFactor    with no beat for this many mean RR intervals, the largest candidate above half the
 *                              threshold since the last beat is taken as a missed beat
 * @param thresholdFraction     detection threshold = noise level + this fraction of (signal level - noise level)
 * @param learningSeconds       the first seconds after a start or reset, used to set the first levels; the
 *                              detector then goes back over them, so their beats are not lost
 * @param rSearchSeconds        the R peak is looked for within this time either side of the steepest slope
 * @param peakTimeoutSeconds    an integrator peak is taken as complete this long after its maximum even if the
 *                              integrator has not yet fallen to half of it
 * @param maxSearchBackSeconds  longest interval after the last beat in which search-back looks
 * @param pWaveSeconds          a larger complex this soon after a beat that is not yet reported replaces it, the
 *                              first being a P wave (the P peak precedes the R peak by up to about a PR interval);
 *                              at least {@code refractorySeconds}; threshold beats are held this long (plus the
 *                              filter delay) before they are reported
 * @param irregularRrTolerance  the rhythm is irregular when one of the last 8 RR intervals is off their mean by
 *                              more than this fraction of it
 * @param irregularThresholdFactor in an irregular rhythm the threshold fraction is multiplied by this, for peaks
 *                              at least {@code irregularMinSeconds} after the last beat (premature beats of atrial
 *                              fibrillation and ectopy are often smaller or wider than the others)
 * @param irregularMinSeconds   see {@code irregularThresholdFactor}; earlier peaks are most often T waves
 * @param irregularMaxHfRatio   a peak that passes only the lowered threshold of an irregular rhythm is taken for
 *                              noise when the energy of the input above 40 Hz within 50 ms of it exceeds this many times
 *                              its energy in the QRS band: a QRS complex has most of its energy below 40 Hz, a burst of
 *                              muscle activity is broadband, and in a rhythm that stays irregular (bigeminy, atrial
 *                              fibrillation) the lowered threshold otherwise lets such bursts through as beats
 */
public record QrsDetectorConfig(double bandLowHz, double bandHighHz, double derivativeSeconds,
                                double integrationSeconds, double refractorySeconds, double tWaveSeconds,
                                double tWaveSlopeRatio, double searchBackRrFactor, double thresholdFraction,
                                double learningSeconds, double rSearchSeconds, double peakTimeoutSeconds,
                                double maxSearchBackSeconds, double pWaveSeconds, double irregularRrTolerance,
                                double irregularThresholdFactor, double irregularMinSeconds,
                                double irregularMaxHfRatio) {

    public QrsDetectorConfig {
        positive(bandLowHz, "bandLowHz");
        positive(bandHighHz, "bandHighHz");
        positive(derivativeSeconds, "derivativeSeconds");
        positive(integrationSeconds, "integrationSeconds");
        positive(refractorySeconds, "refractorySeconds");
        positive(tWaveSeconds, "tWaveSeconds");
        positive(tWaveSlopeRatio, "tWaveSlopeRatio");
        positive(searchBackRrFactor, "searchBackRrFactor");
        positive(thresholdFraction, "thresholdFraction");
        positive(learningSeconds, "learningSeconds");
        positive(rSearchSeconds, "rSearchSeconds");
        positive(peakTimeoutSeconds, "peakTimeoutSeconds");
        positive(maxSearchBackSeconds, "maxSearchBackSeconds");
        positive(pWaveSeconds, "pWaveSeconds");
        positive(irregularRrTolerance, "irregularRrTolerance");
        positive(irregularThresholdFactor, "irregularThresholdFactor");
        positive(irregularMinSeconds, "irregularMinSeconds");
        positive(irregularMaxHfRatio, "irregularMaxHfRatio");
        if (pWaveSeconds < refractorySeconds) {
            throw new IllegalArgumentException("pWaveSeconds must be at least refractorySeconds, got " + pWaveSeconds
                    + " s and " + refractorySeconds + " s");
        }
        if (irregularThresholdFactor > 1) {
            throw new IllegalArgumentException("irregularThresholdFactor must not exceed 1, got "
                    + irregularThresholdFactor);
        }
        if (bandLowHz >= bandHighHz) {
            throw new IllegalArgumentException("QRS band edges must satisfy bandLowHz < bandHighHz, got "
                    + bandLowHz + " and " + bandHighHz);
        }
        if (thresholdFraction >= 1) {
            throw new IllegalArgumentException("thresholdFraction must be below 1, got " + thresholdFraction);
        }
    }

    /**
     * The defaults: Pan-Tompkins values (threshold halved in an irregular rhythm), except a T wave must be below
     * 40 % (not 50 %) of the QRS slope; a P wave window of 250 ms; irregular means an RR interval 15 % off the
     * mean; the lowered threshold applies from 300 ms after a beat, to peaks with no more energy above 40 Hz than
     * twice their QRS-band energy.
     */
    public static QrsDetectorConfig defaults() {
        return new QrsDetectorConfig(5, 15, 0.01, 0.1, 0.2, 0.36, 0.4, 1.66, 0.25, 2.0, 0.08, 0.08, 2.5, 0.25, 0.15,
                0.5, 0.3, 2.0);
    }

    private static void positive(double v, String name) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("QRS detector setting " + name + " must be a positive number, got " + v);
        }
    }
}
