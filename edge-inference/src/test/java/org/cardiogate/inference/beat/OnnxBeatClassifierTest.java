package org.cardiogate.inference.beat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBeatClassifierTest {
    @TempDir
    Path tmp;

    private Path copyModel() throws IOException {
        for (String f : List.of("beat-classifier.json", "beat-classifier.onnx")) {
            try (InputStream in = getClass().getResourceAsStream("/models/" + f)) {
                Files.copy(in, tmp.resolve(f));
            }
        }
        return tmp.resolve("beat-classifier.json");
    }

    @Test
    void fallsBackFromTensorrtAndCudaToCpuAndRecordsWhy() throws Exception {
        assumeTrue(!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime build has CUDA; the fallback test needs the CPU-only jar");
        InferenceConfig cfg = new InferenceConfig(List.of("tensorrt", "cuda", "cpu"), 0, true, tmp.resolve("trt"), 1);
        try (OnnxBeatClassifier c = OnnxBeatClassifier.loadDefault(cfg)) {
            assertThat(c.provider()).isEqualTo("cpu");
            assertThat(c.providerAttempts()).hasSize(2);
            assertThat(c.providerAttempts().get(0)).startsWith("tensorrt unavailable: ");
            assertThat(c.providerAttempts().get(1)).startsWith("cuda unavailable: ");
            assertThat(c.description()).endsWith("on cpu");
        }
    }

    @Test
    void failsClearlyWhenNoProviderOfTheChainIsAvailable() {
        assumeTrue(!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime build has CUDA");
        assertThatThrownBy(() -> OnnxBeatClassifier.loadDefault(InferenceConfig.of(List.of("tensorrt", "cuda"))))
                .isInstanceOf(BeatClassifierException.class)
                .hasMessageContaining("none of the execution providers [tensorrt, cuda] is available")
                .hasMessageContaining("cuda unavailable");
    }

    @Test
    void rejectsAModelWhoseHashDiffersFromTheManifest() throws Exception {
        Path manifest = copyModel();
        Path model = tmp.resolve("beat-classifier.onnx");
        byte[] b = Files.readAllBytes(model);
        b[b.length - 1] ^= 1;
        Files.write(model, b);
        assertThatThrownBy(() -> OnnxBeatClassifier.load(manifest, InferenceConfig.CPU))
                .isInstanceOf(BeatClassifierException.class)
                .hasMessageContaining(model.toString())
                .hasMessageContaining("does not match the manifest's");
    }

    @Test
    void rejectsAManifestWhoseInputShapeDiffersFromTheFeatures() throws Exception {
        Path manifest = copyModel();
        String json = Files.readString(manifest).replaceFirst("\\[\\s*-1,\\s*2,\\s*117\\s*]", "[-1, 2, 100]");
        Files.writeString(manifest, json);
        assertThatThrownBy(() -> OnnxBeatClassifier.load(manifest, InferenceConfig.CPU))
                .isInstanceOf(BeatClassifierException.class)
                .hasMessageContaining("do not match the features");
    }

    @Test
    void rejectsAManifestWithOtherClasses() throws Exception {
        Path manifest = copyModel();
        Files.writeString(manifest, Files.readString(manifest).replace("\"Q\"", "\"X\""));
        assertThatThrownBy(() -> OnnxBeatClassifier.load(manifest, InferenceConfig.CPU))
                .isInstanceOf(BeatClassifierException.class)
                .hasMessageContaining("classes [N, S, V, F, X]");
    }

    @Test
    void namesTheMissingModelFile() throws Exception {
        Path manifest = copyModel();
        Files.delete(tmp.resolve("beat-classifier.onnx"));
        assertThatThrownBy(() -> OnnxBeatClassifier.load(manifest, InferenceConfig.CPU))
                .isInstanceOf(BeatClassifierException.class)
                .hasMessageContaining("beat-classifier.onnx")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> OnnxBeatClassifier.load(tmp.resolve("nothing.json"), InferenceConfig.CPU))
                .hasMessageContaining("nothing.json does not exist");
    }

    @Test
    void rejectsAnUnknownProviderName() {
        assertThatThrownBy(() -> InferenceConfig.of(List.of("cpu", "npu")))
                .hasMessageContaining("unknown provider 'npu'");
    }

    @Test
    void classifiesTheGoldenBeatsAsThePythonExportDid() throws Exception {
        List<Golden> golden = Golden.load();
        assertThat(golden).hasSize(20);
        int n = golden.size();
        int win = BeatFeatures.CHANNELS * BeatFeatures.WINDOW;
        float[] w = new float[n * win];
        float[] r = new float[n * BeatFeatures.RR_FEATURES];
        for (int i = 0; i < n; i++) {
            System.arraycopy(golden.get(i).window(), 0, w, i * win, win);
            System.arraycopy(golden.get(i).rr(), 0, r, i * BeatFeatures.RR_FEATURES, BeatFeatures.RR_FEATURES);
        }
        float[] p = new float[n * 5];
        try (OnnxBeatClassifier c = OnnxBeatClassifier.loadDefault(InferenceConfig.CPU)) {
            assertThat(c.manifest().sha256()).isEqualTo(Golden.modelSha());
            c.classify(w, r, n, p);
            float[] single = new float[5];
            c.classify(golden.get(3).window(), golden.get(3).rr(), 1, single);
            for (int k = 0; k < 5; k++) {
                assertThat(single[k]).isCloseTo(golden.get(3).probs()[k], within(1e-4f));
            }
        }
        int agree = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 5; k++) {
                assertThat(p[i * 5 + k]).as("beat %d class %d", i, k).isCloseTo(golden.get(i).probs()[k], within(1e-4f));
            }
            if (AamiClass.values()[OnnxBeatClassifier.argmax(p, i)].name().equals(golden.get(i).label())) {
                agree++;
            }
        }
        assertThat(agree).as("golden beats classified as their reference label").isGreaterThanOrEqualTo(10);
    }

    /**
     * The timing evidence the model was built around (the network's RR branch and the irregularity gate): the same normal
     * beat shape with a premature interval followed by a pause is less likely N and more likely ectopic than with
     * the patient's regular interval; in an irregular rhythm (above every candidate gate) it is never S.
     */
    @Test
    void aPrematureIntervalMakesTheSameBeatMoreLikelyEctopicAndAnIrregularRhythmRulesOutS() throws Exception {
        Golden normal = Golden.load().stream().filter(g -> g.label().equals("N") && g.rr()[10] < 0.1).findFirst()
                .orElseThrow();
        //                  prev/loc next/loc prev/long next/long loc/long prev s next/prev, then rr[7..11]
        float[] regular = {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 0.80f, 1.0f, 1.0f, 1.0f, 0.0f, 0.03f, 1.0f};
        float[] premature = {0.7f, 1.2f, 0.7f, 1.2f, 1.0f, 0.56f, 1.71f, 0.7f, 1.2f, -0.24f, 0.03f, 0.7f};
        float[] irregular = premature.clone();
        irregular[10] = 0.35f;
        float[] p = new float[3 * 5];
        float[] w = new float[3 * normal.window().length];
        float[] r = new float[3 * BeatFeatures.RR_FEATURES];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(normal.window(), 0, w, i * normal.window().length, normal.window().length);
        }
        System.arraycopy(regular, 0, r, 0, 12);
        System.arraycopy(premature, 0, r, 12, 12);
        System.arraycopy(irregular, 0, r, 24, 12);
        try (OnnxBeatClassifier c = OnnxBeatClassifier.loadDefault(InferenceConfig.CPU)) {
            c.classify(w, r, 3, p);
        }
        assertThat(p[5]).as("P(N), premature").isLessThan(p[0]);
        assertThat(p[5 + 1] + p[5 + 2]).as("P(S)+P(V), premature").isGreaterThan(p[1] + p[2]);
        assertThat(p[10 + 1]).as("P(S) in an irregular rhythm").isLessThan(1e-6f);
    }

    @Test
    void computesTheGoldenBeatsFeaturesFromTheRecordAsTheTrainingExportDid() throws Exception {
        String shared = System.getProperty("cardiogate.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "data", "mitdb")),
                "reference recordings not found (system property cardiogate.shared): skipping");
        List<Golden> golden = Golden.load();
        String record = golden.get(0).record();
        WfdbRecord rec = WfdbRecord.read(Path.of(shared, "data", "mitdb", record));
        long[] exported = Golden.detected(record);
        assertThat(exported).as("R peaks of %s in the golden file", record).isNotNull();
        RecordFeatures f = RecordFeatures.ofPeaks(record, rec.samplingFrequency(), rec.physical(0), exported);
        int checked = 0;
        int win = BeatFeatures.CHANNELS * BeatFeatures.WINDOW;
        for (Golden b : golden) {
            if (!b.record().equals(record)) {
                continue;
            }
            int i = Arrays.binarySearch(f.rSamples(), b.rSample());
            assertThat(i).as("beat at %d found", b.rSample()).isGreaterThanOrEqualTo(0);
            for (int k = 0; k < win; k++) {
                assertThat(f.windows()[i * win + k]).isCloseTo(b.window()[k], within(1e-5f));
            }
            for (int k = 0; k < BeatFeatures.RR_FEATURES; k++) {
                assertThat(f.rr()[i * BeatFeatures.RR_FEATURES + k]).isCloseTo(b.rr()[k], within(1e-5f));
            }
            checked++;
        }
        assertThat(checked).isPositive();
        // the live detector still finds (almost) the beats the model was trained on
        RecordFeatures live = RecordFeatures.of(Path.of(shared, "data", "mitdb", record));
        long same = Arrays.stream(exported).filter(r -> Arrays.binarySearch(live.detected(), r) >= 0).count();
        assertThat((double) same / exported.length).as("share of exported beats the detector reports today")
                .isGreaterThan(0.98);
    }
}
