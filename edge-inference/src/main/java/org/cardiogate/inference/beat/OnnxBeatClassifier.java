package org.cardiogate.inference.beat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import org.cardiogate.signal.AamiClass;

/**
 * The beat classifier run by ONNX Runtime. Loading checks the model against its {@link ModelManifest}: the file's
 * SHA-256, the input names and shapes (which must be the {@link BeatFeatures} layout), the window rate and the
 * classes (N, S, V, F, Q). Any mismatch, a missing file or no usable execution provider is a
 * {@link BeatClassifierException} naming the file and the problem; the caller carries on without the model.
 *
 * <p>Execution providers are tried in the order of {@link InferenceConfig#providers()}; each one that fails to
 * register is skipped and its reason logged and kept ({@link #providerAttempts()}); {@link #provider()} is the one
 * in use. On the CPU-only ONNX Runtime jar, TensorRT and CUDA fail and CPU is used.
 *
 * <p>Threading: {@link #classify} is called from one thread at a time (the inference worker's); it allocates
 * ONNX tensors per call, so it belongs off the real-time thread.
 */
public final class OnnxBeatClassifier implements BeatClassifier {
    /** Classpath location of the shipped model's manifest. */
    public static final String DEFAULT_MANIFEST = "/models/beat-classifier.json";
    private static final System.Logger LOG = System.getLogger(OnnxBeatClassifier.class.getName());
    private static final int CLASSES = AamiClass.values().length;

    private final ModelManifest manifest;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String provider;
    private final List<String> attempts;
    private final String windowInput;
    private final String rrInput;
    private int capacity;
    private FloatBuffer windowBuffer;
    private FloatBuffer rrBuffer;

    private OnnxBeatClassifier(ModelManifest manifest, OrtEnvironment env, OrtSession session, String provider,
                               List<String> attempts) {
        this.manifest = manifest;
        this.env = env;
        this.session = session;
        this.provider = provider;
        this.attempts = List.copyOf(attempts);
        this.windowInput = manifest.inputs().get(0).name();
        this.rrInput = manifest.inputs().get(1).name();
        ensureCapacity(32);
    }

    /** Loads the model shipped on the classpath ({@link #DEFAULT_MANIFEST}). */
    public static OnnxBeatClassifier loadDefault(InferenceConfig config) throws BeatClassifierException {
        return loadFromClasspath(DEFAULT_MANIFEST, config);
    }

    /** Loads a model whose manifest is at {@code manifestResource} on the classpath, the model file beside it. */
    public static OnnxBeatClassifier loadFromClasspath(String manifestResource, InferenceConfig config)
            throws BeatClassifierException {
        ModelManifest m;
        try (InputStream in = OnnxBeatClassifier.class.getResourceAsStream(manifestResource)) {
            if (in == null) {
                throw new BeatClassifierException("model manifest " + manifestResource + " is not on the classpath");
            }
            m = ModelManifest.read(in, "classpath:" + manifestResource);
        } catch (IOException e) {
            throw new BeatClassifierException("cannot read model manifest classpath:" + manifestResource + ": " + e, e);
        }
        String dir = manifestResource.substring(0, manifestResource.lastIndexOf('/') + 1);
        String modelResource = dir + m.file();
        byte[] model;
        try (InputStream in = OnnxBeatClassifier.class.getResourceAsStream(modelResource)) {
            if (in == null) {
                throw new BeatClassifierException("model file " + modelResource + " named by manifest "
                        + manifestResource + " is not on the classpath");
            }
            model = in.readAllBytes();
        } catch (IOException e) {
            throw new BeatClassifierException("cannot read model classpath:" + modelResource + ": " + e, e);
        }
        return create(m, model, "classpath:" + modelResource, config);
    }

    /** Loads a model from a manifest file; the model file is resolved against the manifest's directory. */
    public static OnnxBeatClassifier load(Path manifestFile, InferenceConfig config) throws BeatClassifierException {
        ModelManifest m;
        try (InputStream in = Files.newInputStream(manifestFile)) {
            m = ModelManifest.read(in, manifestFile.toString());
        } catch (NoSuchFileException e) {
            throw new BeatClassifierException("model manifest " + manifestFile + " does not exist", e);
        } catch (IOException e) {
            throw new BeatClassifierException("cannot read model manifest " + manifestFile + ": " + e, e);
        }
        Path modelFile = manifestFile.toAbsolutePath().getParent().resolve(m.file());
        byte[] model;
        try {
            model = Files.readAllBytes(modelFile);
        } catch (NoSuchFileException e) {
            throw new BeatClassifierException("model file " + modelFile + " named by manifest " + manifestFile
                    + " does not exist", e);
        } catch (IOException e) {
            throw new BeatClassifierException("cannot read model file " + modelFile + ": " + e, e);
        }
        return create(m, model, modelFile.toString(), config);
    }

    private static OnnxBeatClassifier create(ModelManifest m, byte[] model, String source, InferenceConfig config)
            throws BeatClassifierException {
        Objects.requireNonNull(config, "config");
        String sha = sha256(model);
        if (!sha.equals(m.sha256())) {
            throw new BeatClassifierException(source + ": SHA-256 " + sha + " does not match the manifest's "
                    + m.sha256() + " (model and manifest are from different builds, or the file is damaged)");
        }
        checkLayout(m, source);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<String> attempts = new ArrayList<>();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(config.intraOpThreads());
            String chosen = registerProviders(options, config, attempts);
            if (chosen == null) {
                throw new BeatClassifierException(source + ": none of the execution providers " + config.providers()
                        + " is available: " + String.join("; ", attempts));
            }
            OrtSession session = env.createSession(model, options);
            checkSession(session, m, source);
            LOG.log(System.Logger.Level.INFO, "beat classifier {0} {1} loaded from {2} on {3}", m.name(), m.version(),
                    source, chosen);
            return new OnnxBeatClassifier(m, env, session, chosen, attempts);
        } catch (OrtException e) {
            throw new BeatClassifierException(source + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        } finally {
            options.close();
        }
    }

    /** Registers the first provider of the chain that works; returns its name, or null if none did. */
    static String registerProviders(OrtSession.SessionOptions options, InferenceConfig config, List<String> attempts) {
        for (String p : config.providers()) {
            try {
                switch (p) {
                    case "tensorrt" -> {
                        OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(config.deviceId());
                        trt.add("trt_fp16_enable", config.tensorrtFp16() ? "1" : "0");
                        if (config.tensorrtEngineCache() != null) {
                            trt.add("trt_engine_cache_enable", "1");
                            trt.add("trt_engine_cache_path", config.tensorrtEngineCache().toString());
                        }
                        options.addTensorrt(trt);
                    }
                    case "cuda" -> options.addCUDA(config.deviceId());
                    case "cpu" -> {
                        // always there: ONNX Runtime falls back to its CPU kernels
                    }
                    default -> throw new IllegalStateException("unknown provider " + p);
                }
                return p;
            } catch (OrtException | RuntimeException | LinkageError e) {
                String reason = p + " unavailable: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                attempts.add(reason);
                LOG.log(System.Logger.Level.WARNING, "execution provider {0}; trying the next one", reason);
            }
        }
        return null;
    }

    private static void checkLayout(ModelManifest m, String source) throws BeatClassifierException {
        long[] window = {-1, BeatFeatures.CHANNELS, BeatFeatures.WINDOW};
        long[] rr = {-1, BeatFeatures.RR_FEATURES};
        if (m.inputs().size() != 2 || !Arrays.equals(m.inputs().get(0).shape(), window)
                || !Arrays.equals(m.inputs().get(1).shape(), rr)) {
            throw new BeatClassifierException(source + ": manifest inputs " + m.inputs() + " do not match the features "
                    + "this gateway computes: [" + Arrays.toString(window) + ", " + Arrays.toString(rr) + "]");
        }
        if (Math.abs(m.sampleRateHz() - BeatFeatures.WINDOW_RATE_HZ) > 1e-9
                || Math.abs(m.windowStart() + BeatFeatures.PRE / BeatFeatures.WINDOW_RATE_HZ) > 1e-6
                || Math.abs(m.windowEnd() - BeatFeatures.POST / BeatFeatures.WINDOW_RATE_HZ) > 1e-6) {
            throw new BeatClassifierException(source + ": manifest window " + m.windowStart() + ".." + m.windowEnd()
                    + " s at " + m.sampleRateHz() + " Hz does not match this gateway's -0.25..0.40 s at 180 Hz");
        }
        List<String> expected = Arrays.stream(AamiClass.values()).map(Enum::name).toList();
        if (!m.classes().equals(expected)) {
            throw new BeatClassifierException(source + ": manifest classes " + m.classes() + " are not " + expected);
        }
    }

    private static void checkSession(OrtSession session, ModelManifest m, String source)
            throws OrtException, BeatClassifierException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        for (ModelManifest.Tensor t : m.inputs()) {
            NodeInfo info = inputs.get(t.name());
            if (info == null) {
                throw new BeatClassifierException(source + ": the model has no input '" + t.name() + "' (it has "
                        + inputs.keySet() + ")");
            }
            long[] actual = ((TensorInfo) info.getInfo()).getShape();
            if (!sameShape(actual, t.shape())) {
                throw new BeatClassifierException(source + ": input '" + t.name() + "' has shape "
                        + Arrays.toString(actual) + ", the manifest says " + Arrays.toString(t.shape()));
            }
        }
        NodeInfo out = session.getOutputInfo().get(m.outputs().get(0).name());
        if (out == null) {
            throw new BeatClassifierException(source + ": the model has no output '" + m.outputs().get(0).name() + "'");
        }
        long[] shape = ((TensorInfo) out.getInfo()).getShape();
        if (shape.length != 2 || shape[1] != CLASSES) {
            throw new BeatClassifierException(source + ": output shape " + Arrays.toString(shape) + " is not [batch, "
                    + CLASSES + "]");
        }
    }

    private static boolean sameShape(long[] model, long[] manifest) {
        if (model.length != manifest.length) {
            return false;
        }
        for (int i = 0; i < model.length; i++) {
            boolean dynamic = model[i] < 0 && manifest[i] < 0;
            if (!dynamic && model[i] != manifest[i]) {
                return false;
            }
        }
        return true;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        capacity = Math.max(n, capacity * 2);
        windowBuffer = ByteBuffer.allocateDirect(capacity * BeatFeatures.CHANNELS * BeatFeatures.WINDOW * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        rrBuffer = ByteBuffer.allocateDirect(capacity * BeatFeatures.RR_FEATURES * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void classify(float[] windows, float[] rr, int n, float[] probsOut) throws BeatClassifierException {
        int win = BeatFeatures.CHANNELS * BeatFeatures.WINDOW;
        if (n < 1 || windows.length < n * win || rr.length < n * BeatFeatures.RR_FEATURES
                || probsOut.length < n * CLASSES) {
            throw new IllegalArgumentException("batch of " + n + " beats needs " + n * win + " window values, "
                    + n * BeatFeatures.RR_FEATURES + " RR values and room for " + n * CLASSES + " probabilities");
        }
        ensureCapacity(n);
        windowBuffer.clear();
        windowBuffer.put(windows, 0, n * win).flip();
        rrBuffer.clear();
        rrBuffer.put(rr, 0, n * BeatFeatures.RR_FEATURES).flip();
        try (OnnxTensor w = OnnxTensor.createTensor(env, windowBuffer,
                new long[] {n, BeatFeatures.CHANNELS, BeatFeatures.WINDOW});
             OnnxTensor r = OnnxTensor.createTensor(env, rrBuffer, new long[] {n, BeatFeatures.RR_FEATURES});
             OrtSession.Result result = session.run(Map.of(windowInput, w, rrInput, r))) {
            FloatBuffer probs = ((OnnxTensor) result.get(0)).getFloatBuffer();
            probs.get(probsOut, 0, n * CLASSES);
        } catch (OrtException e) {
            throw new BeatClassifierException("model " + manifest.name() + " failed on a batch of " + n + ": "
                    + e.getMessage(), e);
        }
    }

    /** The execution provider in use: {@code tensorrt}, {@code cuda} or {@code cpu}. */
    public String provider() {
        return provider;
    }

    /** Why each provider tried before {@link #provider()} was skipped, in order. */
    public List<String> providerAttempts() {
        return attempts;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public String description() {
        return manifest.name() + " " + manifest.version() + " on " + provider;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the ONNX session failed: {0}", e.getMessage());
        }
    }

    /** Index of the most probable class of beat {@code i} in {@code probs}. */
    public static int argmax(float[] probs, int i) {
        int best = 0;
        for (int c = 1; c < CLASSES; c++) {
            if (probs[i * CLASSES + c] > probs[i * CLASSES + best]) {
                best = c;
            }
        }
        return best;
    }
}
