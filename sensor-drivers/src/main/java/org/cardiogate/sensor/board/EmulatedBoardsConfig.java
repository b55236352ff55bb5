package org.cardiogate.sensor.board;

import java.util.Objects;

import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig;
import org.cardiogate.sensor.max3010x.Max30102Config;
import org.cardiogate.sensor.sim.SimulatorConfig;

/**
 * The lab's emulated bench: an ADS1298, a MAX30102 and an LSM6DSO, validated on construction (an error names the
 * field, the bad value and what is allowed).
 *
 * @param ecgRateSps  ADS1298 output data rate: 250 or 500..32000 SPS (a MIT-BIH record's 360 Hz is not among them;
 *                    the record is then held per conversion, see {@link EmulatedBoards})
 * @param ecgGain     ADS1298 PGA gain: 1, 2, 3, 4, 6, 8 or 12 (at 6 the LSB is 47.68 nV, full scale ±400 mV)
 * @param ppgRateHz   MAX30102 SPO2_SR: 50, 100, 200, 400, 800, 1000, 1600 or 3200 samples/s (no averaging)
 * @param scgOdrHz    LSM6DSO output data rate: 833, 1667 or 3333 Hz
 * @param ecgDriftPpm ADS1298 oscillator error in ppm, positive = fast; |value| <= 1000
 * @param ppgDriftPpm MAX30102 oscillator error in ppm; |value| <= 1000
 * @param scgDriftPpm LSM6DSO oscillator error in ppm; |value| <= 1000
 * @param seed        seed of the ADS1298 emulator's noise and DRDY latency
 * @param simulator   the simulated patient: the source of every chip in a simulated bench, of the PPG and SCG when a
 *                    record is replayed; its sample rates are ignored (the emulators read it at
 *                    {@link EmulatedBoards#SIMULATOR_RATE_HZ} on the host timeline)
 */
public record EmulatedBoardsConfig(int ecgRateSps, int ecgGain, int ppgRateHz, int scgOdrHz, double ecgDriftPpm,
                                   double ppgDriftPpm, double scgDriftPpm, long seed, SimulatorConfig simulator) {
    /** Largest oscillator error accepted, ppm (crystals are within ±100; this leaves room for stress runs). */
    public static final double MAX_DRIFT_PPM = 1000;

    public EmulatedBoardsConfig {
        String p = "emulated boards config: ";
        if (Ads129xModel.ADS1298.config1For(ecgRateSps) < 0) {
            throw new IllegalArgumentException(p + "ecgRateSps " + ecgRateSps + " is not an ADS1298 rate; use one of "
                    + java.util.Arrays.toString(Ads129xModel.ADS1298.supportedRates()));
        }
        if (Ads129xModel.gainCode(ecgGain) < 0) {
            throw new IllegalArgumentException(p + "ecgGain " + ecgGain + " is not supported; use 1, 2, 3, 4, 6, 8 or 12");
        }
        try {
            new Max30102Config("ppg", ppgRateHz, 411, 4096, 1, 7.0, 7.0, 64, 10);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p + "ppgRateHz " + ppgRateHz + " is not a MAX30102 rate; use 50, 100, 200,"
                    + " 400, 800, 1000, 1600 or 3200", e);
        }
        if (Lsm6dsoConfig.odrCode(scgOdrHz) < 0) {
            throw new IllegalArgumentException(p + "scgOdrHz " + scgOdrHz + " is not supported; use 833, 1667 or 3333");
        }
        drift(p, "ecgDriftPpm", ecgDriftPpm);
        drift(p, "ppgDriftPpm", ppgDriftPpm);
        drift(p, "scgDriftPpm", scgDriftPpm);
        Objects.requireNonNull(simulator, p + "simulator");
    }

    private static void drift(String p, String field, double ppm) {
        if (!(Math.abs(ppm) <= MAX_DRIFT_PPM)) {
            throw new IllegalArgumentException(p + field + " must be within ±" + MAX_DRIFT_PPM + " ppm, got " + ppm);
        }
    }

    /** ADS1298 at 500 SPS and gain 6, MAX30102 at 100 Hz, LSM6DSO at 833 Hz, ideal oscillators, default patient. */
    public static EmulatedBoardsConfig defaults() {
        return new EmulatedBoardsConfig(500, 6, 100, 833, 0, 0, 0, 1, SimulatorConfig.defaults());
    }

    public EmulatedBoardsConfig withDrifts(double ecgPpm, double ppgPpm, double scgPpm) {
        return new EmulatedBoardsConfig(ecgRateSps, ecgGain, ppgRateHz, scgOdrHz, ecgPpm, ppgPpm, scgPpm, seed,
                simulator);
    }

    public EmulatedBoardsConfig withEcgRate(int sps) {
        return new EmulatedBoardsConfig(sps, ecgGain, ppgRateHz, scgOdrHz, ecgDriftPpm, ppgDriftPpm, scgDriftPpm,
                seed, simulator);
    }

    public EmulatedBoardsConfig withSimulator(SimulatorConfig sim) {
        return new EmulatedBoardsConfig(ecgRateSps, ecgGain, ppgRateHz, scgOdrHz, ecgDriftPpm, ppgDriftPpm,
                scgDriftPpm, seed, sim);
    }
}
