package org.cardiogate.sensor.max3010x;

import java.util.Objects;

/**
 * Configuration of a MAX30102 / MAX30101 in SpO2 mode (red and IR LEDs), validated on construction.
 *
 * @param streamId        id of the PPG stream (channels red and ir, 18-bit ADC counts, left-justified per datasheet)
 * @param sampleRateHz    SPO2_SR: 50, 100, 200, 400, 800, 1000, 1600 or 3200 samples/s
 * @param pulseWidthUs    LED_PW: 69 (15-bit), 118 (16-bit), 215 (17-bit) or 411 (18-bit) µs
 * @param adcRangeNanoAmps SPO2_ADC_RGE full scale: 2048, 4096, 8192 or 16384 nA
 * @param averaging       SMP_AVE: 1, 2, 4, 8, 16 or 32 samples averaged per FIFO entry
 * @param redCurrentMa    LED1_PA, 0..51 mA in 0.2 mA steps
 * @param irCurrentMa     LED2_PA, 0..51 mA in 0.2 mA steps
 * @param ringSlots       ring blocks, a power of two
 * @param blockSamples    samples per published block
 */
public record Max30102Config(String streamId, int sampleRateHz, int pulseWidthUs, int adcRangeNanoAmps,
                             int averaging, double redCurrentMa, double irCurrentMa, int ringSlots,
                             int blockSamples) {
    static final int[] RATES = {50, 100, 200, 400, 800, 1000, 1600, 3200};
    static final int[] PULSE_WIDTHS = {69, 118, 215, 411};
    static final int[] RANGES = {2048, 4096, 8192, 16384};
    static final int[] AVERAGING = {1, 2, 4, 8, 16, 32};

    public Max30102Config {
        Objects.requireNonNull(streamId, "streamId");
        code("sampleRateHz", sampleRateHz, RATES);
        code("pulseWidthUs", pulseWidthUs, PULSE_WIDTHS);
        code("adcRangeNanoAmps", adcRangeNanoAmps, RANGES);
        code("averaging", averaging, AVERAGING);
        current("redCurrentMa", redCurrentMa);
        current("irCurrentMa", irCurrentMa);
        if (ringSlots < 2 || Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException("MAX30102 config: ringSlots must be a power of two >= 2, got " + ringSlots);
        }
        if (blockSamples < 1) {
            throw new IllegalArgumentException("MAX30102 config: blockSamples must be >= 1, got " + blockSamples);
        }
    }

    /** 100 samples/s, 411 µs (18 bit), 4096 nA, no averaging, 7 mA on both LEDs, 10-sample blocks. */
    public static Max30102Config defaults(String streamId) {
        return new Max30102Config(streamId, 100, 411, 4096, 1, 7.0, 7.0, 64, 10);
    }

    public Max30102Config withAveraging(int n) {
        return new Max30102Config(streamId, sampleRateHz, pulseWidthUs, adcRangeNanoAmps, n, redCurrentMa,
                irCurrentMa, ringSlots, blockSamples);
    }

    /** FIFO entries per second: the sample rate divided by the averaging. */
    public double fifoRateHz() {
        return (double) sampleRateHz / averaging;
    }

    /** ADC resolution in bits implied by the pulse width. */
    public int resolutionBits() {
        return 15 + code("pulseWidthUs", pulseWidthUs, PULSE_WIDTHS);
    }

    /** FIFO_CONFIG: SMP_AVE, rollover off (lost samples are counted by OVF_COUNTER), A_FULL at 15 free. */
    public int fifoConfig() {
        return (code("averaging", averaging, AVERAGING) << 5) | 0x0F;
    }

    /** SPO2_CONFIG: ADC range, sample rate, pulse width. */
    public int spo2Config() {
        return (code("adcRangeNanoAmps", adcRangeNanoAmps, RANGES) << 5)
                | (code("sampleRateHz", sampleRateHz, RATES) << 2) | code("pulseWidthUs", pulseWidthUs, PULSE_WIDTHS);
    }

    /** LED pulse amplitude register value (0.2 mA per LSB). */
    public static int ledCode(double ma) {
        return (int) Math.round(ma / 0.2);
    }

    private static int code(String field, int value, int[] allowed) {
        for (int i = 0; i < allowed.length; i++) {
            if (allowed[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException("MAX30102 config: " + field + " " + value + " is not supported; use one of "
                + java.util.Arrays.toString(allowed));
    }

    private static void current(String field, double ma) {
        if (!(ma >= 0 && ma <= 51)) {
            throw new IllegalArgumentException("MAX30102 config: " + field + " must be 0..51 mA, got " + ma);
        }
    }
}
