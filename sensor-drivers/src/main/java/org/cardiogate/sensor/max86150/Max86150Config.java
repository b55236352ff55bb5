package org.cardiogate.sensor.max86150;

import static org.cardiogate.sensor.max86150.Max86150Registers.*;

import java.util.Arrays;
import java.util.Objects;

/**
 * Configuration of a MAX86150 ECG + PPG module, validated on construction (every error names the field, the value and
 * what is allowed).
 *
 * <p>One conversion clock paces the FIFO: with ECG in a FIFO slot it is the ECG converter's (ECG_ADC_CLK/ECG_ADC_OSR),
 * otherwise the PPG rate divided by the averaging. Every FIFO sample then holds one ECG and one PPG value taken
 * together, so the ECG and PPG streams share one rate and one sequence numbering. A PPG slower than the ECG would
 * repeat its values in the FIFO and a faster one would be decimated, so when both are on the PPG rate divided by the
 * averaging must equal the ECG rate.
 *
 * @param ecgStreamId        id of the ECG stream (one channel, named {@code ecgLead}, in mV), or null for no ECG
 * @param ecgLead            name of the ECG channel: the lead the electrodes form, {@code I} for the usual left and
 *                           right finger pads
 * @param ppgStreamId        id of the PPG stream (channels {@code ir} and {@code red}, 19-bit ADC counts), or null
 *                           for no PPG
 * @param ecgRateSps         ECG output data rate: 200, 400, 800, 1600 or 3200 samples/s
 * @param ecgIaGain          instrumentation-amplifier gain IA_GAIN: 5, 9.5, 20 or 50 V/V
 * @param ecgPgaGain         PGA_ECG_GAIN: 1, 2, 4 or 8 V/V. The input-referred LSB is
 *                           {@code 12.247 µV / (ecgIaGain x ecgPgaGain)} and the input range ±2^17 LSB (±21.1 mV at
 *                           9.5 x 8)
 * @param ppgRateHz          PPG_SR, one LED pulse per sample: 10, 20, 50, 84, 100, 200, 400, 800, 1000, 1600 or 3200
 *                           samples/s, at most 1600 / 800 / 800 / 400 with both LEDs at 50 / 100 / 200 / 400 µs
 * @param ppgAveraging       SMP_AVE: 1, 2, 4, 8, 16 or 32 PPG samples averaged per FIFO entry
 * @param ppgPulseWidthUs    PPG_LED_PW: 50, 100, 200 or 400 µs
 * @param ppgAdcRangeNanoAmps PPG_ADC_RGE full scale: 4096, 8192, 16384 or 32768 nA (LSB = full scale / 2^19)
 * @param irCurrentMa        LED1 (infrared) pulse amplitude, 0..51 mA in 0.2 mA steps (50 mA range)
 * @param redCurrentMa       LED2 (red) pulse amplitude, 0..51 mA in 0.2 mA steps
 * @param fifoRollover       FIFO_ROLLS_ON_FULL: when the host falls behind, true overwrites the oldest samples (the
 *                           stream resumes with the newest), false drops the newest; either way the driver counts
 *                           the loss as one gap of exactly its length
 * @param ringSlots          ring blocks per stream, a power of two
 * @param blockSamples       samples per published block
 */
public record Max86150Config(String ecgStreamId, String ecgLead, String ppgStreamId, int ecgRateSps, double ecgIaGain,
                             int ecgPgaGain, int ppgRateHz, int ppgAveraging, int ppgPulseWidthUs,
                             int ppgAdcRangeNanoAmps, double irCurrentMa, double redCurrentMa, boolean fifoRollover,
                             int ringSlots, int blockSamples) {
    /** ECG rates the driver programs; the ECG Configuration 1 code of each (slow ADC clock below 3200). */
    static final int[] ECG_RATES_SUPPORTED = {200, 400, 800, 1600, 3200};
    private static final int[] ECG_RATE_CODES = {3, 2, 1, 0, 4};

    public Max86150Config {
        String p = "MAX86150 config: ";
        if (ecgStreamId == null && ppgStreamId == null) {
            throw new IllegalArgumentException(p
                    + "ecgStreamId and ppgStreamId are both null; enable ECG, PPG or both");
        }
        if (ecgStreamId != null && ecgStreamId.equals(ppgStreamId)) {
            throw new IllegalArgumentException(p + "ecgStreamId and ppgStreamId are both '" + ecgStreamId
                    + "'; the two streams need distinct ids");
        }
        Objects.requireNonNull(ecgLead, "ecgLead");
        if (ecgLead.isBlank()) {
            throw new IllegalArgumentException(p + "ecgLead must not be blank");
        }
        index(p, "ecgRateSps", ecgRateSps, ECG_RATES_SUPPORTED);
        gainCode(p, ecgIaGain);
        index(p, "ecgPgaGain", ecgPgaGain, ECG_PGA_GAINS);
        index(p, "ppgRateHz", ppgRateHz, PPG_RATES);
        index(p, "ppgAveraging", ppgAveraging, AVERAGING);
        int pw = index(p, "ppgPulseWidthUs", ppgPulseWidthUs, PPG_PULSE_WIDTHS_US);
        index(p, "ppgAdcRangeNanoAmps", ppgAdcRangeNanoAmps, PPG_RANGES_NA);
        if (ppgStreamId != null && ppgRateHz > PPG_MAX_RATE_TWO_LEDS[pw]) {
            throw new IllegalArgumentException(p + "ppgRateHz " + ppgRateHz + " is too fast for two LEDs at "
                    + ppgPulseWidthUs + " us pulses; at most " + PPG_MAX_RATE_TWO_LEDS[pw]
                    + " (shorten ppgPulseWidthUs)");
        }
        if (ecgStreamId != null && ppgStreamId != null && ppgRateHz != ecgRateSps * ppgAveraging) {
            throw new IllegalArgumentException(p + "ppgRateHz / ppgAveraging is " + ppgRateHz + " / " + ppgAveraging
                    + " but ecgRateSps is " + ecgRateSps + "; with ECG and PPG together the ECG clock paces the FIFO,"
                    + " so the PPG must deliver exactly one averaged sample per ECG sample (set ppgRateHz to "
                    + ecgRateSps * ppgAveraging + ")");
        }
        current(p, "irCurrentMa", irCurrentMa);
        current(p, "redCurrentMa", redCurrentMa);
        if (ringSlots < 2 || Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException(p + "ringSlots must be a power of two >= 2, got " + ringSlots);
        }
        if (blockSamples < 1) {
            throw new IllegalArgumentException(p + "blockSamples must be >= 1, got " + blockSamples);
        }
    }

    /**
     * ECG (lead I) and PPG together at 200 samples/s: IA gain 9.5 and PGA gain 8 (the datasheet's calibrated
     * combination, ±21 mV input range), PPG at 200 samples/s without averaging, 400 µs pulses, 16384 nA, 10 mA on
     * both LEDs, rollover off, 100 ms blocks.
     */
    public static Max86150Config defaults(String ecgStreamId, String ppgStreamId) {
        return new Max86150Config(ecgStreamId, "I", ppgStreamId, 200, 9.5, 8, 200, 1, 400, 16384, 10.0, 10.0, false,
                64, 20);
    }

    /**
     * The same at another FIFO rate: the ECG at {@code rateSps}, the PPG at {@code rateSps x averaging} (shorter LED
     * pulses where the rate needs them), blocks of a tenth of a second.
     */
    public Max86150Config withRate(int rateSps, int averaging) {
        int ppg = rateSps * averaging;
        int pw = ppgPulseWidthUs;
        for (int i = PPG_PULSE_WIDTHS_US.length - 1; i >= 0 && ppg > maxRate(pw); i--) {
            pw = PPG_PULSE_WIDTHS_US[i];
        }
        return new Max86150Config(ecgStreamId, ecgLead, ppgStreamId, rateSps, ecgIaGain, ecgPgaGain, ppg, averaging,
                pw, ppgAdcRangeNanoAmps, irCurrentMa, redCurrentMa, fifoRollover, ringSlots,
                Math.max(1, rateSps / 10));
    }

    public Max86150Config withRollover(boolean rollover) {
        return new Max86150Config(ecgStreamId, ecgLead, ppgStreamId, ecgRateSps, ecgIaGain, ecgPgaGain, ppgRateHz,
                ppgAveraging, ppgPulseWidthUs, ppgAdcRangeNanoAmps, irCurrentMa, redCurrentMa, rollover, ringSlots,
                blockSamples);
    }

    public Max86150Config withEcgGain(double iaGain, int pgaGain) {
        return new Max86150Config(ecgStreamId, ecgLead, ppgStreamId, ecgRateSps, iaGain, pgaGain, ppgRateHz,
                ppgAveraging, ppgPulseWidthUs, ppgAdcRangeNanoAmps, irCurrentMa, redCurrentMa, fifoRollover, ringSlots,
                blockSamples);
    }

    public Max86150Config withLedCurrents(double irMa, double redMa) {
        return new Max86150Config(ecgStreamId, ecgLead, ppgStreamId, ecgRateSps, ecgIaGain, ecgPgaGain, ppgRateHz,
                ppgAveraging, ppgPulseWidthUs, ppgAdcRangeNanoAmps, irMa, redMa, fifoRollover, ringSlots,
                blockSamples);
    }

    public boolean ecgEnabled() {
        return ecgStreamId != null;
    }

    public boolean ppgEnabled() {
        return ppgStreamId != null;
    }

    /** FIFO samples per second: the ECG rate when ECG is on, otherwise the PPG rate over the averaging. */
    public double fifoRateHz() {
        return ecgEnabled() ? ecgRateSps : (double) ppgRateHz / ppgAveraging;
    }

    /** Input-referred ECG LSB in mV: {@code 12.247 µV / (ecgIaGain x ecgPgaGain) / 1000}. */
    public double ecgLsbMillivolts() {
        return Max86150Registers.ecgLsbMillivolts(ecgConfig3());
    }

    /**
     * The element type of slots FD1..FD4, contiguous from FD1: PPG LED1 (infrared) and LED2 (red) when PPG is on, then
     * ECG when ECG is on, then unused.
     */
    public int[] slots() {
        int[] s = new int[SLOTS];
        int n = 0;
        if (ppgEnabled()) {
            s[n++] = FD_PPG_LED1;
            s[n++] = FD_PPG_LED2;
        }
        if (ecgEnabled()) {
            s[n] = FD_ECG;
        }
        return s;
    }

    /** Elements (3 bytes each) per FIFO sample. */
    public int elementsPerSample() {
        return (ppgEnabled() ? 2 : 0) + (ecgEnabled() ? 1 : 0);
    }

    /** FIFO Data Control 1: FD2 in bits 7..4, FD1 in bits 3..0. */
    public int fifoDataControl1() {
        int[] s = slots();
        return (s[1] << 4) | s[0];
    }

    /** FIFO Data Control 2: FD4 in bits 7..4, FD3 in bits 3..0. */
    public int fifoDataControl2() {
        int[] s = slots();
        return (s[3] << 4) | s[2];
    }

    /** FIFO Configuration: rollover as configured, A_FULL with 15 entries free (17 in the FIFO). */
    public int fifoConfig() {
        return (fifoRollover ? FIFO_ROLLS_ON_FULL : 0) | 0x0F;
    }

    /** PPG Configuration 1: ADC range, sample rate (one pulse per sample), LED pulse width. */
    public int ppgConfig1() {
        return (index("", "", ppgAdcRangeNanoAmps, PPG_RANGES_NA) << 6) | (index("", "", ppgRateHz, PPG_RATES) << 2)
                | index("", "", ppgPulseWidthUs, PPG_PULSE_WIDTHS_US);
    }

    /** PPG Configuration 2: SMP_AVE. */
    public int ppgConfig2() {
        return index("", "", ppgAveraging, AVERAGING);
    }

    /** ECG Configuration 1: ECG_ADC_CLK and ECG_ADC_OSR of the ECG rate (the slow clock unless 3200 samples/s). */
    public int ecgConfig1() {
        return ECG_RATE_CODES[index("", "", ecgRateSps, ECG_RATES_SUPPORTED)];
    }

    /** ECG Configuration 3: PGA_ECG_GAIN in bits 3..2, IA_GAIN in bits 1..0. */
    public int ecgConfig3() {
        return (index("", "", ecgPgaGain, ECG_PGA_GAINS) << 2) | gainCode("", ecgIaGain);
    }

    /** LED pulse amplitude register value for a current in the 50 mA range (0.2 mA per LSB). */
    public static int ledCode(double ma) {
        return (int) Math.round(ma / LED_MA_PER_LSB);
    }

    private static int maxRate(int pulseWidthUs) {
        for (int i = 0; i < PPG_PULSE_WIDTHS_US.length; i++) {
            if (PPG_PULSE_WIDTHS_US[i] == pulseWidthUs) {
                return PPG_MAX_RATE_TWO_LEDS[i];
            }
        }
        return 0;
    }

    private static int index(String p, String field, int value, int[] allowed) {
        for (int i = 0; i < allowed.length; i++) {
            if (allowed[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException(p + field + " " + value + " is not supported; use one of "
                + Arrays.toString(allowed));
    }

    private static int gainCode(String p, double gain) {
        for (int i = 0; i < ECG_IA_GAINS.length; i++) {
            if (ECG_IA_GAINS[i] == gain) {
                return i;
            }
        }
        throw new IllegalArgumentException(p + "ecgIaGain " + gain + " is not supported; use one of "
                + Arrays.toString(ECG_IA_GAINS));
    }

    private static void current(String p, String field, double ma) {
        if (!(ma >= 0 && ma <= 51)) {
            throw new IllegalArgumentException(p + field + " must be 0..51 mA, got " + ma);
        }
    }
}
