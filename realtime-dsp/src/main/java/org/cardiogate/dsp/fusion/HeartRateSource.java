package org.cardiogate.dsp.fusion;

/** The modality a heart rate comes from. */
public enum HeartRateSource {
    ECG("ecg"),
    SCG("scg"),
    PPG("ppg");

    private final String label;

    HeartRateSource(String label) {
        this.label = label;
    }

    /** Lower-case name used in tables and messages: {@code ecg}, {@code scg}, {@code ppg}. */
    public String label() {
        return label;
    }
}
