package org.cardiogate.inference.rhythm;

import java.util.ArrayList;
import java.util.List;

import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * The NOISE stretches the live {@link EcgProcessor} (default detector and signal quality settings, one lead, blocks
 * of 64 samples as {@code RecordFeatures} feeds it) reports for a whole recording, so that the offline paths can hold
 * the AF detector back in them as the live pipeline does (it passes {@code noisy} for beats released while a NOISE
 * stretch is open). Allocates freely; not for the real-time path.
 */
final class NoiseStretches {
    private static final int BLOCK_SAMPLES = 64;

    private NoiseStretches() {
    }

    /**
     * @param rateHz sample rate of {@code signal}
     * @param signal one ECG lead in mV
     * @return the stretches as {@code [first, last]} samples (inclusive), ascending
     */
    static long[][] of(double rateHz, double[] signal) {
        StreamDescriptor stream = new StreamDescriptor("ecg", "offline", Modality.ECG,
                List.of(new Channel("ECG", "mV")), rateHz);
        List<long[]> out = new ArrayList<>();
        EcgProcessor processor = new EcgProcessor(stream, 0, new EcgBeatListener() {
            @Override
            public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm,
                               double amplitude) {
            }

            @Override
            public void onNoise(long startSample, long endSample, int flags) {
                out.add(new long[] {startSample, endSample});
            }
        });
        long periodNs = Math.round(1e9 / rateHz);
        SampleBlock block = new SampleBlock(stream, BLOCK_SAMPLES);
        for (int start = 0; start < signal.length; start += BLOCK_SAMPLES) {
            int len = Math.min(BLOCK_SAMPLES, signal.length - start);
            block.begin(start, start * periodNs);
            System.arraycopy(signal, start, block.channel(0), 0, len);
            block.setLength(len);
            processor.process(block);
        }
        processor.finish();
        return out.toArray(long[][]::new);
    }

    /** For each beat (ascending), whether it lies inside one of the stretches (ascending, inclusive). */
    static boolean[] flag(long[] beats, long[][] stretches) {
        boolean[] noisy = new boolean[beats.length];
        int z = 0;
        for (int i = 0; i < beats.length; i++) {
            while (z < stretches.length && stretches[z][1] < beats[i]) {
                z++;
            }
            noisy[i] = z < stretches.length && beats[i] >= stretches[z][0];
        }
        return noisy;
    }

    /** Seconds covered by the stretches. */
    static double seconds(long[][] stretches, double rateHz) {
        long n = 0;
        for (long[] s : stretches) {
            n += s[1] - s[0] + 1;
        }
        return n / rateHz;
    }
}
