package org.cardiogate.dsp.eval;

import java.util.Arrays;
import java.util.List;
import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.dsp.qrs.QrsDetectorConfig;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/** Runs a whole recorded lead through {@link EcgProcessor}, as offline analysis does, and returns the R samples. */
final class OfflineRun {
    private OfflineRun() {
    }

    static long[] detect(double[] x, double fs, QrsDetectorConfig config) {
        StreamDescriptor s = new StreamDescriptor("ecg", "record", Modality.ECG, List.of(new Channel("MLII", "mV")), fs);
        long[] beats = new long[x.length / 20 + 16];
        int[] count = {0};
        EcgBeatListener listener = (sample, t, rr, hr, amplitude) -> beats[count[0]++] = sample;
        EcgProcessor p = new EcgProcessor(s, 0, config, listener);
        int size = (int) Math.round(fs);
        SampleBlock block = new SampleBlock(s, size);
        for (int off = 0; off < x.length; off += size) {
            int len = Math.min(size, x.length - off);
            block.begin(off, 0);
            System.arraycopy(x, off, block.channel(0), 0, len);
            block.setLength(len);
            p.process(block);
        }
        p.finish();
        return Arrays.copyOf(beats, count[0]);
    }
}
