package org.cardiogate.inference.beat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures the classifier's latency on CPU with real beats: median and 99th percentile per batch and per beat for
 * batch sizes 1, 8 and 32, single-threaded session ({@link InferenceConfig#CPU}).
 *
 * <p>Usage: {@code InferenceBenchmark <record path without extension> [iterations]}.
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        RecordFeatures f = RecordFeatures.of(Path.of(args[0]));
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int win = BeatFeatures.CHANNELS * BeatFeatures.WINDOW;
        try (OnnxBeatClassifier c = OnnxBeatClassifier.loadDefault(InferenceConfig.CPU)) {
            System.out.println(c.description() + ", " + f.beatCount() + " beats of " + f.record());
            for (int batch : new int[] {1, 8, 32}) {
                float[] w = new float[batch * win];
                float[] r = new float[batch * BeatFeatures.RR_FEATURES];
                float[] p = new float[batch * 5];
                long[] t = new long[iterations];
                for (int i = -iterations / 4; i < iterations; i++) {
                    int start = Math.floorMod(i * batch, f.beatCount() - batch);
                    System.arraycopy(f.windows(), start * win, w, 0, batch * win);
                    System.arraycopy(f.rr(), start * BeatFeatures.RR_FEATURES, r, 0, batch * BeatFeatures.RR_FEATURES);
                    long t0 = System.nanoTime();
                    c.classify(w, r, batch, p);
                    long dt = System.nanoTime() - t0;
                    if (i >= 0) {
                        t[i] = dt;
                    }
                }
                Arrays.sort(t);
                double med = t[iterations / 2] / 1e3;
                double p99 = t[(int) (iterations * 0.99)] / 1e3;
                System.out.printf(Locale.ROOT, "batch %2d: median %8.1f us (%6.1f us/beat), p99 %8.1f us%n", batch, med,
                        med / batch, p99);
            }
        }
    }
}
