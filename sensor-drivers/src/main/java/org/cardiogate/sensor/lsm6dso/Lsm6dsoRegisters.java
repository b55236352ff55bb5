package org.cardiogate.sensor.lsm6dso;

/** ST LSM6DSO register addresses, bits and fixed values (datasheet DS12140, register map and FIFO chapter). */
public final class Lsm6dsoRegisters {
    /** 7-bit I2C address with SA0 low; 0x6B with SA0 high. */
    public static final int I2C_ADDRESS = 0x6A;
    public static final int FIFO_CTRL1 = 0x07;
    public static final int FIFO_CTRL2 = 0x08;
    public static final int FIFO_CTRL3 = 0x09;
    public static final int FIFO_CTRL4 = 0x0A;
    public static final int WHO_AM_I = 0x0F;
    public static final int CTRL1_XL = 0x10;
    public static final int CTRL2_G = 0x11;
    public static final int CTRL3_C = 0x12;
    public static final int CTRL10_C = 0x19;
    public static final int FIFO_STATUS1 = 0x3A;
    public static final int FIFO_STATUS2 = 0x3B;
    public static final int FIFO_DATA_OUT_TAG = 0x78;
    public static final int FIFO_DATA_OUT_Z_H = 0x7E;

    public static final int WHO_AM_I_VALUE = 0x6C;
    /** CTRL3_C: software reset (self-clearing). */
    public static final int CTRL3_SW_RESET = 0x01;
    /** CTRL3_C: register address auto-increment (set at reset). */
    public static final int CTRL3_IF_INC = 0x04;
    /** CTRL3_C: block data update. */
    public static final int CTRL3_BDU = 0x40;
    /** CTRL10_C: timestamp counter enable. */
    public static final int CTRL10_TIMESTAMP_EN = 0x20;
    /** FIFO_CTRL4 FIFO_MODE[2:0]: bypass (FIFO off and emptied). */
    public static final int FIFO_MODE_BYPASS = 0x00;
    /** FIFO_CTRL4 FIFO_MODE[2:0]: continuous (the newest sample overwrites the oldest when full). */
    public static final int FIFO_MODE_CONTINUOUS = 0x06;
    /** FIFO_CTRL4 DEC_TS_BATCH[1:0] = 01: a timestamp word at every batch event. */
    public static final int DEC_TS_BATCH_1 = 0x40;
    /** FIFO_STATUS2: FIFO overrun. */
    public static final int STATUS2_FIFO_OVR_IA = 0x40;
    /** FIFO_STATUS2: FIFO full at the next batch. */
    public static final int STATUS2_FIFO_FULL_IA = 0x20;
    /** FIFO word tag (TAG_SENSOR, bits 7:3): accelerometer, not compressed. */
    public static final int TAG_ACCELEROMETER = 0x02;
    /** FIFO word tag: timestamp (TIMESTAMP[31:0] little-endian in the first four data bytes). */
    public static final int TAG_TIMESTAMP = 0x04;
    /** Bytes per FIFO word: tag and six data bytes. */
    public static final int WORD_BYTES = 7;
    /** FIFO capacity in words (3 KB of 6-byte data words). */
    public static final int FIFO_WORDS = 512;
    /** Timestamp resolution in ns (25 µs typical, on the chip's own oscillator). */
    public static final long TIMESTAMP_LSB_NANOS = 25_000;

    private Lsm6dsoRegisters() {
    }
}
