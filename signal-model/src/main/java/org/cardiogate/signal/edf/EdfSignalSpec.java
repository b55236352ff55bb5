package org.cardiogate.signal.edf;

import java.util.Objects;

/**
 * One signal of an EDF file as its header describes it. Digital values map linearly onto physical values: {@code
 * digitalMin} is {@code physicalMin} and {@code digitalMax} is {@code physicalMax}.
 *
 * @param label             e.g. {@code "ECG II"} or {@code "PPG"}; {@value #ANNOTATIONS_LABEL} marks an EDF+ annotations
 *                          signal
 * @param transducer        e.g. {@code "AgAgCl electrode"}; may be empty
 * @param physicalDimension physical unit, e.g. {@code "mV"}; may be empty
 * @param physicalMin       physical value of {@code digitalMin}
 * @param physicalMax       physical value of {@code digitalMax}; differs from {@code physicalMin}
 * @param digitalMin        smallest digital value, -32768 to 32766
 * @param digitalMax        largest digital value, above {@code digitalMin}, up to 32767
 * @param prefilter         e.g. {@code "HP:0.5Hz LP:40Hz"}; may be empty
 * @param samplesPerRecord  samples of this signal in each data record; its sampling frequency is this divided by the
 *                          data record duration
 */
public record EdfSignalSpec(String label, String transducer, String physicalDimension, double physicalMin,
                            double physicalMax, int digitalMin, int digitalMax, String prefilter,
                            int samplesPerRecord) {
    /** The label of an EDF+ annotations signal. */
    public static final String ANNOTATIONS_LABEL = "EDF Annotations";

    public EdfSignalSpec {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(transducer, "transducer");
        Objects.requireNonNull(physicalDimension, "physicalDimension");
        Objects.requireNonNull(prefilter, "prefilter");
        if (!Double.isFinite(physicalMin) || !Double.isFinite(physicalMax) || physicalMin == physicalMax) {
            throw new IllegalArgumentException("signal '" + label + "': physical minimum " + physicalMin
                    + " and maximum " + physicalMax + " must be finite and differ");
        }
        if (digitalMin < -32768 || digitalMax > 32767 || digitalMin >= digitalMax) {
            throw new IllegalArgumentException("signal '" + label + "': digital minimum " + digitalMin
                    + " and maximum " + digitalMax + " must satisfy -32768 <= minimum < maximum <= 32767");
        }
        if (samplesPerRecord < 0) {
            throw new IllegalArgumentException("signal '" + label + "': samples per data record must not be negative,"
                    + " got " + samplesPerRecord);
        }
    }

    /**
     * A signal using the full 16-bit digital range, no transducer and no prefilter text.
     *
     * @param samplesPerRecord samples per data record, e.g. 500 for 500 Hz with 1 s records
     */
    public static EdfSignalSpec of(String label, String physicalDimension, double physicalMin, double physicalMax,
                                   int samplesPerRecord) {
        return new EdfSignalSpec(label, "", physicalDimension, physicalMin, physicalMax, -32768, 32767, "",
                samplesPerRecord);
    }

    /** Whether this is an EDF+ annotations signal rather than a sampled one. */
    public boolean isAnnotations() {
        return ANNOTATIONS_LABEL.equals(label);
    }

    /** Physical units per digital step. */
    public double resolution() {
        return (physicalMax - physicalMin) / ((double) digitalMax - digitalMin);
    }

    /** Converts a digital sample to physical units. */
    public double toPhysical(int digital) {
        return physicalMin + (digital - digitalMin) * resolution();
    }

    /**
     * Converts a physical value to the nearest digital value, first clipping it to the physical range.
     *
     * @throws IllegalArgumentException for NaN
     */
    public int toDigital(double physical) {
        if (Double.isNaN(physical)) {
            throw new IllegalArgumentException("signal '" + label + "': cannot convert NaN to a digital sample");
        }
        double lo = Math.min(physicalMin, physicalMax);
        double hi = Math.max(physicalMin, physicalMax);
        double p = Math.max(lo, Math.min(hi, physical));
        long d = Math.round((p - physicalMin) / resolution() + digitalMin);
        return (int) Math.max(digitalMin, Math.min(digitalMax, d));
    }
}
