package org.cardiogate.sensor.emulator;

import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * Plays signals of a WFDB record (for example a MIT-BIH record) in physical units (mV for ECG) as an emulated
 * chip's input. When the chip converts at another rate than the record's, each conversion takes the record sample
 * at or before its time (zero-order hold, no interpolation: every value fed is a real recorded value). The record
 * repeats when it ends.
 */
public final class WfdbFeed implements AnalogFeed {
    private final double[][] signals;
    private final long length;
    private final double recordRateHz;
    private final double chipRateHz;
    private long frame;

    /**
     * @param record     the record
     * @param signalMap  for each feed channel, the record's signal index, or -1 for a channel held at 0
     * @param chipRateHz the emulated chip's conversion rate
     */
    public WfdbFeed(WfdbRecord record, int[] signalMap, double chipRateHz) {
        if (record.length() == 0) {
            throw new IllegalArgumentException("WFDB record " + record.name() + " has no samples");
        }
        if (!(chipRateHz > 0)) {
            throw new IllegalArgumentException("chip rate must be > 0 Hz, got " + chipRateHz);
        }
        signals = new double[signalMap.length][];
        for (int c = 0; c < signalMap.length; c++) {
            int s = signalMap[c];
            if (s >= record.signalCount()) {
                throw new IllegalArgumentException("WFDB record " + record.name() + " has " + record.signalCount()
                        + " signals; feed channel " + c + " asks for signal " + s);
            }
            signals[c] = s < 0 ? null : record.physical(s);
        }
        this.length = record.length();
        this.recordRateHz = record.samplingFrequency();
        this.chipRateHz = chipRateHz;
    }

    @Override
    public int channels() {
        return signals.length;
    }

    /** Index in the record of the sample the next frame will hold. */
    public long nextRecordIndex() {
        return (long) Math.floor(frame * recordRateHz / chipRateHz) % length;
    }

    @Override
    public void next(double[] out) {
        int i = (int) nextRecordIndex();
        for (int c = 0; c < signals.length; c++) {
            out[c] = signals[c] == null ? 0 : signals[c][i];
        }
        frame++;
    }
}
