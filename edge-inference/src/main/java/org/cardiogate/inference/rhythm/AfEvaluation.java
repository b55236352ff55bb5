package org.cardiogate.inference.rhythm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cardiogate.inference.beat.BeatClassEvaluation;
import org.cardiogate.inference.beat.BeatClassifier;
import org.cardiogate.inference.beat.BeatClassifierException;
import org.cardiogate.inference.beat.InferenceConfig;
import org.cardiogate.inference.beat.OnnxBeatClassifier;
import org.cardiogate.inference.beat.RecordFeatures;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationReader;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * Scores {@link AfDetector} on records with rhythm annotations ({@code +} annotations whose aux text starts a
 * rhythm, {@code (AFIB} for atrial fibrillation), running the live QRS detector on one lead (lead 0 unless told).
 *
 * <p>ANSI/AAMI EC57 episode-duration measures, pooled over records (gross): duration sensitivity = time both
 * reference and detector call AF / reference AF time; duration positive predictivity = the same overlap / detected
 * AF time. Detection delay of a reference episode: from its onset to the beat at which the detector first decided
 * AF inside it (the live onset event), averaged over the episodes detected. Every other rhythm (atrial flutter
 * {@code (AFL} included) counts as not AF; the false AF time is also broken down by the reference rhythm in force.
 *
 * <p>As the live pipeline: beats the classifier calls V are ectopic ({@code --classes}) and beats inside the NOISE
 * stretches of the live signal quality monitor on the same lead are given as noisy ({@code --ignore-noise} turns
 * that off). With {@code --reference-beats} the reference beat annotations replace the QRS detector ({@code V} and
 * {@code E} then mark the ectopics): with {@code --ignore-noise} that measures the rhythm analysis alone, apart from
 * QRS detection and signal quality.
 *
 * <p>{@code --loo} chooses settings by leave-one-record-out: for each record, the candidate (window, irregularity
 * on-threshold, dispersion on-threshold; those given on the command line are held fixed) with the best pooled
 * min(Se, +P) on the other records scores it; the pooled held-out scores estimate what the choice does on unseen
 * records, and the candidate chosen on all records is printed too. The irregularity off-threshold is the on-threshold
 * times {@link #OFF_RATIO}, the dispersion off-threshold the on-threshold minus {@link #DISPERSION_MARGIN}. The system property {@code af.episodes=true} prints each record's reference and detected episodes.
 * Allocates freely; not for the real-time path.
 */
public final class AfEvaluation {

    /** Off-threshold as a fraction of the on-threshold when a search sets the on-threshold (0.06 / 0.095 before). */
    public static final double OFF_RATIO = 0.625;

    /** Dispersion off-threshold below the on-threshold when a search sets the on-threshold (0.75 / 0.70). */
    public static final double DISPERSION_MARGIN = 0.05;

    /** Totals in seconds. */
    public record Score(double referenceSeconds, double detectedSeconds, double overlapSeconds, int referenceEpisodes,
                        int detectedEpisodes, double delaySecondsSum) {
        public static final Score ZERO = new Score(0, 0, 0, 0, 0, 0);

        public double sensitivity() {
            return 100 * overlapSeconds / referenceSeconds;
        }

        public double positivePredictivity() {
            return 100 * overlapSeconds / detectedSeconds;
        }

        /** Detected AF time outside the reference AF. */
        public double falseSeconds() {
            return detectedSeconds - overlapSeconds;
        }

        public double meanDelaySeconds() {
            return detectedEpisodes == 0 ? Double.NaN : delaySecondsSum / detectedEpisodes;
        }

        /** min(Se, +P), with an undefined measure (no reference or no detected AF) taken as 100. */
        double balanced() {
            double se = referenceSeconds == 0 ? 100 : sensitivity();
            double pp = detectedSeconds == 0 ? 100 : positivePredictivity();
            return Math.min(se, pp);
        }

        public Score plus(Score o) {
            return new Score(referenceSeconds + o.referenceSeconds, detectedSeconds + o.detectedSeconds,
                    overlapSeconds + o.overlapSeconds, referenceEpisodes + o.referenceEpisodes,
                    detectedEpisodes + o.detectedEpisodes, delaySecondsSum + o.delaySecondsSum);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "AF duration Se %.2f %%, +P %.2f %% (reference %.0f s, detected %.0f s, "
                            + "false %.0f s); episodes detected %d of %d, mean delay %.1f s", sensitivity(),
                    positivePredictivity(), referenceSeconds, detectedSeconds, falseSeconds(), detectedEpisodes,
                    referenceEpisodes, meanDelaySeconds());
        }
    }

    /**
     * The beats of one record as the detector sees them.
     *
     * @param name        record name
     * @param rateHz      sample rate
     * @param length      samples in the record
     * @param beats       R peaks, ascending
     * @param ventricular whether each beat counts as a ventricular ectopic
     * @param noisy       whether each beat lies in a NOISE stretch of the live signal quality monitor (all false
     *                    when noise is not held back)
     * @param noiseSeconds time in NOISE stretches (0 when noise is not held back)
     * @param reference   reference AF intervals [start, end)
     * @param rhythms     the reference rhythm changes ({@code +} annotations with a {@code (} aux text), in order
     */
    public record RecordBeats(String name, double rateHz, long length, long[] beats, boolean[] ventricular,
                              boolean[] noisy, double noiseSeconds, long[][] reference, List<Annotation> rhythms) {
    }

    private final AfDetector.Config config;
    private final BeatClassifier classifier;
    private final boolean referenceBeats;
    private final int lead;
    private final boolean holdInNoise;

    /** Scores with RR intervals only: no beat is treated as ectopic. */
    public AfEvaluation(AfDetector.Config config) {
        this(config, null);
    }

    /**
     * Scores with the beat classifier's classes: beats classified V are ectopic and their RR intervals left
     * out, as in the live path.
     */
    public AfEvaluation(AfDetector.Config config, BeatClassifier classifier) {
        this(config, classifier, false, 0, true);
    }

    /**
     * @param config         the detector settings
     * @param classifier     the beat classifier for V beats, or null (detected beats only)
     * @param referenceBeats use the reference beat annotations instead of the QRS detector (the classifier is then
     *                       not used: annotated V and E beats are the ectopics)
     * @param lead           the lead the QRS detector (and the signal quality monitor) runs on
     * @param holdInNoise    beats in the NOISE stretches of that lead are given as noisy, as the live pipeline does
     */
    public AfEvaluation(AfDetector.Config config, BeatClassifier classifier, boolean referenceBeats, int lead,
                        boolean holdInNoise) {
        this.config = config;
        this.classifier = classifier;
        this.referenceBeats = referenceBeats;
        if (lead < 0) {
            throw new IllegalArgumentException("lead must be >= 0, got " + lead);
        }
        this.lead = lead;
        this.holdInNoise = holdInNoise;
    }

    /** Scores one record (path without extension). */
    public Score score(Path record) throws IOException {
        return score(beats(record), config);
    }

    /** Reads a record and finds its beats (path without extension). */
    public RecordBeats beats(Path record) throws IOException {
        WfdbRecord rec = WfdbRecord.read(record);
        double fs = rec.samplingFrequency();
        long length = rec.length();
        if (lead >= rec.signalCount()) {
            throw new IOException(record + ": no lead " + lead + ", the record has " + rec.signalCount());
        }
        List<Annotation> annotations = AnnotationReader.read(record, "atr");
        long[][] ref = afIntervals(annotations, length);
        List<Annotation> rhythms = annotations.stream().filter(a -> "+".equals(a.symbol()) && a.aux() != null
                && a.aux().startsWith("(")).toList();
        double[] signal = rec.physical(lead);
        long[][] noise = holdInNoise ? NoiseStretches.of(fs, signal) : new long[0][];
        double noiseSeconds = NoiseStretches.seconds(noise, fs);
        if (referenceBeats) {
            List<Annotation> beats = annotations.stream().filter(Annotation::isBeat).toList();
            long[] samples = new long[beats.size()];
            boolean[] v = new boolean[beats.size()];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = beats.get(i).sample();
                v[i] = "V".equals(beats.get(i).symbol()) || "E".equals(beats.get(i).symbol());
            }
            return new RecordBeats(rec.name(), fs, length, samples, v, NoiseStretches.flag(samples, noise),
                    noiseSeconds, ref, rhythms);
        }
        RecordFeatures f = RecordFeatures.of(rec.name(), fs, signal);
        AamiClass[] classes = null;
        if (classifier != null) {
            try {
                classes = new BeatClassEvaluation(classifier, 64).classify(f);
            } catch (BeatClassifierException e) {
                throw new IOException(record + ": classifier failed: " + e.getMessage(), e);
            }
        }
        long[] beats = f.detected();
        boolean[] v = new boolean[beats.length];
        for (int d = 0, b = 0; d < beats.length; d++) {
            while (b < f.beatCount() && f.rSamples()[b] < beats[d]) {
                b++;
            }
            v[d] = classes != null && b < f.beatCount() && f.rSamples()[b] == beats[d] && classes[b] == AamiClass.V;
        }
        return new RecordBeats(rec.name(), fs, length, beats, v, NoiseStretches.flag(beats, noise), noiseSeconds,
                ref, rhythms);
    }

    /** Closed episodes of the detector over one record. */
    static List<CardiacEvent> episodes(RecordBeats r, AfDetector.Config config) {
        List<CardiacEvent> closed = new ArrayList<>();
        AfDetector af = new AfDetector("ecg", r.rateHz(), config, s -> s, e -> {
            if (!e.isOngoing()) {
                closed.add(e);
            }
        });
        for (int d = 0; d < r.beats().length; d++) {
            af.onBeat(r.beats()[d], r.ventricular()[d], r.noisy()[d]);
        }
        af.finish(r.length() - 1);
        return closed;
    }

    /**
     * Detected AF seconds outside the reference AF, by the reference rhythm in force ({@code (N}, {@code (AFL}, ...;
     * {@code "(none)"} before the first rhythm annotation).
     */
    static java.util.Map<String, Double> falseByRhythm(RecordBeats r, AfDetector.Config config) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        List<Annotation> rh = r.rhythms();
        for (CardiacEvent e : episodes(r, config)) {
            for (int i = -1; i < rh.size(); i++) {
                long from = i < 0 ? 0 : rh.get(i).sample();
                long to = i + 1 < rh.size() ? rh.get(i + 1).sample() : r.length();
                String label = i < 0 ? "(none)" : rh.get(i).aux().trim();
                if (label.startsWith("(AFIB")) {
                    continue;
                }
                long overlap = Math.min(to, e.offsetSample()) - Math.max(from, e.onsetSample());
                if (overlap > 0) {
                    out.merge(label, overlap / r.rateHz(), Double::sum);
                }
            }
        }
        return out;
    }

    /** Runs the detector over the beats of one record and scores its episodes. */
    public static Score score(RecordBeats r, AfDetector.Config config) {
        double fs = r.rateHz();
        List<CardiacEvent> closed = new ArrayList<>();
        List<long[]> decisions = new ArrayList<>();
        long[] current = {0};
        AfDetector af = new AfDetector("ecg", fs, config, s -> s, e -> {
            if (e.isOngoing()) {
                decisions.add(new long[] {e.onsetSample(), current[0]});
            } else {
                closed.add(e);
            }
        });
        long[] beats = r.beats();
        for (int d = 0; d < beats.length; d++) {
            current[0] = beats[d];
            af.onBeat(beats[d], r.ventricular()[d], r.noisy()[d]);
        }
        af.finish(r.length() - 1);
        long[][] ref = r.reference();
        if (Boolean.getBoolean("af.episodes")) {
            StringBuilder sb = new StringBuilder(r.name() + ": reference");
            for (long[] x : ref) {
                sb.append(String.format(Locale.ROOT, " %.1f-%.1f", x[0] / fs, x[1] / fs));
            }
            sb.append("; detected");
            for (CardiacEvent e : closed) {
                sb.append(String.format(Locale.ROOT, " %.1f-%.1f", e.onsetSample() / fs, e.offsetSample() / fs));
            }
            System.out.println(sb);
        }
        long refTotal = 0;
        long detTotal = 0;
        long overlap = 0;
        for (long[] x : ref) {
            refTotal += x[1] - x[0];
        }
        for (CardiacEvent e : closed) {
            detTotal += e.offsetSample() - e.onsetSample();
            for (long[] x : ref) {
                overlap += Math.max(0, Math.min(x[1], e.offsetSample()) - Math.max(x[0], e.onsetSample()));
            }
        }
        int detected = 0;
        double delay = 0;
        for (long[] x : ref) {
            for (long[] d : decisions) {
                long decidedAt = d[1];
                if (decidedAt >= x[0] && decidedAt <= x[1]
                        || d[0] <= x[0] && isOpenAt(closed, d[0], x[0])) {
                    detected++;
                    delay += Math.max(0, decidedAt - x[0]) / fs;
                    break;
                }
            }
        }
        return new Score(refTotal / fs, detTotal / fs, overlap / fs, ref.length, detected, delay);
    }

    private static boolean isOpenAt(List<CardiacEvent> closed, long onset, long sample) {
        for (CardiacEvent e : closed) {
            if (e.onsetSample() == onset) {
                return e.offsetSample() >= sample;
            }
        }
        return false;
    }

    /** Pooled score of several records. */
    public static Score total(List<RecordBeats> records, AfDetector.Config config) {
        Score t = Score.ZERO;
        for (RecordBeats r : records) {
            t = t.plus(score(r, config));
        }
        return t;
    }

    /** Window lengths searched by {@code --loo}. */
    static final int[] WINDOWS = {8, 12, 16, 24, 32};

    /** Irregularity on-thresholds searched by {@code --loo}: 0.02 to 0.15 in steps of 0.01. */
    static double[] onThresholds() {
        return steps(0.02, 0.15, 0.01);
    }

    /** Dispersion on-thresholds searched by {@code --loo}: 0 (no dispersion test) and 0.40 to 0.85 in steps of 0.05. */
    static double[] dispersionThresholds() {
        double[] d = steps(0.40, 0.85, 0.05);
        double[] all = new double[d.length + 1];
        System.arraycopy(d, 0, all, 1, d.length);
        return all;
    }

    private static double[] steps(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.round((from + step * i) * 1000) / 1000.0;
        }
        return t;
    }

    /** The candidate settings of the leave-one-record-out search, off-thresholds at {@link #OFF_RATIO}. */
    static List<AfDetector.Config> candidates(int patternLags, boolean premature, int[] windows,
                                             double[] dispersions) {
        List<AfDetector.Config> out = new ArrayList<>();
        for (int w : windows) {
            if (patternLags > w / 4) {
                continue;
            }
            for (double on : onThresholds()) {
                for (double d : dispersions) {
                    out.add(new AfDetector.Config(w, on, on * OFF_RATIO, d, Math.max(0, d - DISPERSION_MARGIN),
                            patternLags, premature));
                }
            }
        }
        return out;
    }

    /**
     * Leave-one-record-out: {@code scores[c][r]} is candidate {@code c} on record {@code r}; for each record the
     * candidate with the best pooled min(Se, +P) on the others is chosen (ties: the earlier candidate).
     *
     * @return the chosen candidate index per held-out record
     */
    static int[] leaveOneOut(Score[][] scores) {
        int records = scores[0].length;
        int[] chosen = new int[records];
        for (int held = 0; held < records; held++) {
            double best = -1;
            for (int c = 0; c < scores.length; c++) {
                Score t = Score.ZERO;
                for (int r = 0; r < records; r++) {
                    if (r != held) {
                        t = t.plus(scores[c][r]);
                    }
                }
                double v = t.balanced();
                if (v > best) {
                    best = v;
                    chosen[held] = c;
                }
            }
        }
        return chosen;
    }

    /** The candidate with the best pooled min(Se, +P) over all records. */
    static int bestOverall(Score[][] scores) {
        int bestIndex = 0;
        double best = -1;
        for (int c = 0; c < scores.length; c++) {
            Score t = Score.ZERO;
            for (Score s : scores[c]) {
                t = t.plus(s);
            }
            if (t.balanced() > best) {
                best = t.balanced();
                bestIndex = c;
            }
        }
        return bestIndex;
    }

    /** Reference AF intervals [start, end) from rhythm annotations; an episode open at the end runs to it. */
    public static long[][] afIntervals(List<Annotation> annotations, long length) {
        List<long[]> out = new ArrayList<>();
        long open = -1;
        for (Annotation a : annotations) {
            if (!"+".equals(a.symbol()) || a.aux() == null || !a.aux().startsWith("(")) {
                continue;
            }
            boolean af = a.aux().trim().startsWith("(AFIB");
            if (af && open < 0) {
                open = a.sample();
            } else if (!af && open >= 0) {
                out.add(new long[] {open, a.sample()});
                open = -1;
            }
        }
        if (open >= 0) {
            out.add(new long[] {open, length});
        }
        return out.toArray(long[][]::new);
    }

    private static String row(String name, double noiseSeconds, Score s) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %s | %s | %d / %d | %s |", name,
                noiseSeconds, s.referenceSeconds(), s.detectedSeconds(), s.falseSeconds(),
                s.referenceSeconds() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", s.sensitivity()),
                s.detectedSeconds() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", s.positivePredictivity()),
                s.detectedEpisodes(), s.referenceEpisodes(),
                s.detectedEpisodes() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", s.meanDelaySeconds()));
    }

    private static final String HEADER = "| record | NOISE s | reference AF s | detected AF s | false AF s | Se % "
            + "| +P % | episodes found | mean delay s |\n|---|---|---|---|---|---|---|---|---|";

    private static String describe(AfDetector.Config c) {
        return String.format(Locale.ROOT, "window %d, irregularity on %.3f off %.4f, dispersion on %.2f off %.4f, "
                + "lags %d, premature-beat filter %s", c.windowBeats(), c.onThreshold(), c.offThreshold(),
                c.dispersionOn(), c.dispersionOff(), c.patternLags(), c.prematureFilter());
    }

    /**
     * Usage: {@code AfEvaluation <dir> [record...] [--window N] [--on T] [--off T] [--disp-on D] [--disp-off D]
     * [--lags K] [--no-premature-filter] [--classes] [--reference-beats] [--lead L] [--ignore-noise] [--loo]}; without records, those listed
     * in {@code <dir>/RECORDS}; unset settings are {@link AfDetector.Config#DEFAULTS} (give {@code --off} and {@code
     * --disp-off} with a changed on-threshold). {@code --classes} uses the shipped beat classifier to leave ventricular
     * ectopic beats out (as {@code analyze} does); {@code --lags 1 --disp-on 0 --disp-off 0 --no-premature-filter} is the
     * detector without premature-beat filter, pattern and dispersion tests, adding {@code --window 12 --on 0.095 --off 0.06} the earlier settings. Prints a per-record table and the pooled score, or with {@code --loo} the
     * leave-one-record-out search.
     */
    public static void main(String[] args) throws IOException, BeatClassifierException {
        if (args.length == 0) {
            System.err.println("usage: AfEvaluation <dir> [record...] [--window N] [--on T] [--off T] [--disp-on D] "
                    + "[--disp-off D] [--lags K] [--no-premature-filter] [--classes] [--reference-beats] [--lead L] [--ignore-noise] [--loo]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<String> records = new ArrayList<>();
        AfDetector.Config c = AfDetector.Config.DEFAULTS;
        int w = c.windowBeats();
        double on = c.onThreshold();
        double off = c.offThreshold();
        double dispOn = c.dispersionOn();
        double dispOff = c.dispersionOff();
        int lags = c.patternLags();
        boolean premature = c.prematureFilter();
        boolean classes = false;
        boolean reference = false;
        boolean loo = false;
        boolean holdInNoise = true;
        boolean windowGiven = false;
        boolean dispersionGiven = false;
        int lead = 0;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--window" -> {
                    w = Integer.parseInt(args[++i]);
                    windowGiven = true;
                }
                case "--on" -> on = Double.parseDouble(args[++i]);
                case "--off" -> off = Double.parseDouble(args[++i]);
                case "--disp-on" -> {
                    dispOn = Double.parseDouble(args[++i]);
                    dispersionGiven = true;
                }
                case "--disp-off" -> dispOff = Double.parseDouble(args[++i]);
                case "--lags" -> lags = Integer.parseInt(args[++i]);
                case "--no-premature-filter" -> premature = false;
                case "--classes" -> classes = true;
                case "--reference-beats" -> reference = true;
                case "--lead" -> lead = Integer.parseInt(args[++i]);
                case "--loo" -> loo = true;
                case "--ignore-noise" -> holdInNoise = false;
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    records.add(args[i]);
                }
            }
        }
        if (records.isEmpty()) {
            records.addAll(Files.readAllLines(dir.resolve("RECORDS")).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList());
        }
        AfDetector.Config config = new AfDetector.Config(w, on, off, dispOn, dispOff, lags, premature);
        BeatClassifier classifier = classes && !reference ? OnnxBeatClassifier.loadDefault(InferenceConfig.CPU) : null;
        AfEvaluation ev = new AfEvaluation(config, classifier, reference, lead, holdInNoise);
        List<RecordBeats> beats = new ArrayList<>();
        for (String r : records) {
            beats.add(ev.beats(dir.resolve(r)));
        }
        String source = reference ? "reference beats (annotated V, E ectopic)"
                : "QRS detector on lead " + lead + (classifier != null ? ", ectopic beats from "
                + classifier.description() : ", RR only");
        source += holdInNoise ? "; beats in NOISE stretches of lead " + lead + " held back as live"
                : "; signal quality ignored";
        if (classifier != null) {
            classifier.close();
        }
        System.out.println("records " + records + "; " + source);
        if (loo) {
            List<AfDetector.Config> cands = candidates(lags, premature, windowGiven ? new int[] {w} : WINDOWS,
                    dispersionGiven ? new double[] {dispOn} : dispersionThresholds());
            Score[][] scores = new Score[cands.size()][beats.size()];
            for (int k = 0; k < cands.size(); k++) {
                for (int r = 0; r < beats.size(); r++) {
                    scores[k][r] = score(beats.get(r), cands.get(k));
                }
            }
            System.out.println("leave-one-record-out over " + cands.size() + " settings (window in "
                    + java.util.Arrays.toString(windowGiven ? new int[] {w} : WINDOWS) + ", irregularity on 0.02-0.15, dispersion on "
                    + (dispersionGiven ? String.valueOf(dispOn) : "0 or 0.40-0.85") + ", irregularity off = on x " + OFF_RATIO
                    + ", dispersion off = on - " + DISPERSION_MARGIN + ", lags " + lags + "), objective min(Se, +P) of the "
                    + "other records");
            System.out.println("| held-out record | chosen window, on, dispersion on " + HEADER.substring(
                    "| record ".length()).replace("\n|---|", "\n|---|---|"));
            int[] chosen = leaveOneOut(scores);
            Score pooled = Score.ZERO;
            for (int r = 0; r < beats.size(); r++) {
                AfDetector.Config k = cands.get(chosen[r]);
                Score s = scores[chosen[r]][r];
                pooled = pooled.plus(s);
                System.out.println(row(beats.get(r).name() + String.format(Locale.ROOT, " | %d, %.2f, %.2f",
                        k.windowBeats(), k.onThreshold(), k.dispersionOn()), beats.get(r).noiseSeconds(), s));
            }
            System.out.println("held-out pooled: " + pooled);
            int all = bestOverall(scores);
            Score t = Score.ZERO;
            for (Score s : scores[all]) {
                t = t.plus(s);
            }
            System.out.println("chosen on all records: " + describe(cands.get(all)) + " -> " + t);
            return;
        }
        System.out.println(describe(config));
        System.out.println(HEADER);
        Score total = Score.ZERO;
        double noise = 0;
        for (RecordBeats r : beats) {
            Score s = score(r, config);
            System.out.println(row(r.name(), r.noiseSeconds(), s));
            total = total.plus(s);
            noise += r.noiseSeconds();
        }
        System.out.println(row("**gross**", noise, total));
        java.util.Map<String, Double> byRhythm = new java.util.TreeMap<>();
        for (RecordBeats r : beats) {
            java.util.Map<String, Double> m = falseByRhythm(r, config);
            m.forEach((k, v) -> byRhythm.merge(k, v, Double::sum));
            if (!m.isEmpty()) {
                StringBuilder sb = new StringBuilder("false AF in " + r.name() + " by reference rhythm:");
                m.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.0f s", k, v)));
                System.out.println(sb);
            }
        }
        StringBuilder sb = new StringBuilder("false AF by reference rhythm, all records:");
        byRhythm.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.0f s", k, v)));
        System.out.println(sb);
        System.out.println(total);
    }
}
