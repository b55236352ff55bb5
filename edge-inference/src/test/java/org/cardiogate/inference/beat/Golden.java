package org.cardiogate.inference.beat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The golden beats written by {@code training/train_beat_classifier.py}: DS1 features and the PyTorch outputs. */
record Golden(String record, long rSample, String label, float[] window, float[] rr, float[] probs) {

    static List<Golden> load() throws IOException {
        try (InputStream in = Golden.class.getResourceAsStream("/models/beat-classifier-golden.json")) {
            if (in == null) {
                throw new IOException("test resource /models/beat-classifier-golden.json is missing");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Golden> out = new ArrayList<>();
            for (JsonNode b : root.get("beats")) {
                out.add(new Golden(b.get("record").asText(), b.get("rSample").asLong(), b.get("label").asText(),
                        floats(b.get("window")), floats(b.get("rr")), floats(b.get("probs"))));
            }
            return out;
        }
    }

    static String modelSha() throws IOException {
        try (InputStream in = Golden.class.getResourceAsStream("/models/beat-classifier-golden.json")) {
            return new ObjectMapper().readTree(in).get("model_sha256").asText();
        }
    }

    /** The detector's R peaks of {@code record} when the training data was exported, or null if not recorded. */
    static long[] detected(String record) throws IOException {
        try (InputStream in = Golden.class.getResourceAsStream("/models/beat-classifier-golden.json")) {
            JsonNode a = new ObjectMapper().readTree(in).path("detected").get(record);
            if (a == null) {
                return null;
            }
            long[] r = new long[a.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = a.get(i).asLong();
            }
            return r;
        }
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }
}
