package org.cardiogate.dsp.eval;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.cardiogate.dsp.qrs.QrsDetectorConfig;
import org.cardiogate.dsp.quality.SignalQualityConfig;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * Prints the QRS detection table over all MIT-BIH records (first signal, 150 ms window, VF excluded) and the
 * gross totals, through the same {@code EcgProcessor} as the live loop. Not a test: after {@code ./mvnw -o -q -pl
 * realtime-dsp test-compile}, run from {@code realtime-dsp/}:
 * {@code java -cp target/classes:target/test-classes:<signal-model jar> org.cardiogate.dsp.eval.MitdbQrsReport
 * ../../shared/data/mitdb}. System property {@code qrs.config} (comma-separated numbers, one per component of
 * {@link QrsDetectorConfig}, in order) tries other settings; {@code -Dleads=2} detects with both signals (the first
 * primary, the second used while the first is unusable) instead of the first alone, the EC57 setting.
 *
 * <p>Prints one row per record, the gross totals, the records with the most errors and a timing line: seconds of
 * signal, the summed time the detection itself took (reading and scoring left out) and the wall time on the pool.
 * The last column is the share of the record the signal quality marked NOISE.
 *
 * <p>Arguments: the mitdb directory (default {@code ../shared/data/mitdb}), then optional record names.
 */
public final class MitdbQrsReport {
    private MitdbQrsReport() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/mitdb");
        List<String> names = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
            names.add(args[a]);
        }
        if (names.isEmpty()) {
            try (var s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".hea"))
                        .map(f -> f.substring(0, f.length() - 4)).sorted().forEach(names::add);
            }
        }
        QrsDetectorConfig config = configFrom(System.getProperty("qrs.config"));
        System.out.println(config);
        int leads = Integer.parseInt(System.getProperty("leads", "1"));
        if (leads < 1 || leads > 2) {
            throw new IllegalArgumentException("system property leads must be 1 or 2, got " + leads);
        }
        MonotonicClock clock = MonotonicClock.SYSTEM;
        long start = clock.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Scored>> results = new ArrayList<>();
        for (String name : names) {
            results.add(pool.submit(() -> score(name, dir.resolve(name), config, leads, clock)));
        }
        List<Scored> scored = new ArrayList<>();
        MatchResult total = MatchResult.empty();
        double signalSeconds = 0;
        long detectNanos = 0;
        double noiseSeconds = 0;
        System.out.println("record      TP    FN    FP     Se%     +P%  offset ms  noise%");
        try {
            for (Future<Scored> f : results) {
                Scored s = f.get();
                scored.add(s);
                total = total.plus(s.result());
                signalSeconds += s.signalSeconds();
                detectNanos += s.detectNanos();
                noiseSeconds += s.noiseShare() * s.signalSeconds();
                row(s.name(), s.result(), s.noiseShare());
            }
        } finally {
            pool.shutdown();
        }
        row("gross", total, noiseSeconds / signalSeconds);
        long wallNanos = clock.nanoTime() - start;
        scored.sort(Comparator.comparingLong((Scored s) -> s.result().falseNegatives() + s.result().falsePositives())
                .reversed());
        StringBuilder worst = new StringBuilder("most errors (FN+FP):");
        for (int r = 0; r < Math.min(6, scored.size()); r++) {
            MatchResult m = scored.get(r).result();
            worst.append(' ').append(scored.get(r).name()).append(' ').append(m.falseNegatives() + m.falsePositives());
        }
        System.out.println(worst);
        System.out.printf(Locale.ROOT, "time: %.1f h of signal, detection %.2f s (%.0fx real time per core), wall %.2f s"
                        + " on %d threads%n", signalSeconds / 3600, detectNanos / 1e9,
                signalSeconds / (detectNanos / 1e9), wallNanos / 1e9, threads);
    }

    private static void row(String name, MatchResult m, double noiseShare) {
        System.out.printf(Locale.ROOT, "%-6s %7d %5d %5d %7.2f %7.2f %8.1f %7.2f%n", name, m.truePositives(),
                m.falseNegatives(), m.falsePositives(), m.sensitivityPercent(), m.positivePredictivityPercent(),
                m.medianOffsetSeconds() * 1000, 100 * noiseShare);
    }

    /** The defaults, or the settings of a {@code qrs.config} value (null for none). */
    static QrsDetectorConfig configFrom(String override) {
        if (override == null) {
            return QrsDetectorConfig.defaults();
        }
        RecordComponent[] parts = QrsDetectorConfig.class.getRecordComponents();
        String[] items = override.split(",");
        if (items.length != parts.length) {
            throw new IllegalArgumentException("system property qrs.config needs " + parts.length
                    + " comma-separated numbers (" + Arrays.stream(parts).map(RecordComponent::getName)
                    .collect(Collectors.joining(", ")) + "), got " + items.length);
        }
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Double.parseDouble(items[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property qrs.config: " + parts[i].getName()
                        + " is not a number: '" + items[i] + "'", e);
            }
            types[i] = double.class;
        }
        try {
            return QrsDetectorConfig.class.getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("system property qrs.config: " + e.getCause().getMessage(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a QrsDetectorConfig", e);
        }
    }

    record Scored(String name, MatchResult result, double signalSeconds, long detectNanos,
                          double noiseShare) {
    }

    private static Scored score(String name, Path record, QrsDetectorConfig config, int leads, MonotonicClock clock)
            throws Exception {
        WfdbRecord rec = WfdbRecord.read(record);
        double[][] x = new double[leads][];
        for (int l = 0; l < leads; l++) {
            x[l] = rec.physical(l);
        }
        double fs = rec.samplingFrequency();
        long t0 = clock.nanoTime();
        OfflineRun.Run run = OfflineRun.run(x, fs, config, SignalQualityConfig.defaults());
        long nanos = clock.nanoTime() - t0;
        MatchResult m = ReferenceBeats.read(record, "atr").score(new BeatMatcher(fs), run.beats());
        return new Scored(name, m, x[0].length / fs, nanos, run.noiseShare());
    }

    /** Scores the first signal of {@code record} with default settings; the run gives the NOISE stretches too. */
    static Scored evaluateWithQuality(Path record) throws Exception {
        return score(record.getFileName().toString(), record, QrsDetectorConfig.defaults(), 1, MonotonicClock.SYSTEM);
    }

    static MatchResult evaluate(Path record, QrsDetectorConfig config) throws Exception {
        WfdbRecord rec = WfdbRecord.read(record);
        long[] beats = OfflineRun.detect(rec.physical(0), rec.samplingFrequency(), config);
        ReferenceBeats ref = ReferenceBeats.read(record, "atr");
        return ref.score(new BeatMatcher(rec.samplingFrequency()), beats);
    }
}
