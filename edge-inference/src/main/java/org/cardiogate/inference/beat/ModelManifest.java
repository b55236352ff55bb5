package org.cardiogate.inference.beat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The manifest shipped beside a model file ({@code <name>.json} next to {@code <name>.onnx}): what the model
 * expects and the SHA-256 that ties the manifest to one exact file.
 *
 * @param name          model name
 * @param version       model version
 * @param file          model file name, relative to the manifest
 * @param sha256        lower-case hex SHA-256 of the model file
 * @param inputs        input tensors in order; a dimension of -1 is the batch
 * @param outputs       output tensors
 * @param sampleRateHz  rate of the window input
 * @param windowStart   window start relative to R, seconds (negative: before R)
 * @param windowEnd     window end relative to R, seconds
 * @param classes       output classes in order
 * @param normalisation how the inputs are normalised, for people
 */
public record ModelManifest(String name, String version, String file, String sha256, List<Tensor> inputs,
                            List<Tensor> outputs, double sampleRateHz, double windowStart, double windowEnd,
                            List<String> classes, String normalisation) {

    /** One tensor: name and shape, -1 for the batch dimension. */
    public record Tensor(String name, long[] shape) {
        public Tensor {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + java.util.Arrays.toString(shape);
        }
    }

    public ModelManifest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        classes = List.copyOf(classes);
    }

    /** Parses a manifest; {@code source} names it in errors. */
    public static ModelManifest read(InputStream in, String source) throws BeatClassifierException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new BeatClassifierException(source + ": not a readable JSON manifest: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BeatClassifierException(source + ": the manifest must be a JSON object");
        }
        String sha = text(root, "sha256", source).toLowerCase(Locale.ROOT);
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new BeatClassifierException(source + ": field 'sha256' must be 64 hex digits, got '" + sha + "'");
        }
        JsonNode window = root.get("windowSeconds");
        if (window == null || !window.isArray() || window.size() != 2) {
            throw new BeatClassifierException(source + ": field 'windowSeconds' must be [start, end] in seconds");
        }
        List<String> classes = new ArrayList<>();
        JsonNode cl = root.get("classes");
        if (cl == null || !cl.isArray() || cl.isEmpty()) {
            throw new BeatClassifierException(source + ": field 'classes' must be a non-empty array");
        }
        cl.forEach(c -> classes.add(c.asText()));
        return new ModelManifest(text(root, "name", source), text(root, "version", source), text(root, "file", source),
                sha, tensors(root, "inputs", source), tensors(root, "outputs", source),
                number(root, "sampleRateHz", source), window.get(0).asDouble(), window.get(1).asDouble(), classes,
                root.path("normalisation").asText(""));
    }

    private static List<Tensor> tensors(JsonNode root, String field, String source) throws BeatClassifierException {
        JsonNode arr = root.get(field);
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new BeatClassifierException(source + ": field '" + field + "' must be a non-empty array of tensors");
        }
        List<Tensor> out = new ArrayList<>();
        for (JsonNode t : arr) {
            JsonNode shape = t.get("shape");
            if (!t.hasNonNull("name") || shape == null || !shape.isArray()) {
                throw new BeatClassifierException(source + ": each entry of '" + field + "' needs 'name' and 'shape'");
            }
            long[] s = new long[shape.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = shape.get(i).asLong();
            }
            out.add(new Tensor(t.get("name").asText(), s));
        }
        return out;
    }

    private static String text(JsonNode root, String field, String source) throws BeatClassifierException {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new BeatClassifierException(source + ": field '" + field + "' is missing or empty");
        }
        return n.asText();
    }

    private static double number(JsonNode root, String field, String source) throws BeatClassifierException {
        JsonNode n = root.get(field);
        if (n == null || !n.isNumber()) {
            throw new BeatClassifierException(source + ": field '" + field + "' must be a number");
        }
        return n.asDouble();
    }
}
