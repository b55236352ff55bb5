package org.cardiogate.dsp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.dsp.quality.QualityClass;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * Times the analysis of all MIT-BIH records end to end on one thread: reading each record (header and format-212
 * samples, to physical units) and running its first signal through {@link EcgProcessor} in one-second blocks, with
 * signal quality. Prints per pass the seconds for reading, for the DSP and in total, and samples per second; the
 * first pass warms the JIT, so the later ones are the figures. Not a test; after {@code ./mvnw -o -q -pl
 * realtime-dsp test-compile}, from {@code realtime-dsp/}: {@code java -cp <classes, test-classes, signal-model and
 * HdrHistogram jars> org.cardiogate.dsp.bench.EndToEndBenchmark ../../shared/data/mitdb [passes]}.
 */
public final class EndToEndBenchmark {
    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/mitdb");
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Path> records;
        try (var s = Files.list(dir)) {
            records = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".hea")).sorted()
                    .map(f -> dir.resolve(f.substring(0, f.length() - 4))).toList();
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no WFDB records (*.hea) in " + dir);
        }
        MonotonicClock clock = MonotonicClock.SYSTEM;
        long[] beats = {0};
        long[] noisy = {0};
        EcgBeatListener listener = new EcgBeatListener() {
            @Override
            public void onBeat(long sample, long t, double rr, double hr, double amplitude) {
                beats[0]++;
            }

            @Override
            public void onBeat(long sample, long t, double rr, double hr, double amplitude, QualityClass quality) {
                onBeat(sample, t, rr, hr, amplitude);
                if (quality == QualityClass.UNUSABLE) {
                    noisy[0]++;
                }
            }
        };
        for (int pass = 1; pass <= passes; pass++) {
            long readNanos = 0;
            long dspNanos = 0;
            long samples = 0;
            beats[0] = 0;
            noisy[0] = 0;
            for (Path record : records) {
                long t0 = clock.nanoTime();
                WfdbRecord rec = WfdbRecord.read(record);
                double[] x = rec.physical(0);
                long t1 = clock.nanoTime();
                double fs = rec.samplingFrequency();
                StreamDescriptor s = new StreamDescriptor("ecg", rec.name(), Modality.ECG,
                        List.of(new Channel("lead0", "mV")), fs);
                EcgProcessor p = new EcgProcessor(s, 0, listener);
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
                long t2 = clock.nanoTime();
                readNanos += t1 - t0;
                dspNanos += t2 - t1;
                samples += x.length;
            }
            double total = (readNanos + dspNanos) / 1e9;
            System.out.printf(Locale.ROOT, "pass %d: %d records, %d samples, %d beats (%d in unusable signal): read %.2f s,"
                            + " DSP %.2f s, total %.2f s; %.1f M samples/s end to end, %.1f M samples/s DSP, %.0f ns"
                            + " per sample DSP%n", pass, records.size(), samples, beats[0], noisy[0], readNanos / 1e9,
                    dspNanos / 1e9, total, samples / total / 1e6, samples / (dspNanos / 1e9) / 1e6,
                    (double) dspNanos / samples);
        }
    }
}
