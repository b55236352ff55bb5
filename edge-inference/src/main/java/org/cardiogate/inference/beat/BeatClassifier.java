package org.cardiogate.inference.beat;

/**
 * Classifies beats given in the {@link BeatFeatures} layout into the AAMI classes N, S, V, F, Q (in
 * {@link org.cardiogate.signal.AamiClass} order).
 *
 * <p>Implementations are called from one thread at a time (the {@link InferenceWorker}'s).
 */
public interface BeatClassifier extends AutoCloseable {

    /**
     * Classifies {@code n} beats.
     *
     * @param windows  {@code n * CHANNELS * WINDOW} values, beat-major
     * @param rr       {@code n * RR_FEATURES} values, beat-major
     * @param n        beats in this batch, at least 1
     * @param probsOut receives {@code n * 5} class probabilities, beat-major
     * @throws BeatClassifierException when the model fails to run
     */
    void classify(float[] windows, float[] rr, int n, float[] probsOut) throws BeatClassifierException;

    /** A short description for logs and status pages: model name, version, execution provider. */
    String description();

    @Override
    void close();
}
