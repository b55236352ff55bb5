package org.cardiogate.signal.wfdb;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One signal specification line of a WFDB header, e.g. {@code 100.dat 212 200 11 1024 995 -22131 0 MLII}.
 *
 * <p>Defaults follow the WFDB library: a missing or zero gain means 200 ADC units per physical unit, a missing
 * baseline means {@link #adcZero()}, missing units mean {@code mV}, a missing initial value means the ADC zero.
 *
 * @param fileName        the signal file, relative to the header's directory
 * @param format          storage format code (212, 16, 61, 80, 160, 24, 32, ...)
 * @param samplesPerFrame samples of this signal per frame (only 1 can be read here)
 * @param skew            samples of this signal that precede sample 0 in the file (only 0 can be read here)
 * @param byteOffset      bytes to skip at the start of the signal file
 * @param adcGain         ADC units per physical unit, never 0
 * @param baseline        the digital value that corresponds to 0 physical units
 * @param units           physical units, e.g. {@code mV}
 * @param adcResolution   bits of ADC resolution
 * @param adcZero         the digital value for the middle of the ADC's input range
 * @param initialValue    the first sample's digital value
 * @param checksum        16-bit sum of all samples of the signal, as a signed 16-bit value
 * @param checksumPresent whether the header gave a checksum (otherwise {@code checksum} is 0 and not verified)
 * @param blockSize       block size in bytes for special files, 0 for ordinary files
 * @param description     the signal's name, e.g. {@code MLII}; may contain spaces; empty when absent
 */
public record WfdbSignalSpec(String fileName, int format, int samplesPerFrame, int skew, long byteOffset,
                             double adcGain, int baseline, String units, int adcResolution, int adcZero,
                             int initialValue, int checksum, boolean checksumPresent, int blockSize,
                             String description) {
    /** ADC units per physical unit that WFDB assumes when the header gives none or 0. */
    public static final double DEFAULT_GAIN = 200.0;

    public WfdbSignalSpec {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(units, "units");
        Objects.requireNonNull(description, "description");
        if (adcGain == 0.0) {
            adcGain = DEFAULT_GAIN;
        }
        if (!Double.isFinite(adcGain)) {
            throw new IllegalArgumentException("ADC gain must be a finite number, got " + adcGain);
        }
        if (samplesPerFrame < 1) {
            throw new IllegalArgumentException("samples per frame must be at least 1, got " + samplesPerFrame);
        }
        if (byteOffset < 0) {
            throw new IllegalArgumentException("byte offset must not be negative, got " + byteOffset);
        }
    }

    /** The usual ADC resolution in bits of a storage format, as the WFDB library assumes when the header omits it. */
    public static int defaultAdcResolution(int format) {
        return switch (format) {
            case 8, 80 -> 8;
            case 310, 311 -> 10;
            case 16, 61, 160 -> 16;
            case 24 -> 24;
            case 32 -> 32;
            default -> 12;
        };
    }

    /** Converts a digital sample to physical units: {@code (digital - baseline) / gain}. */
    public double toPhysical(int digital) {
        return (digital - baseline) / adcGain;
    }

    /** Converts a value in physical units to the nearest digital value, saturating at the {@code int} range. */
    public int toDigital(double physical) {
        double d = physical * adcGain + baseline;
        if (Double.isNaN(d)) {
            throw new IllegalArgumentException("cannot convert NaN to a digital sample");
        }
        long rounded = Math.round(d);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, rounded));
    }

    /**
     * This specification as a header line, gain always written with baseline and units. Without a checksum the line
     * ends after the initial value, since the positional format cannot skip it.
     */
    public String toHeaderLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(fileName).append(' ').append(format);
        if (samplesPerFrame != 1) {
            sb.append('x').append(samplesPerFrame);
        }
        if (skew != 0) {
            sb.append(':').append(skew);
        }
        if (byteOffset != 0) {
            sb.append('+').append(byteOffset);
        }
        sb.append(' ').append(plainNumber(adcGain)).append('(').append(baseline).append(")/").append(units)
                .append(' ').append(adcResolution).append(' ').append(adcZero).append(' ').append(initialValue);
        if (!checksumPresent) {
            if (blockSize != 0 || !description.isEmpty()) {
                throw new IllegalStateException("signal '" + description
                        + "' has no checksum, but a header line needs one before the block size and description");
            }
            return sb.toString();
        }
        sb.append(' ').append(checksum).append(' ').append(blockSize);
        if (!description.isEmpty()) {
            sb.append(' ').append(description);
        }
        return sb.toString();
    }

    static String plainNumber(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
