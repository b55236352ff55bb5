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
}
