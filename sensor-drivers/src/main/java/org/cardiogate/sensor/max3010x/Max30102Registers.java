package org.cardiogate.sensor.max3010x;

/** MAX30102 register addresses and fixed values (Maxim datasheet 19-7740, register map). */
public final class Max30102Registers {
    public static final int I2C_ADDRESS = 0x57;
    public static final int INT_STATUS_1 = 0x00;
    public static final int FIFO_WR_PTR = 0x04;
    public static final int OVF_COUNTER = 0x05;
    public static final int FIFO_RD_PTR = 0x06;
    public static final int FIFO_DATA = 0x07;
    public static final int FIFO_CONFIG = 0x08;
    public static final int MODE_CONFIG = 0x09;
    public static final int SPO2_CONFIG = 0x0A;
    public static final int LED1_PA = 0x0C;
    public static final int LED2_PA = 0x0D;
    public static final int REV_ID = 0xFE;
    public static final int PART_ID = 0xFF;
    /** PART_ID of the MAX30102 (and MAX30101). */
    public static final int PART_ID_VALUE = 0x15;
    /** MODE_CONFIG: RESET bit. */
    public static final int MODE_RESET = 0x40;
    /** MODE_CONFIG: SHDN bit. */
    public static final int MODE_SHUTDOWN = 0x80;
    /** MODE_CONFIG MODE[2:0] for SpO2 (red and IR). */
    public static final int MODE_SPO2 = 0x03;
    /** FIFO depth in samples. */
    public static final int FIFO_DEPTH = 32;
    /** OVF_COUNTER saturates here. */
    public static final int OVF_MAX = 0x1F;

    private Max30102Registers() {
    }
}
