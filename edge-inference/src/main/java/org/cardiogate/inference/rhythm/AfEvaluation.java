package org.cardiogate.inference.rhythm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * rhythm, {@code (AFIB} for atrial fibrillation), running the live QRS detector on lead 0.
 *
 * <p>ANSI/AAMI EC57 episode-duration measures, pooled over records (gross): duration sensitivity = time both
 * reference and detector call AF / reference AF time; duration positive predictivity = the same overlap / detected
 * AF time. Detection delay of a reference episode: from its onset to the beat at which the detector first decided
 * AF inside it (the live onset event), averaged over the episodes detected.
 */
public final class AfEvaluation {

    /** Totals in samples (at each record's own rate, converted to seconds). */
    public record Score(double referenceSeconds, double detectedSeconds, double overlapSeconds, int referenceEpisodes,
                        int detectedEpisodes, double delaySecondsSum) {
        public double sensitivity() {
            return 100 * overlapSeconds / referenceSeconds;
        }

        public double positivePredictivity() {
            return 100 * overlapSeconds / detectedSeconds;
        }

        public double meanDelaySeconds() {
            return detectedEpisodes == 0 ? Double.NaN : delaySecondsSum / detectedEpisodes;
        }

        Score plus(Score o) {
            return new Score(referenceSeconds + o.referenceSeconds, detectedSeconds + o.detectedSeconds,
                    overlapSeconds + o.overlapSeconds, referenceEpisodes + o.referenceEpisodes,
                    detectedEpisodes + o.detectedEpisodes, delaySecondsSum + o.delaySecondsSum);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "AF duration Se %.2f %%, +P %.2f %% (reference %.0f s, detected %.0f s); "
                            + "episodes detected %d of %d, mean delay %.1f s", sensitivity(), positivePredictivity(),
                    referenceSeconds, detectedSeconds, detectedEpisodes, referenceEpisodes, meanDelaySeconds());
        }
    }

    private final AfDetector.Config config;
    private final BeatClassifier classifier;

    /** Scores with RR intervals only: no beat is treated as ectopic. */
    public AfEvaluation(AfDetector.Config config) {
        this(config, null);
    }

    /**
     * Scores with the beat classifier's classes: beats classified V are ectopic and their RR intervals left
     * out, as in the live path.
     */
    public AfEvaluation(AfDetector.Config config, BeatClassifier classifier) {
        this.config = config;
        this.classifier = classifier;
    }

    /** Scores one record (path without extension). */
    public Score score(Path record) throws IOException {
        WfdbRecord rec = WfdbRecord.read(record);
        double fs = rec.samplingFrequency();
        long length = rec.length();
        long[][] ref = afIntervals(AnnotationReader.read(record, "atr"), length);
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
        RecordFeatures f = RecordFeatures.of(rec.name(), fs, rec.physical(0));
        AamiClass[] classes = null;
        if (classifier != null) {
            try {
                classes = new BeatClassEvaluation(classifier, 64).classify(f);
            } catch (BeatClassifierException e) {
                throw new IOException(record + ": classifier failed: " + e.getMessage(), e);
            }
        }
        long[] beats = f.detected();
        for (int d = 0, b = 0; d < beats.length; d++) {
            while (b < f.beatCount() && f.rSamples()[b] < beats[d]) {
                b++;
            }
            AamiClass c = classes != null && b < f.beatCount() && f.rSamples()[b] == beats[d] ? classes[b] : AamiClass.N;
            current[0] = beats[d];
            af.onBeat(beats[d], c == AamiClass.V, false);
        }
        af.finish(length - 1);
        long refTotal = 0;
        long detTotal = 0;
        long overlap = 0;
        for (long[] r : ref) {
            refTotal += r[1] - r[0];
        }
        for (CardiacEvent e : closed) {
            detTotal += e.offsetSample() - e.onsetSample();
            for (long[] r : ref) {
                overlap += Math.max(0, Math.min(r[1], e.offsetSample()) - Math.max(r[0], e.onsetSample()));
            }
        }
        int detected = 0;
        double delay = 0;
        for (long[] r : ref) {
            for (long[] d : decisions) {
                long decidedAt = d[1];
                if (decidedAt >= r[0] && decidedAt <= r[1]
                        || d[0] <= r[0] && isOpenAt(closed, d[0], r[0])) {
                    detected++;
                    delay += Math.max(0, decidedAt - r[0]) / fs;
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

    /**
     * Usage: {@code AfEvaluation <dir> [record...] [--window N --on T --off T] [--classes]}; without records, those
     * listed in {@code <dir>/RECORDS}; {@code --classes} uses the shipped beat classifier to leave ectopic beats out.
     */
    public static void main(String[] args) throws IOException, BeatClassifierException {
        Path dir = Path.of(args[0]);
        List<String> records = new ArrayList<>();
        AfDetector.Config c = AfDetector.Config.DEFAULTS;
        int w = c.windowBeats();
        double on = c.onThreshold();
        double off = c.offThreshold();
        boolean classes = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--window" -> w = Integer.parseInt(args[++i]);
                case "--on" -> on = Double.parseDouble(args[++i]);
                case "--off" -> off = Double.parseDouble(args[++i]);
                case "--classes" -> classes = true;
                default -> records.add(args[i]);
            }
        }
        if (records.isEmpty()) {
            records.addAll(Files.readAllLines(dir.resolve("RECORDS")).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList());
        }
        BeatClassifier classifier = classes ? OnnxBeatClassifier.loadDefault(InferenceConfig.CPU) : null;
        AfEvaluation ev = new AfEvaluation(new AfDetector.Config(w, on, off), classifier);
        Score total = new Score(0, 0, 0, 0, 0, 0);
        for (String r : records) {
            Score s = ev.score(dir.resolve(r));
            if (args.length > 0 && Boolean.getBoolean("af.verbose")) {
                System.out.println(r + ": " + s);
            }
            total = total.plus(s);
        }
        if (classifier != null) {
            classifier.close();
        }
        System.out.println("records " + Arrays.toString(records.toArray()) + (classes ? ", ectopic beats from "
                + classifier.description() : ", RR only") + "\n" + total);
    }
}
