package org.cardiogate.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;

class EcgProcessorTest {

    /** Keeps every beat in preallocated arrays. */
    static final class Recorder implements EcgBeatListener {
        final long[] samples = new long[8192];
        final long[] times = new long[8192];
        final double[] rr = new double[8192];
        final double[] hr = new double[8192];
        int count;
        long discontinuities;
        long lost;

        @Override
        public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude) {
            samples[count] = sample;
            times[count] = timestampNanos;
            rr[count] = rrSeconds;
            hr[count++] = heartRateBpm;
        }

        @Override
        public void onDiscontinuity(long firstMissing, long lostSamples) {
            discontinuities++;
            lost += lostSamples;
        }

        long[] samples() {
            return Arrays.copyOf(samples, count);
        }
    }

    private static StreamDescriptor stream(double fs) {
        return new StreamDescriptor("ecg", "test", Modality.ECG, List.of(new Channel("II", "mV")), fs);
    }

    /** Feeds {@code x} in blocks of {@code blockSize}, sequence numbers from {@code firstSequence}. */
    private static Recorder runInBlocks(double[] x, double fs, int blockSize, long firstSequence) {
        Recorder rec = new Recorder();
        EcgProcessor p = new EcgProcessor(stream(fs), 0, rec);
        SampleBlock block = new SampleBlock(p.stream(), blockSize);
        long period = Math.round(1e9 / fs);
        for (int off = 0; off < x.length; off += blockSize) {
            int len = Math.min(blockSize, x.length - off);
            block.begin(firstSequence + off, 1_000_000_000L + off * period);
            System.arraycopy(x, off, block.channel(0), 0, len);
            block.setLength(len);
            p.process(block);
        }
        p.finish();
        return rec;
    }

    private static double[] signalForBlockTest() throws Exception {
        String shared = System.getProperty("cardiogate.shared");
        Path record = shared == null ? null : Path.of(shared, "data", "mitdb", "208");
        if (record != null && Files.exists(record.resolveSibling("208.hea"))) {
            // a real record with ectopy and noise, so search-back and T-wave rules are exercised too
            double[] x = WfdbRecord.read(record).physical(0);
            return Arrays.copyOf(x, 360 * 300);
        }
        return SyntheticEcg.generate(360, 300, 0.8, 1, 0.05, 1).signal;
    }

    @Test
    void findsTheSameBeatsWhateverTheBlockSize() throws Exception {
        double[] x = signalForBlockTest();
        Recorder whole = runInBlocks(x, 360, x.length, 0);
        assertThat(whole.count).isGreaterThan(200);
        for (int size : new int[] {1, 7, 360}) {
            Recorder r = runInBlocks(x, 360, size, 0);
            assertThat(r.samples()).as("block size %d", size).containsExactly(whole.samples());
            assertThat(Arrays.copyOf(r.hr, r.count)).as("block size %d", size)
                    .containsExactly(Arrays.copyOf(whole.hr, whole.count));
        }
    }

    @Test
    void reportsBeatsInTheStreamsSequenceNumbersAndTimes() {
        SyntheticEcg ecg = SyntheticEcg.generate(250, 60, 0.75, 1, 0.02, 4);
        long first = 1_000_000;
        Recorder r = runInBlocks(ecg.signal, 250, 50, first);
        assertThat(r.count).isEqualTo(ecg.rPeaks.length);
        for (int i = 0; i < r.count; i++) {
            assertThat(Math.abs(r.samples[i] - first - ecg.rPeaks[i])).isLessThanOrEqualTo(1);
            assertThat(r.times[i]).isEqualTo(1_000_000_000L + (r.samples[i] - first) * 4_000_000L);
        }
        assertThat(r.rr[0]).isNaN();
        for (int i = 1; i < r.count; i++) {
            assertThat(r.rr[i]).isEqualTo((r.samples[i] - r.samples[i - 1]) / 250.0);
        }
        assertThat(r.hr[r.count - 1]).isBetween(70.0, 90.0);
    }

    @Test
    void restartsDetectionAfterAGapAndDoesNotJoinRrAcrossIt() {
        double fs = 360;
        SyntheticEcg ecg = SyntheticEcg.generate(fs, 120, 0.8, 1, 0.02, 6);
        Recorder rec = new Recorder();
        EcgProcessor p = new EcgProcessor(stream(fs), 0, rec);
        SampleBlock block = new SampleBlock(p.stream(), 90);
        int gapAt = 360 * 60;
        int gapLength = 360 * 3;
        for (int off = 0; off < ecg.signal.length; off += 90) {
            if (off >= gapAt && off < gapAt + gapLength) {
                continue;
            }
            block.begin(off, 0);
            System.arraycopy(ecg.signal, off, block.channel(0), 0, 90);
            block.setLength(90);
            p.process(block);
        }
        p.finish();
        assertThat(rec.discontinuities).isEqualTo(1);
        assertThat(rec.lost).isEqualTo(gapLength);
        assertThat(p.discontinuities()).isEqualTo(1);
        assertThat(p.sequence().lostSamples()).isEqualTo(gapLength);
        long[] got = rec.samples();
        long expectedOutside = Arrays.stream(ecg.rPeaks).filter(s -> s < gapAt - 0.3 * fs || s >= gapAt + gapLength)
                .count();
        long matched = Arrays.stream(ecg.rPeaks).filter(s -> s < gapAt - 0.3 * fs || s >= gapAt + gapLength)
                .filter(s -> Arrays.stream(got).anyMatch(g -> Math.abs(g - s) <= 2)).count();
        assertThat(matched).isEqualTo(expectedOutside);
        assertThat(Arrays.stream(got).filter(g -> g >= gapAt && g < gapAt + gapLength)).isEmpty();
        int firstAfter = 0;
        while (got[firstAfter] < gapAt + gapLength) {
            firstAfter++;
        }
        assertThat(rec.rr[firstAfter]).isNaN();
        assertThat(rec.rr[firstAfter + 1]).isGreaterThan(0.5);
    }

    @Test
    void skipsSamplesARepeatedBlockSendsTwice() {
        SyntheticEcg ecg = SyntheticEcg.generate(360, 60, 0.8, 1, 0.02, 8);
        Recorder clean = runInBlocks(ecg.signal, 360, 100, 0);
        Recorder rec = new Recorder();
        EcgProcessor p = new EcgProcessor(stream(360), 0, rec);
        SampleBlock block = new SampleBlock(p.stream(), 100);
        for (int off = 0; off < ecg.signal.length; off += 100) {
            int len = Math.min(100, ecg.signal.length - off);
            block.begin(off, 0);
            System.arraycopy(ecg.signal, off, block.channel(0), 0, len);
            block.setLength(len);
            p.process(block);
            if (off % 1000 == 0) {
                p.process(block);
            }
        }
        p.finish();
        assertThat(rec.samples()).containsExactly(clean.samples());
        assertThat(p.sequence().overlaps()).isPositive();
    }

    @Test
    void allocatesNothingPerBlockInSteadyState() {
        double fs = 500;
        SyntheticEcg ecg = SyntheticEcg.generate(fs, 600, 0.8, 1, 0.05, 12);
        Recorder rec = new Recorder();
        EcgProcessor p = new EcgProcessor(stream(fs), 0, rec);
        SampleBlock block = new SampleBlock(p.stream(), 25);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int blocks = ecg.signal.length / 25;
        int warmUp = blocks / 3;
        long before = 0;
        for (int b = 0; b < blocks; b++) {
            if (b == warmUp) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            block.begin(b * 25L, b * 50_000_000L);
            System.arraycopy(ecg.signal, b * 25, block.channel(0), 0, 25);
            block.setLength(25);
            p.process(block);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(rec.count).isGreaterThan(600);
        assertThat(allocated).as("bytes allocated over %d blocks", blocks - warmUp).isZero();
    }

    @Test
    void rejectsALeadTheStreamDoesNotHave() {
        assertThatThrownBy(() -> new EcgProcessor(stream(250), 1, new Recorder())).hasMessageContaining("lead 1");
    }
}
