package org.cardiogate.sensor.sim;

/**
 * Settings of the {@link PhysiologySimulator}. Validated on construction; every error names the field.
 *
 * <p>Start from {@link #defaults()} and change what matters with the {@code with...} methods.
 *
 * @param seed               seed of every random process (HRV, noise, noise phases); same seed, same signals
 * @param heartRateBpm       mean sinus heart rate at start, 20..300 bpm (changeable at run time)
 * @param ecgRateHz          ECG sample rate, 100..2000 Hz
 * @param ppgRateHz          PPG sample rate, 100..2000 Hz
 * @param scgRateHz          SCG sample rate, 100..2000 Hz
 * @param rsaMs              respiratory sinus arrhythmia: peak RR modulation in ms at the respiration rate, at 72 bpm
 *                           (scaled with the square of the RR interval at other rates: less variability when faster)
 * @param hrvJitterMs        standard deviation in ms of a slow (AR(1), about 10 beats) random RR fluctuation, at
 *                           72 bpm, scaled like {@code rsaMs}
 * @param respirationRateBpm breaths per minute, 4..60; drives RSA, baseline wander and amplitude modulation
 * @param pepMs              pre-ejection period (R peak to aortic opening) of a normal beat at 60 bpm, 40..200 ms;
 *                           it shortens by 0.4 ms per bpm above 60 (Weissler)
 * @param patMs              pulse arrival time (R peak to PPG foot) of a normal beat at 60 bpm; must exceed
 *                           {@code pepMs} by 20..400 ms (the pulse transit time, which is kept constant)
 * @param baselineWanderMv   amplitude of ECG baseline wander (respiratory plus a 0.05 Hz component), mV
 * @param whiteNoiseMv       standard deviation of white noise on each ECG lead, mV
 * @param mainsHumMv         amplitude of the mains hum on the ECG, mV
 * @param mainsHz            mains frequency, 40..70 Hz
 * @param ppgNoiseAu         standard deviation of white noise on each PPG channel, arbitrary units
 * @param scgNoiseMg         standard deviation of white noise on the SCG channel, milli-g
 * @param spo2Percent        oxygen saturation the red/IR ratio of the PPG encodes (SpO2 = 110 - 25 R), 70..100 %
 */
public record SimulatorConfig(long seed, double heartRateBpm, double ecgRateHz, double ppgRateHz, double scgRateHz,
                              double rsaMs, double hrvJitterMs, double respirationRateBpm, double pepMs, double patMs,
                              double baselineWanderMv, double whiteNoiseMv, double mainsHumMv, double mainsHz,
                              double ppgNoiseAu, double scgNoiseMg, double spo2Percent) {

    public static final double MIN_HEART_RATE_BPM = 20;
    public static final double MAX_HEART_RATE_BPM = 300;
    public static final double MIN_RATE_HZ = 100;
    public static final double MAX_RATE_HZ = 2000;

    public SimulatorConfig {
        checkHeartRate(heartRateBpm);
        range("ecgRateHz", ecgRateHz, MIN_RATE_HZ, MAX_RATE_HZ, "Hz");
        range("ppgRateHz", ppgRateHz, MIN_RATE_HZ, MAX_RATE_HZ, "Hz");
        range("scgRateHz", scgRateHz, MIN_RATE_HZ, MAX_RATE_HZ, "Hz");
        range("rsaMs", rsaMs, 0, 300, "ms");
        range("hrvJitterMs", hrvJitterMs, 0, 300, "ms");
        range("respirationRateBpm", respirationRateBpm, 4, 60, "breaths/min");
        range("pepMs", pepMs, 40, 200, "ms");
        range("patMs", patMs, pepMs + 20, pepMs + 400, "ms (pepMs + 20 .. pepMs + 400)");
        nonNegative("baselineWanderMv", baselineWanderMv, "mV");
        nonNegative("whiteNoiseMv", whiteNoiseMv, "mV");
        nonNegative("mainsHumMv", mainsHumMv, "mV");
        range("mainsHz", mainsHz, 40, 70, "Hz");
        nonNegative("ppgNoiseAu", ppgNoiseAu, "au");
        nonNegative("scgNoiseMg", scgNoiseMg, "mg");
        range("spo2Percent", spo2Percent, 70, 100, "%");
    }

    /**
     * 72 bpm with mild HRV (RSA 30 ms, jitter 20 ms, 15 breaths/min), ECG and SCG at 500 Hz, PPG at 100 Hz,
     * PEP 100 ms and PAT 230 ms at 60 bpm, small noise (wander 0.05 mV, white 0.01 mV, 50 Hz hum 0.01 mV,
     * PPG 10 au, SCG 0.5 mg), SpO2 97 %, seed 1.
     */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(1L, 72, 500, 100, 500, 30, 20, 15, 100, 230,
                0.05, 0.01, 0.01, 50, 10, 0.5, 97);
    }

    static void checkHeartRate(double bpm) {
        range("heartRateBpm", bpm, MIN_HEART_RATE_BPM, MAX_HEART_RATE_BPM, "bpm");
    }

    private static void range(String field, double value, double min, double max, String unit) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("SimulatorConfig." + field + " must be in " + min + ".." + max + " "
                    + unit + ", got " + value);
        }
    }

    private static void nonNegative(String field, double value, String unit) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("SimulatorConfig." + field + " must be a finite number >= 0 " + unit
                    + ", got " + value);
        }
    }

    public SimulatorConfig withSeed(long s) {
        return new SimulatorConfig(s, heartRateBpm, ecgRateHz, ppgRateHz, scgRateHz, rsaMs, hrvJitterMs,
                respirationRateBpm, pepMs, patMs, baselineWanderMv, whiteNoiseMv, mainsHumMv, mainsHz, ppgNoiseAu,
                scgNoiseMg, spo2Percent);
    }

    public SimulatorConfig withHeartRate(double bpm) {
        return new SimulatorConfig(seed, bpm, ecgRateHz, ppgRateHz, scgRateHz, rsaMs, hrvJitterMs,
                respirationRateBpm, pepMs, patMs, baselineWanderMv, whiteNoiseMv, mainsHumMv, mainsHz, ppgNoiseAu,
                scgNoiseMg, spo2Percent);
    }

    /** Sets the three sample rates in Hz. */
    public SimulatorConfig withRates(double ecgHz, double ppgHz, double scgHz) {
        return new SimulatorConfig(seed, heartRateBpm, ecgHz, ppgHz, scgHz, rsaMs, hrvJitterMs,
                respirationRateBpm, pepMs, patMs, baselineWanderMv, whiteNoiseMv, mainsHumMv, mainsHz, ppgNoiseAu,
                scgNoiseMg, spo2Percent);
    }

    /** Sets respiratory sinus arrhythmia and random RR jitter, both in ms. */
    public SimulatorConfig withHrv(double rsa, double jitter) {
        return new SimulatorConfig(seed, heartRateBpm, ecgRateHz, ppgRateHz, scgRateHz, rsa, jitter,
                respirationRateBpm, pepMs, patMs, baselineWanderMv, whiteNoiseMv, mainsHumMv, mainsHz, ppgNoiseAu,
                scgNoiseMg, spo2Percent);
    }

    /** No RSA and no jitter: every sinus RR is exactly 60 / heart rate. */
    public SimulatorConfig withoutHrv() {
        return withHrv(0, 0);
    }

    public SimulatorConfig withRespirationRate(double breathsPerMinute) {
        return new SimulatorConfig(seed, heartRateBpm, ecgRateHz, ppgRateHz, scgRateHz, rsaMs, hrvJitterMs,
                breathsPerMinute, pepMs, patMs, baselineWanderMv, whiteNoiseMv, mainsHumMv, mainsHz, ppgNoiseAu,
                scgNoiseMg, spo2Percent);
    }

    /** Sets PEP and PAT of a normal beat at 60 bpm, in ms. */
    public SimulatorConfig withTiming(double pep, double pat) {
        return new SimulatorConfig(seed, heartRateBpm, ecgRateHz, ppgRateHz, scgRateHz, rsaMs, hrvJitterMs,
                respirationRateBpm, pep, pat, baselineWanderMv, whiteNoiseMv, mainsHumMv, mainsHz, ppgNoiseAu,
                scgNoiseMg, spo2Percent);
    }

    /** Sets the ECG noise: baseline wander amplitude, white noise standard deviation and mains hum amplitude, mV. */
    public SimulatorConfig withEcgNoise(double wander, double white, double hum) {
        return new SimulatorConfig(seed, heartRateBpm, ecgRateHz, ppgRateHz, scgRateHz, rsaMs, hrvJitterMs,
                respirationRateBpm, pepMs, patMs, wander, white, hum, mainsHz, ppgNoiseAu, scgNoiseMg, spo2Percent);
    }

    public SimulatorConfig withMainsHz(double hz) {
        return new SimulatorConfig(seed, heartRateBpm, ecgRateHz, ppgRateHz, scgRateHz, rsaMs, hrvJitterMs,
                respirationRateBpm, pepMs, patMs, baselineWanderMv, whiteNoiseMv, mainsHumMv, hz, ppgNoiseAu,
                scgNoiseMg, spo2Percent);
    }

    /** Sets the white noise of the PPG (au) and the SCG (mg). */
    public SimulatorConfig withMechanicalNoise(double ppgAu, double scgMg) {
        return new SimulatorConfig(seed, heartRateBpm, ecgRateHz, ppgRateHz, scgRateHz, rsaMs, hrvJitterMs,
                respirationRateBpm, pepMs, patMs, baselineWanderMv, whiteNoiseMv, mainsHumMv, mainsHz, ppgAu, scgMg,
                spo2Percent);
    }

    /** All noise off (ECG, PPG, SCG); physiological variation (HRV, respiration) stays as configured. */
    public SimulatorConfig withoutNoise() {
        return withEcgNoise(0, 0, 0).withMechanicalNoise(0, 0);
    }

    public SimulatorConfig withSpo2(double percent) {
        return new SimulatorConfig(seed, heartRateBpm, ecgRateHz, ppgRateHz, scgRateHz, rsaMs, hrvJitterMs,
                respirationRateBpm, pepMs, patMs, baselineWanderMv, whiteNoiseMv, mainsHumMv, mainsHz, ppgNoiseAu,
                scgNoiseMg, percent);
    }
}
