package org.cardiogate.dsp.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cardiogate.dsp.qrs.QrsDetectorConfig;
import org.cardiogate.dsp.quality.SignalQualityConfig;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * The noise stress test (the NST method, see {@link NoiseStress}): MIT-BIH 118 and 119 (first signal) with the NST
 * noise records (bw, ma, and em when present; their first signal) at 24, 12, 6, 0 and -6 dB, through the same
 * {@code EcgProcessor} as the live loop with signal quality on. Per record, noise and SNR it prints Se and +P over the
 * whole record, Se and +P outside the stretches the signal quality marked NOISE, the share of the record marked NOISE,
 * and how much of the truly noisy and of the clean stretches was marked. Not a test: after {@code ./mvnw -o -q -pl
 * realtime-dsp test-compile}, from {@code realtime-dsp/}: {@code java -cp <classes, test-classes, signal-model and
 * HdrHistogram jars> org.cardiogate.dsp.eval.NoiseStressReport ../../shared/data}.
 */
public final class NoiseStressReport {
    static final String[] RECORDS = {"118", "119"};
    static final double[] SNRS = {24, 12, 6, 0, -6};

    private NoiseStressReport() {
    }

    /** One noisy record's figures. */
    record Row(String record, String noise, double snrDb, MatchResult all, MatchResult outside, double noiseShare,
               double noisyMarked, double cleanMarked) {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        List<String> noises = new ArrayList<>();
        for (String n : new String[] {"bw", "ma", "em"}) {
            if (Files.exists(data.resolve("noise").resolve(n + ".hea"))) {
                noises.add(n);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<Row>> futures = new ArrayList<>();
        for (String record : RECORDS) {
            for (String noise : noises) {
                for (double snr : SNRS) {
                    futures.add(pool.submit(() -> run(data, record, noise, snr, SignalQualityConfig.defaults())));
                }
            }
        }
        System.out.println("record noise  SNR |  all: Se%     +P%  | outside NOISE: Se%    +P%  | marked: all%  noisy%"
                + "  clean%");
        MatchResult[] bySnrAll = new MatchResult[SNRS.length];
        MatchResult[] bySnrOut = new MatchResult[SNRS.length];
        double[] share = new double[SNRS.length];
        Arrays.setAll(bySnrAll, i -> MatchResult.empty());
        Arrays.setAll(bySnrOut, i -> MatchResult.empty());
        try {
            for (Future<Row> f : futures) {
                Row r = f.get();
                int s = Arrays.binarySearch(negated(SNRS), -r.snrDb());
                bySnrAll[s] = bySnrAll[s].plus(r.all());
                bySnrOut[s] = bySnrOut[s].plus(r.outside());
                share[s] += r.noiseShare() / (RECORDS.length * noises.size());
                print(r.record(), r.noise(), r.snrDb(), r.all(), r.outside(), r.noiseShare(), r.noisyMarked(),
                        r.cleanMarked());
            }
        } finally {
            pool.shutdown();
        }
        for (int s = 0; s < SNRS.length; s++) {
            print("all", String.join("+", noises), SNRS[s], bySnrAll[s], bySnrOut[s], share[s], Double.NaN,
                    Double.NaN);
        }
    }

    private static double[] negated(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    private static void print(String record, String noise, double snr, MatchResult all, MatchResult outside,
                              double share, double noisyMarked, double cleanMarked) {
        System.out.printf(Locale.ROOT, "%-6s %-5s %4.0f | %8.2f %8.2f | %13.2f %7.2f | %11.1f %7.1f %7.1f%n", record,
                noise, snr, all.sensitivityPercent(), all.positivePredictivityPercent(), outside.sensitivityPercent(),
                outside.positivePredictivityPercent(), 100 * share, 100 * noisyMarked, 100 * cleanMarked);
    }

    /** Builds one noisy record, runs it and scores it. */
    static Row run(Path data, String record, String noise, double snrDb, SignalQualityConfig quality)
            throws Exception {
        Path recordPath = data.resolve("mitdb").resolve(record);
        WfdbRecord rec = WfdbRecord.read(recordPath);
        double fs = rec.samplingFrequency();
        ReferenceBeats ref = ReferenceBeats.read(recordPath, "atr");
        WfdbRecord noiseRecord = WfdbRecord.read(data.resolve("noise").resolve(noise));
        if (noiseRecord.samplingFrequency() != fs) {
            throw new IllegalArgumentException("noise record " + noise + " is sampled at "
                    + noiseRecord.samplingFrequency() + " Hz, record " + record + " at " + fs + " Hz");
        }
        double[] x = NoiseStress.addNoise(rec.physical(0), ref.beats(), fs, noiseRecord.physical(0), snrDb);
        OfflineRun.Run run = OfflineRun.run(new double[][] {x}, fs, QrsDetectorConfig.defaults(), quality);
        BeatMatcher matcher = new BeatMatcher(fs);
        MatchResult all = ref.score(matcher, run.beats());
        long[] exStart = concat(ref.excludedStart(), run.noiseStart());
        long[] exEnd = concat(ref.excludedEnd(), run.noiseEnd());
        MatchResult outside = matcher.match(ref.beats(), run.beats(), exStart, exEnd);
        long noisy = 0;
        long noisyMarked = 0;
        long cleanMarked = 0;
        for (int s = 0; s < run.noiseStart().length; s++) {
            for (long i = run.noiseStart()[s]; i <= run.noiseEnd()[s]; i++) {
                if (NoiseStress.noisy(i, fs)) {
                    noisyMarked++;
                } else {
                    cleanMarked++;
                }
            }
        }
        for (long i = 0; i < x.length; i++) {
            if (NoiseStress.noisy(i, fs)) {
                noisy++;
            }
        }
        return new Row(record, noise, snrDb, all, outside, run.noiseShare(), (double) noisyMarked / noisy,
                (double) cleanMarked / (x.length - noisy));
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
