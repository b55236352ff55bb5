package org.cardiogate.gateway.analysis;

import java.io.PrintStream;

import org.cardiogate.inference.beat.BeatClassifier;
import org.cardiogate.inference.beat.BeatClassifierException;
import org.cardiogate.inference.beat.InferenceConfig;
import org.cardiogate.inference.beat.OnnxBeatClassifier;

/** Loads the shipped beat classifier, or says why not and lets the caller go on with rule-based detection only. */
public final class Classifiers {
    private Classifiers() {
    }

    /** The default model on the CPU, or {@code null} after printing the reason to {@code err}. */
    public static BeatClassifier loadOrExplain(PrintStream err) {
        try {
            return OnnxBeatClassifier.loadDefault(InferenceConfig.CPU);
        } catch (BeatClassifierException | RuntimeException | UnsatisfiedLinkError e) {
            err.println("beat classifier not available (" + e.getMessage()
                    + "); continuing with rule-based detection only: every beat is labelled N");
            return null;
        }
    }

    /**
     * The classifier made safe for several analysis threads: {@link BeatClassifier} implementations are called from
     * one thread at a time (they reuse their input buffers), so calls are serialised; {@code null} stays
     * {@code null}.
     */
    public static BeatClassifier shared(BeatClassifier classifier) {
        if (classifier == null) {
            return null;
        }
        return new BeatClassifier() {
            @Override
            public synchronized void classify(float[] windows, float[] rr, int n, float[] probsOut)
                    throws BeatClassifierException {
                classifier.classify(windows, rr, n, probsOut);
            }

            @Override
            public String description() {
                return classifier.description();
            }

            @Override
            public synchronized void close() {
                classifier.close();
            }
        };
    }
}
