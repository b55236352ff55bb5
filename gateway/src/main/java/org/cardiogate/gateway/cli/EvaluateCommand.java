package org.cardiogate.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.cardiogate.dsp.eval.BeatMatcher;
import org.cardiogate.dsp.eval.MatchResult;
import org.cardiogate.dsp.eval.ReferenceBeats;
import org.cardiogate.gateway.analysis.Classifiers;
import org.cardiogate.gateway.analysis.RecordAnalyzer;
import org.cardiogate.inference.beat.BeatClassEvaluation;
import org.cardiogate.inference.beat.BeatClassifier;
import org.cardiogate.inference.beat.BeatClassifierException;
import org.cardiogate.inference.RhythmLimits;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway evaluate}: runs {@code analyze} over records or whole databases and scores the beats against the
 * reference annotations, ANSI/AAMI EC57 style (beat-by-beat, 150 ms window, ventricular flutter episodes excluded).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score detected beats against reference annotations (ANSI/AAMI EC57).",
                "Runs analyze on each record, matches beats within 150 ms (ventricular flutter episodes between '['",
                "and ']' excluded) and prints per-record and gross TP, FN, FP, Se, +P and the median R-peak offset."})
public final class EvaluateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RECORD|DIR",
            description = "WFDB records (path without extension) or database folders (all records with annotations)")
    List<Path> inputs;

    @Option(names = "--annotator", defaultValue = "atr", description = "reference annotator (default ${DEFAULT-VALUE})")
    String annotator;

    @Option(names = "--window", defaultValue = "0.150", paramLabel = "SECONDS",
            description = "match window (default ${DEFAULT-VALUE} s)")
    double window;

    @Option(names = "--out", paramLabel = "DIR", description = "also keep the analyze output files here")
    Path out;

    @Option(names = "--classes", description = "also print the AAMI beat class table (reference vs classifier, matched beats)")
    boolean classes;

    @Option(names = "--jobs", defaultValue = "0", paramLabel = "N",
            description = "records analysed at once (default 0: one per processor); results do not depend on it")
    int jobs;

    @Option(names = "--no-classifier", description = "do not load the neural beat classifier (every beat labelled N)")
    boolean noClassifier;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        List<Path> records = new ArrayList<>();
        for (Path p : inputs) {
            records.addAll(expand(p));
        }
        if (records.isEmpty()) {
            System.err.println("evaluate: no records with '." + annotator + "' annotations found in " + inputs);
            return 2;
        }
        int threads;
        try {
            threads = RecordJobs.resolve(jobs, records.size());
        } catch (IllegalArgumentException e) {
            System.err.println("evaluate: " + e.getMessage());
            return 2;
        }
        BeatClassifier classifier = noClassifier ? null : Classifiers.loadOrExplain(System.err);
        RecordAnalyzer analyzer = new RecordAnalyzer(256, RhythmLimits.ADULT_DEFAULTS,
                threads > 1 ? Classifiers.shared(classifier) : classifier);
        MatchResult[] grossSum = {MatchResult.empty()};
        int[] failedCount = {0};
        long t0 = System.nanoTime();
        o.printf(Locale.ROOT, "%-12s %7s %7s %5s %5s %8s %8s %9s%n", "record", "ref", "TP", "FN", "FP", "Se%", "+P%", "offset_ms");
        RecordJobs.run(records, threads, record -> {
            RecordAnalyzer.Result r = analyzer.analyze(record);
            if (out != null) {
                RecordAnalyzer.write(r, out);
            }
            ReferenceBeats ref = ReferenceBeats.read(record, annotator);
            return new Scored(r, ref.beats().length, ref.score(new BeatMatcher(r.samplingFrequency(), window), r.beatSamples()));
        }, new RecordJobs.Outcome<Path, Scored>() {
            @Override
            public void done(int index, Path record, Scored s) {
                MatchResult m = s.match();
                grossSum[0] = grossSum[0].plus(m);
                o.printf(Locale.ROOT, "%-12s %7d %7d %5d %5d %8.2f %8.2f %9.1f%n", s.result().record(), s.referenceBeats(),
                        m.truePositives(), m.falseNegatives(), m.falsePositives(), m.sensitivityPercent(),
                        m.positivePredictivityPercent(), m.medianOffsetSeconds() * 1000);
            }

            @Override
            public void failed(int index, Path record, Exception e) {
                failedCount[0]++;
                System.err.println(record + ": FAILED: " + e.getMessage());
            }
        });
        MatchResult gross = grossSum[0];
        int failed = failedCount[0];
        o.printf(Locale.ROOT, "%-12s %7d %7d %5d %5d %8.2f %8.2f %9.1f%n", "gross", gross.truePositives() + gross.falseNegatives(),
                gross.truePositives(), gross.falseNegatives(), gross.falsePositives(), gross.sensitivityPercent(),
                gross.positivePredictivityPercent(), gross.medianOffsetSeconds() * 1000);
        o.printf(Locale.ROOT, "%d record(s) analysed and scored in %.2f s%s%n", records.size() - failed,
                (System.nanoTime() - t0) / 1e9, failed > 0 ? ", " + failed + " failed" : "");
        if (classes) {
            if (classifier == null) {
                System.err.println("evaluate: --classes needs the beat classifier");
                return 2;
            }
            java.util.Map<Path, List<String>> byDir = new java.util.LinkedHashMap<>();
            for (Path r : records) {
                Path dir = r.toAbsolutePath().getParent();
                byDir.computeIfAbsent(dir, d -> new ArrayList<>()).add(r.getFileName().toString().replaceFirst("\\.hea$", ""));
            }
            for (var e : byDir.entrySet()) {
                try {
                    o.println();
                    o.println("AAMI classes, " + e.getKey() + " (reference rows, classifier columns):");
                    o.println(new BeatClassEvaluation(classifier, 64).evaluate(e.getKey(), e.getValue()));
                } catch (BeatClassifierException ex) {
                    System.err.println("evaluate: classification failed: " + ex.getMessage());
                    return 1;
                }
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /** A folder becomes its records that have reference annotations, in name order. */
    private List<Path> expand(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".hea"))
                    .map(f -> f.resolveSibling(f.getFileName().toString().replaceFirst("\\.hea$", "")))
                    .filter(r -> Files.exists(r.resolveSibling(r.getFileName() + "." + annotator)))
                    .sorted().toList();
        }
    }

    private record Scored(RecordAnalyzer.Result result, int referenceBeats, MatchResult match) {
    }
}
