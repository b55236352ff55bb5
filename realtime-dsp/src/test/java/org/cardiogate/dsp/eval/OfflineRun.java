package org.cardiogate.dsp.eval;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.dsp.qrs.QrsDetectorConfig;
import org.cardiogate.dsp.quality.SignalQualityConfig;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Runs recorded leads through {@link EcgProcessor} in one-second blocks, as offline analysis does, and returns the R
 * samples and the NOISE stretches.
 */
final class OfflineRun {
    private OfflineRun() {
    }

    /**
     * What one run found.
     *
     * @param beats      R peak samples
     * @param noiseStart first sample of each NOISE stretch
     * @param noiseEnd   last sample of each (inclusive)
     * @param length     samples processed
     */
    record Run(long[] beats, long[] noiseStart, long[] noiseEnd, long length) {

        long noiseSamples() {
            long sum = 0;
            for (int i = 0; i < noiseStart.length; i++) {
                sum += noiseEnd[i] - noiseStart[i] + 1;
            }
            return sum;
        }

        /** Share of the samples inside NOISE stretches. */
        double noiseShare() {
            return length == 0 ? 0 : (double) noiseSamples() / length;
        }

        /** Whether sample {@code s} lies in a NOISE stretch. */
        boolean inNoise(long s) {
            for (int i = 0; i < noiseStart.length; i++) {
                if (s >= noiseStart[i] && s <= noiseEnd[i]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The R samples of one lead, default quality settings (which do not change the beats). */
    static long[] detect(double[] x, double fs, QrsDetectorConfig config) {
        return run(new double[][] {x}, fs, config, SignalQualityConfig.defaults()).beats();
    }

    /**
     * Runs the leads {@code signals} (the first is the primary) through one processor.
     *
     * @param quality signal quality settings, or null for none
     */
    static Run run(double[][] signals, double fs, QrsDetectorConfig config, SignalQualityConfig quality) {
        List<Channel> channels = new ArrayList<>();
        int[] leads = new int[signals.length];
        for (int c = 0; c < signals.length; c++) {
            channels.add(new Channel("lead" + c, "mV"));
            leads[c] = c;
        }
        StreamDescriptor s = new StreamDescriptor("ecg", "record", Modality.ECG, channels, fs);
        int n = signals[0].length;
        long[] beats = new long[n / 20 + 16];
        long[][] noise = {new long[64], new long[64]};
        int[] count = {0, 0};
        EcgBeatListener listener = new EcgBeatListener() {
            @Override
            public void onBeat(long sample, long t, double rr, double hr, double amplitude) {
                beats[count[0]++] = sample;
            }

            @Override
            public void onNoise(long startSample, long endSample, int flags) {
                if (count[1] == noise[0].length) {
                    noise[0] = Arrays.copyOf(noise[0], 2 * count[1]);
                    noise[1] = Arrays.copyOf(noise[1], 2 * count[1]);
                }
                noise[0][count[1]] = startSample;
                noise[1][count[1]++] = endSample;
            }
        };
        EcgProcessor.Builder b = EcgProcessor.builder(s, listener).leads(leads).detector(config);
        if (quality == null) {
            b.withoutQuality();
        } else {
            b.quality(quality);
        }
        EcgProcessor p = b.build();
        int size = (int) Math.round(fs);
        SampleBlock block = new SampleBlock(s, size);
        for (int off = 0; off < n; off += size) {
            int len = Math.min(size, n - off);
            block.begin(off, 0);
            for (int c = 0; c < signals.length; c++) {
                System.arraycopy(signals[c], off, block.channel(c), 0, len);
            }
            block.setLength(len);
            p.process(block);
        }
        p.finish();
        return new Run(Arrays.copyOf(beats, count[0]), Arrays.copyOf(noise[0], count[1]),
                Arrays.copyOf(noise[1], count[1]), n);
    }
}
