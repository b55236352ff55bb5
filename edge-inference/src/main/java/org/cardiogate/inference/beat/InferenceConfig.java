package org.cardiogate.inference.beat;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How models are run: the execution providers to try, in order, and their options.
 *
 * @param providers          provider names tried in order: {@code tensorrt}, {@code cuda}, {@code cpu}. The first
 *                           that can be registered is used; a provider that cannot (missing library, CPU-only
 *                           build) is skipped with its reason logged. Without {@code cpu} in the list and no
 *                           accelerator available, loading fails.
 * @param deviceId           GPU device for TensorRT and CUDA
 * @param tensorrtFp16       let TensorRT build FP16 engines
 * @param tensorrtEngineCache directory where TensorRT keeps built engines across restarts, or {@code null} for none
 * @param intraOpThreads     threads ONNX Runtime may use inside one run; 1 keeps it off the other cores
 */
public record InferenceConfig(List<String> providers, int deviceId, boolean tensorrtFp16, Path tensorrtEngineCache,
                              int intraOpThreads) {
    /** Provider names understood. */
    public static final List<String> KNOWN_PROVIDERS = List.of("tensorrt", "cuda", "cpu");

    /** CPU only, one thread. */
    public static final InferenceConfig CPU = new InferenceConfig(List.of("cpu"), 0, false, null, 1);

    public InferenceConfig {
        if (providers == null || providers.isEmpty()) {
            throw new IllegalArgumentException("inference.providers must list at least one of " + KNOWN_PROVIDERS);
        }
        providers = providers.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).toList();
        for (String p : providers) {
            if (!KNOWN_PROVIDERS.contains(p)) {
                throw new IllegalArgumentException("inference.providers: unknown provider '" + p + "', expected one of "
                        + KNOWN_PROVIDERS);
            }
        }
        if (deviceId < 0) {
            throw new IllegalArgumentException("inference.deviceId must be 0 or more, got " + deviceId);
        }
        if (intraOpThreads < 1 || intraOpThreads > 64) {
            throw new IllegalArgumentException("inference.intraOpThreads must be between 1 and 64, got " + intraOpThreads);
        }
    }

    /** The given provider chain with the other settings at their defaults (device 0, FP16 on, no engine cache). */
    public static InferenceConfig of(List<String> providers) {
        return new InferenceConfig(providers, 0, true, null, 1);
    }
}
