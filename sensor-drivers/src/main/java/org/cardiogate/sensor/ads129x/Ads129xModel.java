package org.cardiogate.sensor.ads129x;

/**
 * The datasheet facts of the supported TI ECG front-ends: identification, register addresses, data rates, gains,
 * lead-off currents, frame layout and status-word bits. Shared by the driver and the emulator, so a mistake here
 * shows up on real hardware rather than being mirrored by a test double: the values are copied from the
 * datasheets cited per constant.
 *
 * <ul>
 *   <li>ADS1292R (SBAS502): 2 channels, ID 0x73, internal reference 2.42 V, 125..8000 SPS.</li>
 *   <li>ADS1298 (SBAS459): 8 channels, ID 0x92, internal reference 2.4 V, 250 (low-power) and 500..32000 SPS
 *       (high-resolution mode).</li>
 * </ul>
 */
public enum Ads129xModel {
    ADS1292R(0x73, 2, 2.42, 0x0C, new int[] {125, 250, 500, 1000, 2000, 4000, 8000},
            new int[] {6, 22, 6000, 22000}),
    ADS1298(0x92, 8, 2.4, 0x1A, new int[] {32000, 16000, 8000, 4000, 2000, 1000, 500},
            new int[] {6, 12, 18, 24});

    // SPI opcodes (both datasheets, "SPI Command Definitions")
    public static final int WAKEUP = 0x02;
    public static final int STANDBY = 0x04;
    public static final int RESET = 0x06;
    public static final int START = 0x08;
    public static final int STOP = 0x0A;
    public static final int RDATAC = 0x10;
    public static final int SDATAC = 0x11;
    public static final int RDATA = 0x12;
    public static final int RREG = 0x20;
    public static final int WREG = 0x40;

    public static final int REG_ID = 0x00;
    public static final int REG_CONFIG1 = 0x01;
    public static final int REG_CONFIG2 = 0x02;

    /** Gain settings, indexed by the CHnSET GAIN[2:0] code (code 0 is gain 6 on both chips). */
    static final int[] GAINS = {6, 1, 2, 3, 4, 8, 12};

    /** Comparator thresholds (positive side, % of supply), indexed by LOFF COMP_TH[2:0]. */
    static final double[] COMPARATOR_PERCENT = {95, 92.5, 90, 87.5, 85, 80, 75, 70};

    /** Status word bits 23..20 are always 1100. */
    public static final int STATUS_HEADER = 0xC;

    private final int id;
    private final int channels;
    private final double vrefVolts;
    private final int registerCount;
    private final int[] rates;
    private final int[] leadOffNanoAmps;

    Ads129xModel(int id, int channels, double vrefVolts, int registerCount, int[] rates, int[] leadOffNanoAmps) {
        this.id = id;
        this.channels = channels;
        this.vrefVolts = vrefVolts;
        this.registerCount = registerCount;
        this.rates = rates;
        this.leadOffNanoAmps = leadOffNanoAmps;
    }

    /** Value of the ID register (address 0x00). */
    public int deviceId() {
        return id;
    }

    public int channels() {
        return channels;
    }

    /** Internal reference voltage in volts (VREF_4V = 0). */
    public double vrefVolts() {
        return vrefVolts;
    }

    /** Number of registers (addresses 0..count-1). */
    public int registerCount() {
        return registerCount;
    }

    /** Bytes per data frame in RDATAC: a 24-bit status word and 24 bits per channel. */
    public int frameBytes() {
        return 3 + 3 * channels;
    }

    /** Address of CHnSET for channel {@code ch} (0-based). */
    public int chSetAddress(int ch) {
        return (this == ADS1292R ? 0x04 : 0x05) + ch;
    }

    /** Address of the LOFF register. */
    public int loffAddress() {
        return this == ADS1292R ? 0x03 : 0x04;
    }

    /**
     * Input-referred value of one LSB in millivolts: {@code 2 * Vref / gain / 2^24} (datasheet "Data Format").
     */
    public double lsbMillivolts(int gain) {
        return 2.0 * vrefVolts / gain / 16_777_216.0 * 1000.0;
    }

    /** Supported output data rates in samples per second. */
    public int[] supportedRates() {
        int[] r = rates.clone();
        if (this == ADS1298) {
            r = java.util.Arrays.copyOf(r, r.length + 1);
            r[r.length - 1] = 250;
        }
        java.util.Arrays.sort(r);
        return r;
    }

    /** CONFIG1 value selecting {@code sps} (ADS1298: HR mode, or LP mode for 250 SPS), or -1 if unsupported. */
    public int config1For(int sps) {
        if (this == ADS1298 && sps == 250) {
            return 0x06;
        }
        for (int code = 0; code < rates.length; code++) {
            if (rates[code] == sps) {
                return this == ADS1298 ? 0x80 | code : code;
            }
        }
        return -1;
    }

    /** Output data rate in SPS selected by a CONFIG1 value, or -1 for a reserved code. */
    public int rateOf(int config1) {
        int code = config1 & 0x07;
        if (code >= rates.length) {
            return -1;
        }
        if (this == ADS1298 && (config1 & 0x80) == 0) {
            return rates[code] / 2;
        }
        return rates[code];
    }

    /** GAIN[2:0] code for a PGA gain, or -1. */
    public static int gainCode(int gain) {
        for (int i = 0; i < GAINS.length; i++) {
            if (GAINS[i] == gain) {
                return i;
            }
        }
        return -1;
    }

    /** PGA gain of a CHnSET value, or -1 for the reserved code 7. */
    public static int gainOf(int chSet) {
        int code = (chSet >> 4) & 0x07;
        return code < GAINS.length ? GAINS[code] : -1;
    }

    /** ILEAD_OFF code for a current in nA, or -1 if this chip cannot source it. */
    public int leadOffCurrentCode(int nanoAmps) {
        for (int i = 0; i < leadOffNanoAmps.length; i++) {
            if (leadOffNanoAmps[i] == nanoAmps) {
                return i;
            }
        }
        return -1;
    }

    /** Lead-off currents this chip can source, in nA. */
    public int[] leadOffCurrentsNanoAmps() {
        return leadOffNanoAmps.clone();
    }

    /** COMP_TH code for a positive-side threshold in percent, or -1. */
    public static int comparatorCode(double percent) {
        for (int i = 0; i < COMPARATOR_PERCENT.length; i++) {
            if (COMPARATOR_PERCENT[i] == percent) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Lead-off bits of a 24-bit status word, as an electrode mask: bit {@code 2c} is INcP and bit {@code 2c+1} is
     * INcN of channel {@code c} (0-based); on the ADS1292R bit 4 is the right-leg-drive electrode (RLD_STAT).
     * ADS1292R status: 1100, RLD_STAT, IN2N, IN2P, IN1N, IN1P, GPIO[1:0], 0...; ADS1298: 1100, LOFF_STATP[7:0],
     * LOFF_STATN[7:0], GPIO[7:4].
     */
    public int leadOffMask(int status) {
        if (this == ADS1292R) {
            return (status >>> 15) & 0x1F;
        }
        int p = (status >>> 12) & 0xFF;
        int n = (status >>> 4) & 0xFF;
        int mask = 0;
        for (int c = 0; c < 8; c++) {
            mask |= ((p >>> c) & 1) << (2 * c);
            mask |= ((n >>> c) & 1) << (2 * c + 1);
        }
        return mask;
    }

    /** Inverse of {@link #leadOffMask(int)}: the status word a chip reports for an electrode mask. */
    public int statusFor(int leadOffMask, int gpio) {
        if (this == ADS1292R) {
            return (STATUS_HEADER << 20) | ((leadOffMask & 0x1F) << 15) | ((gpio & 0x03) << 13);
        }
        int p = 0;
        int n = 0;
        for (int c = 0; c < 8; c++) {
            p |= ((leadOffMask >>> (2 * c)) & 1) << c;
            n |= ((leadOffMask >>> (2 * c + 1)) & 1) << c;
        }
        return (STATUS_HEADER << 20) | (p << 12) | (n << 4) | (gpio & 0x0F);
    }

    /** Electrode names of a lead-off mask, e.g. {@code "IN1P,IN2N"}; allocates (events only). */
    public String electrodeNames(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < electrodeCount(); b++) {
            if ((mask & (1 << b)) != 0) {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(electrodeName(b));
            }
        }
        return sb.toString();
    }

    /** Electrodes with a lead-off bit: 5 on the ADS1292R (IN1P..IN2N, RLD), 16 on the ADS1298 (IN1P..IN8N). */
    public int electrodeCount() {
        return this == ADS1292R ? 5 : 16;
    }

    /** Name of lead-off bit {@code b} of {@link #leadOffMask(int)}: {@code IN<c>P}/{@code IN<c>N}, or {@code RLD}. */
    public String electrodeName(int b) {
        return b == 4 && this == ADS1292R ? "RLD" : "IN" + (b / 2 + 1) + ((b & 1) == 0 ? "P" : "N");
    }

    /**
     * Amplitude of the internal test signal in mV: {@code +-(VREFP - VREFN) / 2400} (ADS1298 with TEST_AMP = 0;
     * ADS1292R "test signal"), about 1.008 mV and 1.000 mV.
     */
    public double testSignalMillivolts() {
        return vrefVolts / 2400.0 * 1000.0;
    }

    /**
     * Square-wave test signal frequency in Hz for the configured CONFIG2 (0 for DC, NaN when the test signal is
     * off): ADS1292R 1 Hz (TEST_FREQ = 1); ADS1298 fCLK/2^21 or fCLK/2^20 with fCLK = 2.048 MHz.
     */
    public double testFrequencyHz(int config2) {
        if (this == ADS1292R) {
            if ((config2 & 0x02) == 0) {
                return Double.NaN;
            }
            return (config2 & 0x01) != 0 ? 1.0 : 0.0;
        }
        if ((config2 & 0x10) == 0) {
            return Double.NaN;
        }
        return switch (config2 & 0x03) {
            case 0 -> 2_048_000.0 / (1 << 21);
            case 1 -> 2_048_000.0 / (1 << 20);
            default -> 0.0;
        };
    }

    /** True when lead-off comparators are powered (ADS1292R CONFIG2.PDB_LOFF_COMP, ADS1298 CONFIG4.PD_LOFF_COMP). */
    public boolean comparatorsOn(int[] regs) {
        return this == ADS1292R ? (regs[0x02] & 0x40) != 0 : (regs[0x17] & 0x02) != 0;
    }

    /** Electrodes whose lead-off detection is enabled (LOFF_SENS / LOFF_SENSP+N), as an electrode mask. */
    public int leadOffSensed(int[] regs) {
        if (this == ADS1292R) {
            return regs[0x07] & 0x0F;
        }
        int mask = 0;
        for (int c = 0; c < 8; c++) {
            mask |= ((regs[0x0F] >>> c) & 1) << (2 * c);
            mask |= ((regs[0x10] >>> c) & 1) << (2 * c + 1);
        }
        return mask;
    }

    /** Power-on reset register values (datasheet register maps; ID included). */
    public int[] resetValues() {
        int[] r = new int[registerCount];
        r[0] = id;
        if (this == ADS1292R) {
            r[0x01] = 0x02;
            r[0x02] = 0x80;
            r[0x03] = 0x10;
            r[0x09] = 0x02;
            r[0x0A] = 0x07;
            r[0x0B] = 0x0C;
        } else {
            r[0x01] = 0x06;
            r[0x02] = 0x40;
            r[0x03] = 0x40;
            r[0x14] = 0x0F;
        }
        return r;
    }

    /** Bits of each register that the host may write (the rest are read-only status or ID). */
    public int writableMask(int address) {
        if (address == REG_ID) {
            return 0;
        }
        if (this == ADS1292R) {
            return address == 0x08 ? 0x40 : 0xFF;
        }
        return switch (address) {
            case 0x03 -> 0xFE;
            case 0x12, 0x13 -> 0;
            default -> 0xFF;
        };
    }
}
