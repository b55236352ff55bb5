package org.cardiogate.dsp.quality;

/**
 * Settings of the {@link SignalQualityMonitor}, in seconds, millivolts and plain ratios so that one setting works at
 * any sample rate.
 *
 * @param windowSeconds        length of the windows that are judged one by one
 * @param decisionDelaySeconds a window is judged this long after its end, so that the beats in it have been
 *                             reported by both detectors; less than {@code windowSeconds}
 * @param agreementSeconds     the detector agreement (bSQI) is computed over the beats of this trailing span
 * @param matchSeconds         two detectors' beats closer than this are the same beat
 * @param flatMv               a window whose peak-to-peak is below this is flat
 * @param clipRunSeconds       an unchanged value at the window's maximum or minimum for this long is clipping
 * @param adcLowMv             the lowest value the converter can give, in mV, or NaN when not known
 * @param adcHighMv            the highest value the converter can give, in mV, or NaN when not known
 * @param hfFairRatio          power above 40 Hz over power in the 5-15 Hz QRS band above which a window is only
 *                             acceptable
 * @param hfBadRatio           the same ratio above which a window is unusable
 * @param baselineFairMv       excursion of the signal below 1 Hz within a window above which it is only acceptable
 * @param baselineBadMv        the same excursion above which it is unusable
 * @param agreementGood        bSQI (matched / (beats of either detector)) below which a window is only acceptable
 * @param agreementBad         bSQI below which a window is unusable
 * @param minAgreementBeats    the bSQI is not used when both detectors together found fewer beats in the span
 * @param bandNoiseFair        mean 5-15 Hz energy between beats (more than 100 ms from one) over the beats' mean
 *                             peak energy in that band, above which a window is only acceptable
 * @param bandNoiseBad         the same ratio above which it is unusable
 */
public record SignalQualityConfig(double windowSeconds, double decisionDelaySeconds, double agreementSeconds,
                                  double matchSeconds, double flatMv, double clipRunSeconds, double adcLowMv,
                                  double adcHighMv, double hfFairRatio, double hfBadRatio, double baselineFairMv,
                                  double baselineBadMv, double agreementGood, double agreementBad,
                                  int minAgreementBeats, double bandNoiseFair, double bandNoiseBad) {

    public SignalQualityConfig {
        positive(windowSeconds, "windowSeconds");
        positive(decisionDelaySeconds, "decisionDelaySeconds");
        positive(agreementSeconds, "agreementSeconds");
        positive(matchSeconds, "matchSeconds");
        positive(flatMv, "flatMv");
        positive(clipRunSeconds, "clipRunSeconds");
        positive(hfFairRatio, "hfFairRatio");
        positive(hfBadRatio, "hfBadRatio");
        positive(baselineFairMv, "baselineFairMv");
        positive(baselineBadMv, "baselineBadMv");
        positive(agreementGood, "agreementGood");
        positive(agreementBad, "agreementBad");
        positive(bandNoiseFair, "bandNoiseFair");
        positive(bandNoiseBad, "bandNoiseBad");
        if (bandNoiseFair > bandNoiseBad) {
            throw new IllegalArgumentException("signal quality setting bandNoiseFair must not exceed bandNoiseBad, got "
                    + bandNoiseFair + " and " + bandNoiseBad);
        }
        if (decisionDelaySeconds >= windowSeconds) {
            throw new IllegalArgumentException("signal quality setting decisionDelaySeconds must be below windowSeconds,"
                    + " got " + decisionDelaySeconds + " s and " + windowSeconds + " s");
        }
        if (agreementSeconds < windowSeconds) {
            throw new IllegalArgumentException("signal quality setting agreementSeconds must be at least windowSeconds,"
                    + " got " + agreementSeconds + " s and " + windowSeconds + " s");
        }
        if (Double.isNaN(adcLowMv) != Double.isNaN(adcHighMv) || adcLowMv >= adcHighMv) {
            throw new IllegalArgumentException("signal quality settings adcLowMv and adcHighMv must both be NaN or"
                    + " satisfy adcLowMv < adcHighMv, got " + adcLowMv + " and " + adcHighMv);
        }
        if (hfFairRatio > hfBadRatio || baselineFairMv > baselineBadMv || agreementBad > agreementGood
                || agreementGood > 1) {
            throw new IllegalArgumentException("signal quality limits out of order: need hfFairRatio <= hfBadRatio ("
                    + hfFairRatio + ", " + hfBadRatio + "), baselineFairMv <= baselineBadMv (" + baselineFairMv + ", "
                    + baselineBadMv + "), agreementBad <= agreementGood <= 1 (" + agreementBad + ", " + agreementGood
                    + ")");
        }
        if (minAgreementBeats < 0) {
            throw new IllegalArgumentException("signal quality setting minAgreementBeats must not be negative, got "
                    + minAgreementBeats);
        }
    }

    /**
     * The defaults: 1 s windows judged 0.5 s after their end, bSQI over 10 s with a 150 ms match window, converter
     * range unknown. The limits were set from the distributions of each measure over the 48 MIT-BIH records (so that
     * about 1 % of their windows are unusable) and over MIT-BIH 118 and 119 with the NST noise records added.
     */
    public static SignalQualityConfig defaults() {
        return new SignalQualityConfig(1.0, 0.5, 10.0, 0.15, 0.02, 0.08, Double.NaN, Double.NaN, 0.5, 1.5, 2.0,
                4.0, 0.85, 0.7, 4, 0.05, 0.12);
    }

    /** These settings with the converter's range, in mV, so that clipping at the rails is recognised directly. */
    public SignalQualityConfig withAdcRange(double lowMv, double highMv) {
        return new SignalQualityConfig(windowSeconds, decisionDelaySeconds, agreementSeconds, matchSeconds, flatMv,
                clipRunSeconds, lowMv, highMv, hfFairRatio, hfBadRatio, baselineFairMv, baselineBadMv, agreementGood,
                agreementBad, minAgreementBeats, bandNoiseFair, bandNoiseBad);
    }

    private static void positive(double v, String name) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("signal quality setting " + name + " must be a positive number, got "
                    + v);
        }
    }
}
