package org.cardiogate.sensor.lsm6dso;

import java.util.Objects;

/**
 * Configuration of an LSM6DSO accelerometer for seismocardiography, validated on construction.
 *
 * @param streamId        id of the SCG stream (one channel, {@code z}, the body's dorso-ventral axis, in mg)
 * @param odrHz           output and FIFO batch data rate: 833, 1667 or 3333 (the chip's 833 Hz is exactly 48
 *                        timestamp LSBs of 25 µs, i.e. 833.33 Hz; the others are 24 and 12 LSBs)
 * @param fullScaleG      2, 4, 8 or 16 g (sensitivity 0.061, 0.122, 0.244, 0.488 mg/LSB)
 * @param dorsoVentralAxis which chip axis points along the body's dorso-ventral axis (out of the chest)
 * @param inverted        true when that axis points into the chest (the value is negated)
 * @param ringSlots       ring blocks, a power of two
 * @param blockSamples    samples per published block
 */
public record Lsm6dsoConfig(String streamId, int odrHz, int fullScaleG, Axis dorsoVentralAxis, boolean inverted,
                            int ringSlots, int blockSamples) {
    /** A chip axis; its ordinal is the axis index in a FIFO word. */
    public enum Axis { X, Y, Z }

    private static final int[] ODRS = {833, 1667, 3333};
    private static final int[] ODR_CODES = {0x7, 0x8, 0x9};
    private static final int[] TICKS = {48, 24, 12};
    private static final int[] SCALES = {2, 4, 8, 16};
    private static final int[] FS_CODES = {0x0, 0x2, 0x3, 0x1};
    private static final double[] SENSITIVITY_MG = {0.061, 0.122, 0.244, 0.488};

    public Lsm6dsoConfig {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(dorsoVentralAxis, "dorsoVentralAxis");
        index("odrHz", odrHz, ODRS);
        index("fullScaleG", fullScaleG, SCALES);
        if (ringSlots < 2 || Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException("LSM6DSO config: ringSlots must be a power of two >= 2, got "
                    + ringSlots);
        }
        if (blockSamples < 1) {
            throw new IllegalArgumentException("LSM6DSO config: blockSamples must be >= 1, got " + blockSamples);
        }
    }

    /** 833 Hz, ±2 g, dorso-ventral along chip Z, 20-sample blocks. */
    public static Lsm6dsoConfig defaults(String streamId) {
        return new Lsm6dsoConfig(streamId, 833, 2, Axis.Z, false, 64, 20);
    }

    public Lsm6dsoConfig withAxis(Axis axis, boolean invert) {
        return new Lsm6dsoConfig(streamId, odrHz, fullScaleG, axis, invert, ringSlots, blockSamples);
    }

    public Lsm6dsoConfig withOdr(int hz) {
        return new Lsm6dsoConfig(streamId, hz, fullScaleG, dorsoVentralAxis, inverted, ringSlots, blockSamples);
    }

    /** Timestamp LSBs (25 µs) per sample. */
    public int ticksPerSample() {
        return TICKS[index("odrHz", odrHz, ODRS)];
    }

    /** The exact nominal rate: 40 kHz / ticks per sample. */
    public double rateHz() {
        return 1e9 / (Lsm6dsoRegisters.TIMESTAMP_LSB_NANOS * ticksPerSample());
    }

    /** mg per LSB at the full scale. */
    public double sensitivityMg() {
        return SENSITIVITY_MG[index("fullScaleG", fullScaleG, SCALES)];
    }

    /** CTRL1_XL: ODR_XL[7:4], FS_XL[3:2]. */
    public int ctrl1Xl() {
        return (ODR_CODES[index("odrHz", odrHz, ODRS)] << 4) | (FS_CODES[index("fullScaleG", fullScaleG, SCALES)] << 2);
    }

    /** FIFO_CTRL3: BDR_XL[3:0] equal to the ODR, gyroscope not batched. */
    public int fifoCtrl3() {
        return ODR_CODES[index("odrHz", odrHz, ODRS)];
    }

    /** The ODR code (CTRL1_XL ODR_XL / FIFO_CTRL3 BDR_XL) of a rate, or -1. */
    public static int odrCode(int hz) {
        for (int i = 0; i < ODRS.length; i++) {
            if (ODRS[i] == hz) {
                return ODR_CODES[i];
            }
        }
        return -1;
    }

    /** Timestamp ticks per sample of an ODR code, or -1 for codes this model does not run. */
    public static int ticksOfCode(int code) {
        for (int i = 0; i < ODR_CODES.length; i++) {
            if (ODR_CODES[i] == code) {
                return TICKS[i];
            }
        }
        return -1;
    }

    /** mg per LSB of an FS_XL code. */
    public static double sensitivityOfCode(int fsCode) {
        for (int i = 0; i < FS_CODES.length; i++) {
            if (FS_CODES[i] == fsCode) {
                return SENSITIVITY_MG[i];
            }
        }
        throw new IllegalArgumentException("FS_XL code " + fsCode);
    }

    private static int index(String field, int value, int[] allowed) {
        for (int i = 0; i < allowed.length; i++) {
            if (allowed[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException("LSM6DSO config: " + field + " " + value + " is not supported; use one of "
                + java.util.Arrays.toString(allowed));
    }
}
