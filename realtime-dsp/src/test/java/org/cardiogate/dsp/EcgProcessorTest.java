package org.cardiogate.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cardiogate.dsp.latency.LatencyStats;
import org.cardiogate.dsp.quality.QualityClass;
import org.cardiogate.dsp.quality.QualityFlags;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.ManualClock;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;

class EcgProcessorTest {

    /** Keeps every beat in preallocated arrays. */
    static class Recorder implements EcgBeatListener {
        final long[] samples = new long[8192];
        final long[] times = new long[8192];
        final double[] rr = new double[8192];
        final double[] hr = new double[8192];
        int count;
        long discontinuities;
        long lost;
        long windows;
        long noiseOnsets;
        final long[] noiseStart = new long[256];
        final long[] noiseEnd = new long[256];
        int noiseCount;
        int noiseFlags;

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

        @Override
        public void onQuality(int lead, long startSample, long endSample, QualityClass quality, int flags) {
            windows++;
        }

        @Override
        public void onNoiseOnset(long startSample, int flags) {
            noiseOnsets++;
        }

        @Override
        public void onNoise(long startSample, long endSample, int flags) {
            noiseStart[noiseCount] = startSample;
            noiseEnd[noiseCount++] = endSample;
            noiseFlags |= flags;
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

    /** Every listener call but the timestamps (which depend on where blocks are anchored), in order. */
    static final class EventLog implements EcgBeatListener {
        final List<String> events = new java.util.ArrayList<>();

        @Override
        public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude) {
            throw new AssertionError("the processor calls the overload with the quality");
        }

        @Override
        public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude,
                           QualityClass quality) {
            events.add("beat " + sample + " " + rrSeconds + " " + heartRateBpm + " " + amplitude + " " + quality);
        }

        @Override
        public void onQuality(int lead, long startSample, long endSample, QualityClass quality, int flags) {
            events.add("window " + lead + " " + startSample + " " + endSample + " " + quality + " " + flags);
        }

        @Override
        public void onNoiseOnset(long startSample, int flags) {
            events.add("onset " + startSample + " " + flags);
        }

        @Override
        public void onNoise(long startSample, long endSample, int flags) {
            events.add("noise " + startSample + " " + endSample + " " + flags);
        }
    }

    /**
     * One lead runs block-wise (the detector ahead of the quality monitor, see {@code EcgProcessor#process}), two leads
     * sample by sample: either way every beat, its quality, every window and NOISE stretch is told in the same order
     * with the same values whatever the block size, including blocks longer than the detector's sub-block.
     */
    @Test
    void tellsEveryBeatAndJudgementInTheSameOrderWhateverTheBlockSize() throws Exception {
        double[][] x = twoLeadSignal();
        for (int leads = 1; leads <= 2; leads++) {
            List<String> whole = eventsInBlocks(x, leads, x[0].length);
            assertThat(whole.stream().filter(e -> e.startsWith("beat"))).hasSizeGreaterThan(200);
            assertThat(whole.stream().filter(e -> e.startsWith("window"))).hasSizeGreaterThan(250 * leads);
            for (int size : new int[] {1, 7, 360, 1000}) {
                assertThat(eventsInBlocks(x, leads, size)).as("%d lead(s), block size %d", leads, size)
                        .containsExactlyElementsOf(whole);
            }
        }
    }

    private static List<String> eventsInBlocks(double[][] x, int leads, int blockSize) {
        List<Channel> channels = List.of(new Channel("MLII", "mV"), new Channel("V1", "mV"));
        StreamDescriptor s = new StreamDescriptor("ecg", "test", Modality.ECG, channels, 360);
        EventLog log = new EventLog();
        EcgProcessor p = EcgProcessor.builder(s, log).leads(leads == 1 ? new int[] {0} : new int[] {0, 1}).build();
        SampleBlock block = new SampleBlock(s, blockSize);
        for (int off = 0; off < x[0].length; off += blockSize) {
            int len = Math.min(blockSize, x[0].length - off);
            block.begin(off, 0);
            System.arraycopy(x[0], off, block.channel(0), 0, len);
            System.arraycopy(x[1], off, block.channel(1), 0, len);
            block.setLength(len);
            p.process(block);
        }
        p.finish();
        return log.events;
    }

    /** Five minutes of MIT-BIH 208 (both leads) when the data is there, else a synthetic ECG with noise bursts. */
    private static double[][] twoLeadSignal() throws Exception {
        String shared = System.getProperty("cardiogate.shared");
        Path record = shared == null ? null : Path.of(shared, "data", "mitdb", "208");
        if (record != null && Files.exists(record.resolveSibling("208.hea"))) {
            WfdbRecord rec = WfdbRecord.read(record);
            return new double[][] {Arrays.copyOf(rec.physical(0), 360 * 300), Arrays.copyOf(rec.physical(1), 360 * 300)};
        }
        double[] a = SyntheticEcg.generate(360, 300, 0.8, 1, 0.05, 1).signal;
        double[] b = SyntheticEcg.generate(360, 300, 0.8, -1, 0.05, 1).signal;
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < a.length; i++) {
            if ((i / (20 * 360)) % 4 == 3) {
                a[i] += 1.5 * rnd.nextGaussian();
            }
        }
        return new double[][] {a, b};
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
    void allocatesNothingPerBlockInSteadyStateWithQualityAndTiming() {
        double fs = 500;
        SyntheticEcg ecg = SyntheticEcg.generate(fs, 600, 0.8, 1, 0.05, 12);
        // noise bursts so that quality windows change class and NOISE stretches open and close
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < ecg.signal.length; i++) {
            if ((i / (int) (20 * fs)) % 3 == 2) {
                ecg.signal[i] += 1.5 * rnd.nextGaussian();
            }
        }
        int blocks = ecg.signal.length / 25;
        // a first processor over the whole signal gets every path compiled, so that no deoptimisation (which may
        // re-create objects the compiler had eliminated) falls into the measured stretch
        Recorder warm = new Recorder();
        EcgProcessor first = EcgProcessor.builder(stream(fs), warm).timing(MonotonicClock.SYSTEM, 1_000_000).build();
        feed(first, new SampleBlock(first.stream(), 25), ecg.signal, 0, blocks);
        Recorder rec = new Recorder();
        EcgProcessor p = EcgProcessor.builder(stream(fs), rec).timing(MonotonicClock.SYSTEM, 1_000_000).build();
        SampleBlock block = new SampleBlock(p.stream(), 25);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int warmUp = blocks / 3;
        feed(p, block, ecg.signal, 0, warmUp);
        long before = threads.getCurrentThreadAllocatedBytes();
        feed(p, block, ecg.signal, warmUp, blocks);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(rec.count).isGreaterThan(600);
        assertThat(rec.windows).isGreaterThan(500);
        assertThat(rec.noiseOnsets).as("noise stretches opened").isGreaterThan(5);
        // one object per block would be over 16 bytes x 10,000 blocks; the compiler may still re-create an object it
        // had eliminated once, when it deoptimises a method (seen: under 400 bytes in a whole run, some runs none)
        assertThat(allocated).as("bytes allocated over %d blocks", blocks - warmUp).isLessThan(1024);
        assertThat(p.latency().orElseThrow().blocks()).isEqualTo(blocks);
    }

    private static void feed(EcgProcessor p, SampleBlock block, double[] x, int fromBlock, int toBlock) {
        int size = block.capacity();
        for (int b = fromBlock; b < toBlock; b++) {
            block.begin((long) b * size, b * 50_000_000L);
            System.arraycopy(x, b * size, block.channel(0), 0, size);
            block.setLength(size);
            p.process(block);
        }
    }

    @Test
    void reportsEveryThresholdBeatWithinTheStatedBoundWithQualityOn() throws Exception {
        double fs = 360;
        double[] x = signalForBlockTest();
        long[] reportedAt = new long[8192];
        long[] fed = {0};
        Recorder rec = new Recorder() {
            @Override
            public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm,
                               double amplitude) {
                reportedAt[count] = fed[0];
                super.onBeat(sample, timestampNanos, rrSeconds, heartRateBpm, amplitude);
            }
        };
        EcgProcessor p = new EcgProcessor(stream(fs), 0, rec);
        assertThat(p.maxReportDelaySeconds()).isLessThanOrEqualTo(0.300);
        SampleBlock block = new SampleBlock(p.stream(), 1);
        for (int i = 0; i < x.length; i++) {
            block.begin(i, 0);
            block.channel(0)[0] = x[i];
            block.setLength(1);
            fed[0] = i;
            p.process(block);
        }
        assertThat(rec.windows).as("quality windows judged").isGreaterThan(250);
        long bound = (long) Math.ceil(p.maxReportDelaySeconds() * fs);
        int late = 0;
        int afterLearning = 0;
        for (int b = 0; b < rec.count; b++) {
            if (rec.samples[b] < 3 * fs) {
                continue;
            }
            afterLearning++;
            if (reportedAt[b] - rec.samples[b] > bound) {
                late++;
            }
        }
        // beats found by search-back are the only ones allowed later; on this record they are rare
        assertThat(afterLearning).isGreaterThan(300);
        assertThat(late).as("beats reported later than %d samples", bound).isLessThanOrEqualTo(afterLearning / 100);
        assertThat(p.observedMaxReportDelaySeconds()).isLessThanOrEqualTo(p.maxReportDelaySeconds());
    }

    @Test
    void countsBlocksOverTheBudgetWithAnInjectedClock() {
        double fs = 360;
        SyntheticEcg ecg = SyntheticEcg.generate(fs, 60, 0.8, 1, 0.02, 5);
        ManualClock clock = new ManualClock(0);
        int[] beatsInBlock = {0};
        Recorder rec = new Recorder() {
            @Override
            public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm,
                               double amplitude) {
                // a beat costs 2 ms in this made-up time, a block without one nothing
                clock.advanceNanos(2_000_000);
                beatsInBlock[0]++;
                super.onBeat(sample, timestampNanos, rrSeconds, heartRateBpm, amplitude);
            }
        };
        EcgProcessor p = EcgProcessor.builder(stream(fs), rec).timing(clock, 1_000_000).build();
        SampleBlock block = new SampleBlock(p.stream(), 36);
        int withBeats = 0;
        int blocks = 0;
        for (int off = 0; off + 36 <= ecg.signal.length; off += 36) {
            block.begin(off, 0);
            System.arraycopy(ecg.signal, off, block.channel(0), 0, 36);
            block.setLength(36);
            beatsInBlock[0] = 0;
            p.process(block);
            blocks++;
            if (beatsInBlock[0] > 0) {
                withBeats++;
            }
        }
        LatencyStats stats = p.latency().orElseThrow();
        assertThat(withBeats).isGreaterThan(30);
        assertThat(stats.blocks()).isEqualTo(blocks);
        assertThat(stats.overruns()).isEqualTo(withBeats);
        assertThat(stats.budgetNanos()).isEqualTo(1_000_000);
        assertThat(stats.maxNanos()).isBetween(2_000_000L, 6_010_000L);
        assertThat(stats.p50Nanos()).isLessThan(1000);
        assertThat(new EcgProcessor(stream(fs), 0, rec).latency()).isEmpty();
    }

    @Test
    void marksAFlatLeadAsNoiseAndTakesBeatsFromTheSecondLead() {
        double fs = 360;
        SyntheticEcg a = SyntheticEcg.generate(fs, 120, 0.8, 1, 0.02, 21);
        double[] lead0 = a.signal.clone();
        double[] lead1 = a.signal.clone();
        int flatFrom = (int) (40 * fs);
        int flatTo = (int) (80 * fs);
        for (int i = flatFrom; i < flatTo; i++) {
            lead0[i] = 0;
        }
        StreamDescriptor s = new StreamDescriptor("ecg", "test", Modality.ECG,
                List.of(new Channel("MLII", "mV"), new Channel("V1", "mV")), fs);
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        EcgProcessor p1 = EcgProcessor.builder(s, one).build();
        EcgProcessor p2 = EcgProcessor.builder(s, two).leads(0, 1).build();
        SampleBlock block = new SampleBlock(s, 90);
        for (int off = 0; off < lead0.length; off += 90) {
            int len = Math.min(90, lead0.length - off);
            block.begin(off, 0);
            System.arraycopy(lead0, off, block.channel(0), 0, len);
            System.arraycopy(lead1, off, block.channel(1), 0, len);
            block.setLength(len);
            p1.process(block);
            p2.process(block);
        }
        p1.finish();
        p2.finish();
        assertThat(one.noiseCount).as("NOISE stretches of the one-lead processor").isEqualTo(1);
        assertThat(one.noiseStart[0]).isBetween((long) flatFrom, (long) (flatFrom + 2 * fs));
        assertThat(one.noiseEnd[0]).isBetween((long) (flatTo - 2 * fs), (long) (flatTo + 2 * fs));
        assertThat(one.noiseFlags & QualityFlags.FLAT).isNotZero();
        assertThat(two.noiseCount).as("the second lead is clean: no NOISE for the two-lead processor").isZero();
        long expectedInFlat = Arrays.stream(a.rPeaks).filter(r -> r >= flatFrom + 3 * fs && r < flatTo).count();
        long oneInFlat = Arrays.stream(one.samples()).filter(r -> r >= flatFrom + 3 * fs && r < flatTo).count();
        long twoInFlat = Arrays.stream(two.samples()).filter(r -> r >= flatFrom + 3 * fs && r < flatTo).count();
        assertThat(oneInFlat).isZero();
        assertThat(twoInFlat).isBetween(expectedInFlat - 2, expectedInFlat);
        assertThat(two.samples()).isSorted();
    }

    @Test
    void rejectsALeadTheStreamDoesNotHave() {
        assertThatThrownBy(() -> new EcgProcessor(stream(250), 1, new Recorder())).hasMessageContaining("lead 1");
    }
}
