package org.cardiogate.gateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.cardiogate.inference.RhythmLimits;
import org.cardiogate.sensor.board.BoardWiring;

/**
 * Reads the YAML configuration file into a {@link GatewayConfig}. Missing keys take the documented defaults (those
 * of {@link GatewayConfig#demo(Path)}); unknown keys and bad values are rejected with a {@link ConfigException} that
 * names the file and the key.
 */
public final class ConfigLoader {
    private static final Map<String, Set<String>> KEYS = Map.of(
            "gateway", Set.of("id", "dataDir"),
            "source", Set.of("type", "heartRateBpm", "seed", "record"),
            "dsp", Set.of("mainsHz"),
            "alarms", Set.of("bradyBpm", "tachyBpm", "pauseSeconds", "asystoleSeconds", "sustainSeconds", "hysteresisBpm"),
            "mqtt", Set.of("embeddedBroker", "embeddedPort", "serverUri", "username", "passwordFile", "waveforms",
                    "outboxBudgetMb", "tlsCaFile", "tlsClientCertFile", "tlsClientKeyFile", "commandTokensFile",
                    "commandsAllowed"),
            "ui", Set.of("enabled", "host", "port", "tlsCertificateFile", "tlsKeyFile", "metricsTokenFile",
                    "sessionIdleMinutes"),
            "inference", Set.of("enabled", "providers", "tensorrtFp16", "engineCache", "modelManifest"),
            "storage", Set.of("rawDays", "trendDays", "recordDays", "maxMb"),
            "recording", Set.of("continuous", "maxFileMinutes", "maxFileMb", "retainFiles", "retainDays"),
            "sensors", Set.of("gpioChip", "ads129x", "max30102", "max86150", "lsm6dso", "serialBoard"));

    /** Keys of each device under {@code sensors} (see {@link BoardWiring}). */
    private static final Map<String, Set<String>> DEVICE_KEYS = Map.of(
            "ads129x", Set.of("model", "streamId", "spiBus", "chipSelect", "spiHz", "drdyGpio", "rateSps", "gain",
                    "leadNames"),
            "max30102", Set.of("streamId", "i2cBus", "address", "rateHz", "ledCurrentMa"),
            "max86150", Set.of("ecgStreamId", "ppgStreamId", "ecg", "ppg", "i2cBus", "address", "rateSps", "ecgLead",
                    "ledCurrentMa"),
            "lsm6dso", Set.of("streamId", "i2cBus", "address", "odrHz", "axis", "inverted"),
            "serialBoard", Set.of("streamId", "port", "protocol", "baud"));

    private ConfigLoader() {
    }

    public static GatewayConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static GatewayConfig parse(String yaml, String sourceName) throws ConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(sourceName + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new ObjectMapper().createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(sourceName + ": the top level must be a mapping of sections");
        }
        checkKeys((ObjectNode) root, sourceName);
        GatewayConfig d = GatewayConfig.demo(Path.of("data"));
        Section s = new Section(root, sourceName);
        try {
            var gateway = new GatewayConfig.Gateway(s.text("gateway", "id", d.gateway().id()),
                    Path.of(s.text("gateway", "dataDir", d.gateway().dataDir().toString())));
            var source = new GatewayConfig.Source(s.text("source", "type", d.source().type()),
                    s.number("source", "heartRateBpm", d.source().heartRateBpm()),
                    (long) s.number("source", "seed", d.source().seed()), path(s.text("source", "record", null)));
            var dsp = new GatewayConfig.Dsp((int) s.integer("dsp", "mainsHz", d.dsp().mainsHz()));
            RhythmLimits a = d.alarms();
            var alarms = new RhythmLimits(s.number("alarms", "bradyBpm", a.bradyBpm()),
                    s.number("alarms", "tachyBpm", a.tachyBpm()),
                    s.number("alarms", "pauseSeconds", a.pauseSeconds()),
                    s.number("alarms", "asystoleSeconds", a.asystoleSeconds()),
                    s.number("alarms", "sustainSeconds", a.sustainSeconds()),
                    s.number("alarms", "hysteresisBpm", a.hysteresisBpm()));
            String pw = s.text("mqtt", "passwordFile", null);
            var mqtt = new GatewayConfig.Mqtt(s.bool("mqtt", "embeddedBroker", d.mqtt().embeddedBroker()),
                    (int) s.integer("mqtt", "embeddedPort", d.mqtt().embeddedPort()),
                    s.text("mqtt", "serverUri", null), s.text("mqtt", "username", null), pw == null ? null : Path.of(pw),
                    s.bool("mqtt", "waveforms", d.mqtt().waveforms()),
                    (int) s.integer("mqtt", "outboxBudgetMb", d.mqtt().outboxBudgetMb()),
                    path(s.text("mqtt", "tlsCaFile", null)), path(s.text("mqtt", "tlsClientCertFile", null)),
                    path(s.text("mqtt", "tlsClientKeyFile", null)), path(s.text("mqtt", "commandTokensFile", null)),
                    s.text("mqtt", "commandsAllowed", null));
            var ui = new GatewayConfig.Ui(s.bool("ui", "enabled", d.ui().enabled()), s.text("ui", "host", d.ui().host()),
                    (int) s.integer("ui", "port", d.ui().port()), path(s.text("ui", "tlsCertificateFile", null)),
                    path(s.text("ui", "tlsKeyFile", null)), path(s.text("ui", "metricsTokenFile", null)),
                    (int) s.integer("ui", "sessionIdleMinutes", d.ui().sessionIdleMinutes()));
            var in = GatewayConfig.Inference.DEFAULTS;
            var inference = new GatewayConfig.Inference(s.bool("inference", "enabled", in.enabled()),
                    s.text("inference", "providers", in.providers()), s.bool("inference", "tensorrtFp16", in.tensorrtFp16()),
                    path(s.text("inference", "engineCache", null)), path(s.text("inference", "modelManifest", null)));
            var st = GatewayConfig.Storage.DEFAULTS;
            var storage = new GatewayConfig.Storage((int) s.integer("storage", "rawDays", st.rawDays()),
                    (int) s.integer("storage", "trendDays", st.trendDays()),
                    (int) s.integer("storage", "recordDays", st.recordDays()), (int) s.integer("storage", "maxMb", st.maxMb()));
            var rc = GatewayConfig.Recording.DEFAULTS;
            var recording = new GatewayConfig.Recording(s.bool("recording", "continuous", rc.continuous()),
                    (int) s.integer("recording", "maxFileMinutes", rc.maxFileMinutes()),
                    (int) s.integer("recording", "maxFileMb", rc.maxFileMb()),
                    (int) s.integer("recording", "retainFiles", rc.retainFiles()),
                    (int) s.integer("recording", "retainDays", rc.retainDays()));
            BoardWiring sensors = sensors(s);
            return new GatewayConfig(gateway, source, dsp, alarms, mqtt, ui, inference, storage, recording, sensors);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(sourceName + ": " + e.getMessage(), e);
        }
    }

    /** The {@code sensors} section as a {@link BoardWiring}, or null when absent; every message names its key. */
    private static BoardWiring sensors(Section s) {
        JsonNode node = s.root().get("sensors");
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            Device ads = s.device("ads129x");
            Device max30102 = s.device("max30102");
            Device max86150 = s.device("max86150");
            Device lsm = s.device("lsm6dso");
            Device serial = s.device("serialBoard");
            return new BoardWiring(s.text("sensors", "gpioChip", null),
                    ads == null ? null : new BoardWiring.Ads129xWiring(ads.model(), ads.text("streamId"),
                            ads.required("spiBus"), ads.required("chipSelect"), ads.integer("spiHz"),
                            ads.required("drdyGpio"), ads.integer("rateSps"), ads.integer("gain"), ads.list("leadNames")),
                    max30102 == null ? null : new BoardWiring.Max30102Wiring(max30102.text("streamId"),
                            max30102.required("i2cBus"), max30102.integer("address"), max30102.integer("rateHz"),
                            max30102.number("ledCurrentMa")),
                    max86150 == null ? null : new BoardWiring.Max86150Wiring(max86150.text("ecgStreamId"),
                            max86150.text("ppgStreamId"), max86150.bool("ecg"), max86150.bool("ppg"),
                            max86150.required("i2cBus"), max86150.integer("address"), max86150.integer("rateSps"),
                            max86150.text("ecgLead"), max86150.number("ledCurrentMa")),
                    lsm == null ? null : new BoardWiring.Lsm6dsoWiring(lsm.text("streamId"), lsm.required("i2cBus"),
                            lsm.integer("address"), lsm.integer("odrHz"), lsm.axis(), lsm.bool("inverted")),
                    serial == null ? null : new BoardWiring.SerialBoardWiring(serial.text("streamId"),
                            serial.text("port"), serial.protocol(), serial.integer("baud")));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            // BoardWiring names fields relative to the section (ads129x.spiBus): say where they sit in the file
            String where = m != null && m.matches("(?s)(gpioChip|ads129x|max30102|max86150|lsm6dso|serialBoard)\\b.*")
                    ? "sensors." : m != null && m.startsWith("sensors.") ? "" : "sensors: ";
            throw new IllegalArgumentException(where + m, e);
        }
    }

    private static Path path(String text) {
        return text == null ? null : Path.of(text);
    }

    private static void checkKeys(ObjectNode root, String sourceName) throws ConfigException {
        List<String> problems = new ArrayList<>();
        JsonNode sensors = root.get("sensors");
        if (sensors != null && sensors.isObject()) {
            for (Map.Entry<String, Set<String>> device : DEVICE_KEYS.entrySet()) {
                JsonNode d = sensors.get(device.getKey());
                if (d == null || d.isNull()) {
                    continue;
                }
                if (!d.isObject()) {
                    problems.add("'sensors." + device.getKey() + "' must be a mapping of keys");
                    continue;
                }
                for (Iterator<String> keys = d.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    if (!device.getValue().contains(key)) {
                        problems.add("unknown key 'sensors." + device.getKey() + "." + key + "' (known in sensors."
                                + device.getKey() + ": " + String.join(", ", device.getValue().stream().sorted().toList())
                                + ")");
                    }
                }
            }
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String section = it.next();
            Set<String> allowed = KEYS.get(section);
            if (allowed == null) {
                problems.add("unknown section '" + section + "' (known: " + String.join(", ", KEYS.keySet().stream().sorted().toList()) + ")");
                continue;
            }
            JsonNode node = root.get(section);
            if (node.isNull()) {
                continue;
            }
            if (!node.isObject()) {
                problems.add("'" + section + "' must be a mapping of keys");
                continue;
            }
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!allowed.contains(key)) {
                    problems.add("unknown key '" + section + "." + key + "' (known in " + section + ": "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(sourceName + ": " + String.join("; ", problems));
        }
    }

    /** Typed access to {@code sensors.<device>.key} with the key named in every error. */
    private record Device(JsonNode node, String name) {
        private JsonNode value(String key) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : v;
        }

        private String where(String key) {
            return "sensors." + name + "." + key;
        }

        String text(String key) {
            JsonNode v = value(key);
            if (v != null && !v.isValueNode()) {
                throw new IllegalArgumentException(where(key) + " must be a single value");
            }
            return v == null ? null : v.asText();
        }

        /** A whole number, written in decimal or as hex ({@code 0x57}, the way datasheets give I2C addresses). */
        Integer integer(String key) {
            JsonNode v = value(key);
            if (v == null) {
                return null;
            }
            if (v.isIntegralNumber() && v.canConvertToInt()) {
                return v.asInt();
            }
            String t = v.asText().strip();
            try {
                if (v.isTextual() && t.matches("0[xX][0-9a-fA-F]+")) {
                    return Integer.parseInt(t.substring(2), 16);
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
            throw new IllegalArgumentException(where(key) + " must be a whole number (decimal or 0x hex), got '" + t + "'");
        }

        int required(String key) {
            Integer v = integer(key);
            if (v == null) {
                throw new IllegalArgumentException(where(key) + " is required");
            }
            return v;
        }

        Double number(String key) {
            JsonNode v = value(key);
            if (v == null) {
                return null;
            }
            if (!v.isNumber()) {
                throw new IllegalArgumentException(where(key) + " must be a number, got '" + v.asText() + "'");
            }
            return v.asDouble();
        }

        Boolean bool(String key) {
            JsonNode v = value(key);
            if (v == null) {
                return null;
            }
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(where(key) + " must be true or false, got '" + v.asText() + "'");
            }
            return v.asBoolean();
        }

        List<String> list(String key) {
            JsonNode v = value(key);
            if (v == null) {
                return null;
            }
            if (!v.isArray()) {
                throw new IllegalArgumentException(where(key) + " must be a list, e.g. [I, II, V1]");
            }
            List<String> out = new ArrayList<>();
            v.forEach(e -> out.add(e.asText()));
            return out;
        }

        org.cardiogate.sensor.ads129x.Ads129xModel model() {
            String t = text("model");
            if (t == null) {
                return null;
            }
            try {
                return org.cardiogate.sensor.ads129x.Ads129xModel.valueOf(t.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where("model") + " must be ADS1292R or ADS1298, got '" + t + "'", e);
            }
        }

        org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig.Axis axis() {
            String t = text("axis");
            if (t == null) {
                return null;
            }
            try {
                return org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig.Axis.valueOf(t.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where("axis") + " must be x, y or z, got '" + t + "'", e);
            }
        }

        BoardWiring.SerialProtocol protocol() {
            String t = text("protocol");
            if (t == null) {
                throw new IllegalArgumentException(where("protocol") + " is required: cyton or framed");
            }
            try {
                return BoardWiring.SerialProtocol.parse(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where("protocol") + " must be cyton or framed, got '" + t + "'", e);
            }
        }
    }

    /** Typed access to {@code section.key} with the key named in every error. */
    private record Section(JsonNode root, String sourceName) {
        /** The device mapping {@code sensors.<name>}, or null when it is not fitted. */
        Device device(String name) {
            JsonNode d = node("sensors", name);
            return d == null ? null : new Device(d, name);
        }

        JsonNode node(String section, String key) {
            JsonNode s = root.get(section);
            JsonNode v = s == null ? null : s.get(key);
            return v == null || v.isNull() ? null : v;
        }

        String text(String section, String key, String dflt) {
            JsonNode v = node(section, key);
            if (v == null) {
                return dflt;
            }
            if (!v.isValueNode()) {
                throw new IllegalArgumentException(section + "." + key + " must be a single value");
            }
            return v.asText();
        }

        double number(String section, String key, double dflt) {
            JsonNode v = node(section, key);
            if (v == null) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw new IllegalArgumentException(section + "." + key + " must be a number, got '" + v.asText() + "'");
            }
            return v.asDouble();
        }

        long integer(String section, String key, long dflt) {
            JsonNode v = node(section, key);
            if (v == null) {
                return dflt;
            }
            if (!v.isIntegralNumber()) {
                throw new IllegalArgumentException(section + "." + key + " must be a whole number, got '" + v.asText() + "'");
            }
            return v.asLong();
        }

        boolean bool(String section, String key, boolean dflt) {
            JsonNode v = node(section, key);
            if (v == null) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(section + "." + key + " must be true or false, got '" + v.asText() + "'");
            }
            return v.asBoolean();
        }
    }
}
