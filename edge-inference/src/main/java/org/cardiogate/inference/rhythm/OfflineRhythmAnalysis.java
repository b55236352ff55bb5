package org.cardiogate.inference.rhythm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.cardiogate.inference.beat.BeatClassEvaluation;
import org.cardiogate.inference.beat.BeatClassifier;
import org.cardiogate.inference.beat.BeatClassifierException;
import org.cardiogate.inference.beat.RecordFeatures;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.CardiacEvent;

/**
 * Beat classes and classifier-based rhythms of a whole recording, for {@code analyze}: runs {@link RecordFeatures}
 * (the live QRS detector and feature extractor), the classifier, then {@link AfDetector} (RR intervals next to beats
 * classified V left out, so ventricular bigeminy is not taken for AF; S beats are kept: premature atrial beats are
 * left out by the detector's own premature-beat filter, whatever their class) and {@link EctopyMonitor} (VT, bigeminy, trigeminy) over the beats in order. As in the
 * live pipeline, beats inside the NOISE stretches of the live signal quality monitor reach the AF detector as noisy
 * (the same processor settings, run once more over the lead), so an AF episode neither starts in noise nor is
 * built from the false beats of a noisy stretch. Without a classifier every beat is {@link AamiClass#Q} and no VT is
 * looked for. Allocates freely; not for the real-time path.
 */
public final class OfflineRhythmAnalysis {

    /**
     * @param beatSamples R peaks of every detected beat
     * @param classes     class of each beat ({@code Q} where the classifier did not run)
     * @param events      closed AF and VT episodes, by onset
     * @param patterns    bigeminy and trigeminy runs as {@code "<PATTERN> <onset> <offset> <cycles>"}
     */
    public record Result(long[] beatSamples, AamiClass[] classes, List<CardiacEvent> events, List<String> patterns) {
        public Result {
            beatSamples = beatSamples.clone();
            classes = classes.clone();
            events = List.copyOf(events);
            patterns = List.copyOf(patterns);
        }
    }

    private OfflineRhythmAnalysis() {
    }

    /**
     * @param streamId   stream id written into the events
     * @param rateHz     sample rate of {@code signal}
     * @param signal     one ECG lead in mV
     * @param classifier the beat classifier, or null
     */
    public static Result analyze(String streamId, double rateHz, double[] signal, BeatClassifier classifier,
                                 AfDetector.Config af, EctopyMonitor.Config ectopy) throws BeatClassifierException {
        RecordFeatures f = RecordFeatures.of(streamId, rateHz, signal);
        return run(streamId, rateHz, signal.length, f, f.detected(), NoiseStretches.of(rateHz, signal), classifier,
                af, ectopy);
    }

    /**
     * The same on the beats and NOISE stretches the caller already found with its own pass of the same detector
     * over {@code signal} (as {@code gateway analyze} has): the signal is not processed again, the classifier's
     * features are computed at the given peaks ({@link RecordFeatures#ofPeaks}), and without a classifier no
     * features are computed at all.
     *
     * @param peaks R-peak samples, ascending
     * @param noise NOISE stretches as {@code [first, last]} samples (inclusive), ascending
     */
    public static Result analyze(String streamId, double rateHz, double[] signal, long[] peaks, long[][] noise,
                                 BeatClassifier classifier, AfDetector.Config af, EctopyMonitor.Config ectopy)
            throws BeatClassifierException {
        RecordFeatures f = classifier == null ? null : RecordFeatures.ofPeaks(streamId, rateHz, signal, peaks);
        return run(streamId, rateHz, signal.length, f, peaks, noise, classifier, af, ectopy);
    }

    private static Result run(String streamId, double rateHz, int length, RecordFeatures f, long[] beats,
                              long[][] noise, BeatClassifier classifier, AfDetector.Config af,
                              EctopyMonitor.Config ectopy) throws BeatClassifierException {
        AamiClass[] featureClasses = classifier == null || f == null ? null
                : new BeatClassEvaluation(classifier, 64).classify(f);
        AamiClass[] classes = new AamiClass[beats.length];
        for (int d = 0, b = 0; d < beats.length; d++) {
            if (featureClasses == null) {
                classes[d] = AamiClass.Q;
                continue;
            }
            while (b < f.beatCount() && f.rSamples()[b] < beats[d]) {
                b++;
            }
            classes[d] = b < f.beatCount() && f.rSamples()[b] == beats[d] ? featureClasses[b] : AamiClass.Q;
        }
        long periodNs = Math.round(1e9 / rateHz);
        List<CardiacEvent> events = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        AfDetector afDetector = new AfDetector(streamId, rateHz, af, s -> s * periodNs, e -> {
            if (!e.isOngoing()) {
                events.add(e);
            }
        });
        EctopyMonitor ectopyMonitor = new EctopyMonitor(streamId, rateHz, ectopy, s -> s * periodNs, new RhythmSink() {
            @Override
            public void onEvent(CardiacEvent e, long[] evidence) {
                if (!e.isOngoing()) {
                    events.add(e);
                }
            }

            @Override
            public void onPattern(String stream, String pattern, long onset, long offset, int cycles) {
                patterns.add(pattern + " " + onset + " " + offset + " " + cycles);
            }
        });
        boolean[] noisy = NoiseStretches.flag(beats, noise);
        for (int d = 0; d < beats.length; d++) {
            AamiClass c = classes[d];
            afDetector.onBeat(beats[d], c == AamiClass.V, noisy[d]);
            if (classifier != null) {
                ectopyMonitor.onBeat(beats[d], c, false);
            }
        }
        afDetector.finish(length - 1);
        ectopyMonitor.finish(length - 1);
        events.sort(Comparator.comparingLong(CardiacEvent::onsetSample));
        return new Result(beats, classes, events, patterns);
    }
}
