package org.cardiogate.dsp.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cardiogate.dsp.qrs.QrsDetectorConfig;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * Prints the QRS detection table over all MIT-BIH records (first signal, 150 ms window, VF excluded) and the
 * gross totals, through the same {@code EcgProcessor} as the live loop. Not a test: after {@code ./mvnw -o -q -pl
 * realtime-dsp test-compile}, run from {@code realtime-dsp/}:
 * {@code java -cp target/classes:target/test-classes:<signal-model jar> org.cardiogate.dsp.eval.MitdbQrsReport
 * ../../shared/data/mitdb}. System property {@code qrs.config} (13 comma-separated numbers in the order of
 * {@link QrsDetectorConfig}'s components) tries other settings.
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
        QrsDetectorConfig config = QrsDetectorConfig.defaults();
        String override = System.getProperty("qrs.config");
        if (override != null) {
            double[] v = java.util.Arrays.stream(override.split(",")).mapToDouble(Double::parseDouble).toArray();
            config = new QrsDetectorConfig(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                    v[12]);
        }
        System.out.println(config);
        QrsDetectorConfig chosen = config;
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<MatchResult>> results = new ArrayList<>();
        for (String name : names) {
            results.add(pool.submit(() -> evaluate(dir.resolve(name), chosen)));
        }
        MatchResult total = MatchResult.empty();
        System.out.println("record      TP    FN    FP     Se%     +P%  offset ms");
        for (int r = 0; r < names.size(); r++) {
            MatchResult m = results.get(r).get();
            total = total.plus(m);
            System.out.printf(Locale.ROOT, "%-6s %7d %5d %5d %7.2f %7.2f %8.1f%n", names.get(r), m.truePositives(),
                    m.falseNegatives(), m.falsePositives(), m.sensitivityPercent(), m.positivePredictivityPercent(),
                    m.medianOffsetSeconds() * 1000);
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "%-6s %7d %5d %5d %7.2f %7.2f %8.1f%n", "gross", total.truePositives(),
                total.falseNegatives(), total.falsePositives(), total.sensitivityPercent(),
                total.positivePredictivityPercent(), total.medianOffsetSeconds() * 1000);
    }

    static MatchResult evaluate(Path record, QrsDetectorConfig config) throws Exception {
        WfdbRecord rec = WfdbRecord.read(record);
        long[] beats = OfflineRun.detect(rec.physical(0), rec.samplingFrequency(), config);
        ReferenceBeats ref = ReferenceBeats.read(record, "atr");
        return ref.score(new BeatMatcher(rec.samplingFrequency()), beats);
    }
}
