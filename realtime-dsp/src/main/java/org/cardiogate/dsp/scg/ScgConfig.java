package org.cardiogate.dsp.scg;

/**
 * Settings of the {@link ScgProcessor}; every error names the field.
 *
 * @param lowHz            band-pass lower edge, Hz
 * @param highHz           band-pass upper edge, Hz
 * @param aoFromSeconds    start of the AO search after the R peak
 * @param aoToSeconds      end of the AO search after the R peak
 * @param lvetMinFactor    AC is searched from AO + this x expected LVET (LVET = 413 - 1.7 HR ms, Weissler)
 * @param lvetMaxFactor    ... to AO + this x expected LVET
 * @param templateBeats    beats the running AO template averages over (ensemble average, then exponential)
 * @param snapSeconds      after the template places AO, the nearest positive peak within this distance is taken
 */
public record ScgConfig(double lowHz, double highHz, double aoFromSeconds, double aoToSeconds, double lvetMinFactor,
                        double lvetMaxFactor, int templateBeats, double snapSeconds) {

    public ScgConfig {
        if (!(lowHz > 0 && highHz > lowHz)) {
            throw new IllegalArgumentException("ScgConfig.lowHz and highHz must satisfy 0 < low < high, got " + lowHz
                    + ", " + highHz);
        }
        if (!(aoFromSeconds >= 0 && aoToSeconds > aoFromSeconds && aoToSeconds < 0.5)) {
            throw new IllegalArgumentException("ScgConfig.aoFromSeconds/aoToSeconds must satisfy 0 <= from < to < 0.5,"
                    + " got " + aoFromSeconds + ", " + aoToSeconds);
        }
        if (!(lvetMinFactor > 0 && lvetMaxFactor > lvetMinFactor && lvetMaxFactor < 3)) {
            throw new IllegalArgumentException("ScgConfig.lvetMinFactor/lvetMaxFactor must satisfy 0 < min < max < 3,"
                    + " got " + lvetMinFactor + ", " + lvetMaxFactor);
        }
        if (templateBeats < 1) {
            throw new IllegalArgumentException("ScgConfig.templateBeats must be at least 1, got " + templateBeats);
        }
        if (!(snapSeconds > 0 && snapSeconds < 0.05)) {
            throw new IllegalArgumentException("ScgConfig.snapSeconds must be in (0, 0.05), got " + snapSeconds);
        }
    }

    /** 1-40 Hz, AO in R + 40..200 ms, AC in AO + 0.55..1.45 x expected LVET, 16-beat template, 12 ms snap. */
    public static ScgConfig defaults() {
        return new ScgConfig(1, 40, 0.04, 0.2, 0.55, 1.45, 16, 0.012);
    }
}
