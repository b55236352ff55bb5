package org.cardiogate.sensor.max86150;

/**
 * MAX86150 register addresses, bit fields and the datasheet facts the driver and the emulator share (Maxim / Analog
 * Devices datasheet 19-8402, register map and FIFO description). As with {@code Ads129xModel}, the values are copied
 * from the datasheet rather than derived from the emulator, so a mistake here shows up on real hardware.
 *
 * <p>Differences from the MAX30102 that the register map forces on a driver: the mode register is replaced by System
 * Control (0x0D: RESET, SHDN, FIFO_EN) and by the FIFO Data Control slots FD1..FD4 (0x09/0x0A), which say what each
 * 3-byte element of a FIFO sample is; sample averaging (SMP_AVE) lives in PPG Configuration 2 (0x0F), not in the FIFO
 * configuration; LED1 is the infrared LED and LED2 the red one.
 */
public final class Max86150Registers {
    /** 7-bit I2C address (fixed). */
    public static final int I2C_ADDRESS = 0x5E;

    public static final int INT_STATUS_1 = 0x00;
    public static final int INT_STATUS_2 = 0x01;
    public static final int INT_ENABLE_1 = 0x02;
    public static final int INT_ENABLE_2 = 0x03;
    public static final int FIFO_WR_PTR = 0x04;
    public static final int OVF_COUNTER = 0x05;
    public static final int FIFO_RD_PTR = 0x06;
    public static final int FIFO_DATA = 0x07;
    public static final int FIFO_CONFIG = 0x08;
    /** FIFO Data Control 1: FD2[7:4], FD1[3:0]. */
    public static final int FIFO_DATA_CONTROL_1 = 0x09;
    /** FIFO Data Control 2: FD4[7:4], FD3[3:0]. */
    public static final int FIFO_DATA_CONTROL_2 = 0x0A;
    public static final int SYSTEM_CONTROL = 0x0D;
    /** PPG Configuration 1: PPG_ADC_RGE[7:6], PPG_SR[5:2], PPG_LED_PW[1:0]. */
    public static final int PPG_CONFIG_1 = 0x0E;
    /** PPG Configuration 2: SMP_AVE[2:0]. */
    public static final int PPG_CONFIG_2 = 0x0F;
    public static final int PROX_INT_THRESHOLD = 0x10;
    /** LED1 (infrared) pulse amplitude. */
    public static final int LED1_PA = 0x11;
    /** LED2 (red) pulse amplitude. */
    public static final int LED2_PA = 0x12;
    /** LED Range: LED2_RGE[3:2], LED1_RGE[1:0] (0 = 50 mA full scale, 0.2 mA per PA LSB). */
    public static final int LED_RANGE = 0x14;
    public static final int LED_PILOT_PA = 0x15;
    /** ECG Configuration 1: ECG_ADC_CLK[2], ECG_ADC_OSR[1:0]. */
    public static final int ECG_CONFIG_1 = 0x3C;
    /** ECG Configuration 3: PGA_ECG_GAIN[3:2], IA_GAIN[1:0]. */
    public static final int ECG_CONFIG_3 = 0x3E;
    public static final int PART_ID = 0xFF;

    /** PART_ID of the MAX86150. */
    public static final int PART_ID_VALUE = 0x1E;

    /** INT_STATUS_1: FIFO almost full. */
    public static final int INT_A_FULL = 0x80;
    /** INT_STATUS_1: new PPG sample. */
    public static final int INT_PPG_RDY = 0x40;
    /** INT_STATUS_1: power-up or brown-out reset done. */
    public static final int INT_PWR_RDY = 0x01;
    /** INT_STATUS_2: new ECG sample. */
    public static final int INT_ECG_RDY = 0x04;

    /** SYSTEM_CONTROL: software reset (self-clearing; every register back to its power-on value). */
    public static final int SYS_RESET = 0x01;
    /** SYSTEM_CONTROL: shutdown (registers stay accessible, no conversions). */
    public static final int SYS_SHDN = 0x02;
    /** SYSTEM_CONTROL: FIFO enable (the FIFO is flushed and starts filling when this is set). */
    public static final int SYS_FIFO_EN = 0x04;

    /** FIFO_CONFIG: FIFO_ROLLS_ON_FULL (overwrite the oldest sample instead of dropping the newest). */
    public static final int FIFO_ROLLS_ON_FULL = 0x10;
    /** FIFO_CONFIG: FIFO_A_FULL[3:0], free entries left when A_FULL is raised. */
    public static final int FIFO_A_FULL_MASK = 0x0F;

    /** FDn element type: slot unused (the FIFO sample ends at the first unused slot). */
    public static final int FD_NONE = 0x0;
    /** FDn element type: PPG of LED1 (infrared). */
    public static final int FD_PPG_LED1 = 0x1;
    /** FDn element type: PPG of LED2 (red). */
    public static final int FD_PPG_LED2 = 0x2;
    /** FDn element type: pilot LED1 (proximity). */
    public static final int FD_PILOT_LED1 = 0x5;
    /** FDn element type: pilot LED2. */
    public static final int FD_PILOT_LED2 = 0x6;
    /** FDn element type: ECG. */
    public static final int FD_ECG = 0x9;

    /** FIFO depth in samples (one sample holds one element per used slot). */
    public static final int FIFO_DEPTH = 32;
    /** FIFO slots FD1..FD4. */
    public static final int SLOTS = 4;
    /** Bytes per FIFO element. */
    public static final int ELEMENT_BYTES = 3;
    /** OVF_COUNTER saturates here. */
    public static final int OVF_MAX = 0x1F;
    /** PPG elements: 19-bit unsigned ADC counts in bits 18..0. */
    public static final int PPG_MASK = 0x7FFFF;
    /** ECG elements: 18-bit two's complement in bits 17..0. */
    public static final int ECG_MASK = 0x3FFFF;

    /** PPG_SR codes 0..10 (one LED pulse per sample), in samples/s; codes 11..15 (two pulses) are not used. */
    public static final int[] PPG_RATES = {10, 20, 50, 84, 100, 200, 400, 800, 1000, 1600, 3200};
    /** PPG_SR codes 11..15 (two LED pulses per sample), in samples/s. */
    public static final int[] PPG_RATES_TWO_PULSES = {10, 20, 50, 84, 100};
    /** PPG_LED_PW codes 0..3, in µs. */
    public static final int[] PPG_PULSE_WIDTHS_US = {50, 100, 200, 400};
    /**
     * Highest PPG_SR with two LEDs and one pulse per sample, per PPG_LED_PW code (datasheet table of maximum sample
     * rates: the LED pulses of one sample must fit in its period).
     */
    public static final int[] PPG_MAX_RATE_TWO_LEDS = {1600, 800, 800, 400};
    /** PPG_ADC_RGE codes 0..3: full scale in nA (LSB = full scale / 2^19, 7.8125 pA at 4096 nA). */
    public static final int[] PPG_RANGES_NA = {4096, 8192, 16384, 32768};
    /** SMP_AVE codes 0..5: samples averaged per FIFO entry. */
    public static final int[] AVERAGING = {1, 2, 4, 8, 16, 32};
    /**
     * ECG output data rate in samples/s indexed by {@code ECG_ADC_CLK << 2 | ECG_ADC_OSR} (ECG Configuration 1):
     * 1600, 800, 400, 200 with the slow ADC clock and 3200, 1600, 800, 400 with the fast one.
     */
    public static final int[] ECG_RATES = {1600, 800, 400, 200, 3200, 1600, 800, 400};
    /** PGA_ECG_GAIN codes 0..3, V/V. */
    public static final int[] ECG_PGA_GAINS = {1, 2, 4, 8};
    /** IA_GAIN codes 0..3, V/V. */
    public static final double[] ECG_IA_GAINS = {5, 9.5, 20, 50};
    /**
     * Input-referred ECG LSB at a total gain of 1 V/V, in µV: the datasheet's ECG LSB is
     * {@code 12.247 µV / (IA_GAIN x PGA_ECG_GAIN)}, i.e. an 18-bit converter spanning ±1.605 V after the amplifiers.
     */
    public static final double ECG_LSB_MICROVOLTS_AT_UNITY = 12.247;
    /** LED pulse amplitude step in the 50 mA range (LEDn_RGE = 0), mA per LSB. */
    public static final double LED_MA_PER_LSB = 0.2;

    /** Power-on value of ECG Configuration 1 (slow clock, OSR code 3: 200 samples/s). */
    public static final int ECG_CONFIG_1_RESET = 0x03;
    /** Power-on value of ECG Configuration 3 as modelled: IA gain 20 (code 2), PGA gain 1 (code 0). */
    public static final int ECG_CONFIG_3_RESET = 0x02;

    private Max86150Registers() {
    }

    /** ECG LSB in mV for an ECG Configuration 3 value: {@code 12.247 µV / (IA x PGA) / 1000}. */
    public static double ecgLsbMillivolts(int ecgConfig3) {
        return ECG_LSB_MICROVOLTS_AT_UNITY / (ECG_IA_GAINS[ecgConfig3 & 0x03] * ECG_PGA_GAINS[(ecgConfig3 >> 2) & 0x03])
                / 1000.0;
    }

    /** ECG output data rate in samples/s of an ECG Configuration 1 value. */
    public static int ecgRateOf(int ecgConfig1) {
        return ECG_RATES[ecgConfig1 & 0x07];
    }

    /** PPG sample rate in samples/s of a PPG Configuration 1 value (codes 11..15: two pulses per sample). */
    public static int ppgRateOf(int ppgConfig1) {
        int code = (ppgConfig1 >> 2) & 0x0F;
        return code < PPG_RATES.length ? PPG_RATES[code] : PPG_RATES_TWO_PULSES[code - PPG_RATES.length];
    }

    /** Samples averaged per PPG FIFO entry of a PPG Configuration 2 value (the reserved codes 6, 7 taken as 32). */
    public static int averagingOf(int ppgConfig2) {
        return AVERAGING[Math.min(5, ppgConfig2 & 0x07)];
    }
}
