package org.cardiogate.gateway.page;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.cardiogate.dsp.latency.LatencyStats;
import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.gateway.pipeline.Pipeline;
import org.cardiogate.inference.RhythmLimits;
import org.cardiogate.mqtt.MqttPublisher;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.ui.ConfigControl;
import org.cardiogate.ui.ConfigField;
import org.cardiogate.ui.ConfigResult;
import org.cardiogate.ui.ConfigSection;
import org.cardiogate.ui.GatewayStatus;
import org.cardiogate.ui.MqttStatus;
import org.cardiogate.ui.SensorStatus;
import org.cardiogate.ui.StatusSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway plugs into the local page: the status of sensors, MQTT link and DSP, and the configuration
 * form. Alarm limits are validated by the same records as the configuration file and applied live; the other
 * sections are shown read-only (they take effect at restart, from the file). Called from HTTP request threads.
 */
public final class PageHooks implements StatusSource, ConfigControl {
    private static final Logger LOG = LoggerFactory.getLogger(PageHooks.class);
    private static final long STALE_NANOS = 2_000_000_000L;

    private final GatewayConfig config;
    private final Pipeline pipeline;
    private final MqttPublisher publisher;
    private final String brokerUri;
    private final Supplier<String> inferenceProvider;
    private final Map<String, long[]> lastRate = new HashMap<>();

    public PageHooks(GatewayConfig config, Pipeline pipeline, MqttPublisher publisher, String brokerUri,
                     Supplier<String> inferenceProvider) {
        this.config = config;
        this.pipeline = pipeline;
        this.publisher = publisher;
        this.brokerUri = brokerUri;
        this.inferenceProvider = inferenceProvider;
    }

    @Override
    public synchronized GatewayStatus status() {
        long now = MonotonicClock.SYSTEM.nanoTime();
        List<SensorStatus> sensors = new ArrayList<>();
        for (Pipeline.StreamStatus s : pipeline.streamStatus()) {
            String id = s.stream().streamId();
            // samples per second between two status reads at least 0.5 s apart; before that, since the start
            long[] prev = lastRate.get(id);
            double achieved;
            if (prev == null) {
                long since = now - pipeline.startedNanos();
                achieved = since > 500_000_000L ? s.received() * 1e9 / since : Double.NaN;
                lastRate.put(id, new long[] {s.received(), now, Double.doubleToLongBits(achieved)});
            } else if (now - prev[1] > 500_000_000L) {
                achieved = (s.received() - prev[0]) * 1e9 / (now - prev[1]);
                lastRate.put(id, new long[] {s.received(), now, Double.doubleToLongBits(achieved)});
            } else {
                achieved = Double.longBitsToDouble(prev[2]);
            }
            boolean connected = s.lastBlockNanos() != 0 && now - s.lastBlockNanos() < STALE_NANOS;
            sensors.add(new SensorStatus(id, s.stream().sensor(), connected, s.stream().nominalRateHz(), achieved,
                    s.lostSamples(), pipeline.electrodesOff(id), s.quality()));
        }
        MqttStatus mqtt = new MqttStatus(publisher.isConnected(), brokerUri, publisher.pendingCount(),
                publisher.lastAcknowledgement());
        long overruns = pipeline.latency().stream().mapToLong(LatencyStats::overruns).sum();
        return new GatewayStatus(sensors, mqtt, inferenceProvider.get(), overruns);
    }

    @Override
    public List<ConfigSection> current() {
        RhythmLimits a = pipeline.rhythmLimits();
        List<ConfigSection> out = new ArrayList<>();
        out.add(new ConfigSection("gateway", List.of(
                ro("gateway.id", config.gateway().id(), "gateway id (an MQTT topic level)"),
                ro("gateway.dataDir", config.gateway().dataDir().toString(), "database and recordings"))));
        out.add(new ConfigSection("alarms", List.of(
                num("alarms.bradyBpm", a.bradyBpm(), "bradycardia below this rate, bpm"),
                num("alarms.tachyBpm", a.tachyBpm(), "tachycardia above this rate, bpm"),
                num("alarms.pauseSeconds", a.pauseSeconds(), "an RR interval longer than this is a pause, s"),
                num("alarms.asystoleSeconds", a.asystoleSeconds(), "no beat for this long is asystole, s"),
                num("alarms.sustainSeconds", a.sustainSeconds(), "a rate condition must hold this long, s"),
                num("alarms.hysteresisBpm", a.hysteresisBpm(), "a rate condition clears this far inside the limit, bpm"))));
        out.add(new ConfigSection("dsp", List.of(
                ro("dsp.mainsHz", Integer.toString(config.dsp().mainsHz()), "power-line frequency, Hz"))));
        out.add(new ConfigSection("mqtt", List.of(
                ro("mqtt.broker", brokerUri, "the broker in use"),
                ro("mqtt.waveforms", Boolean.toString(config.mqtt().waveforms()), "raw waveforms are published"))));
        out.add(new ConfigSection("ui", List.of(
                ro("ui.host", config.ui().host(), "address the page is served on"),
                ro("ui.port", Integer.toString(config.ui().port()), "port"))));
        return out;
    }

    @Override
    public ConfigResult apply(Map<String, String> changes, String user) {
        RhythmLimits a = pipeline.rhythmLimits();
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("alarms.bradyBpm", a.bradyBpm());
        v.put("alarms.tachyBpm", a.tachyBpm());
        v.put("alarms.pauseSeconds", a.pauseSeconds());
        v.put("alarms.asystoleSeconds", a.asystoleSeconds());
        v.put("alarms.sustainSeconds", a.sustainSeconds());
        v.put("alarms.hysteresisBpm", a.hysteresisBpm());
        Map<String, String> errors = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : changes.entrySet()) {
            if (!v.containsKey(c.getKey())) {
                errors.put(c.getKey(), "cannot be changed while running; edit the configuration file and restart");
                continue;
            }
            try {
                double d = Double.parseDouble(c.getValue().trim());
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                v.put(c.getKey(), d);
            } catch (NumberFormatException e) {
                errors.put(c.getKey(), "must be a number, got '" + c.getValue() + "'");
            }
        }
        if (!errors.isEmpty()) {
            return ConfigResult.invalid(errors);
        }
        RhythmLimits next;
        try {
            next = new RhythmLimits(v.get("alarms.bradyBpm"), v.get("alarms.tachyBpm"), v.get("alarms.pauseSeconds"),
                    v.get("alarms.asystoleSeconds"), v.get("alarms.sustainSeconds"), v.get("alarms.hysteresisBpm"));
        } catch (IllegalArgumentException e) {
            // the message starts with the key, e.g. "alarms.tachyBpm must be between 60.0 and 300.0, got 20.0"
            String msg = e.getMessage();
            String key = msg.split(" ")[0].replaceAll("[^A-Za-z.]", "");
            if (!v.containsKey(key)) {
                key = changes.keySet().iterator().next();
            }
            return ConfigResult.invalid(Map.of(key, msg.substring(msg.indexOf(' ') + 1)));
        }
        pipeline.setRhythmLimits(next);
        LOG.info("user '{}' changed alarm limits: {}", user, String.format(Locale.ROOT, "%s", changes));
        return ConfigResult.ok();
    }

    /** A field's name within its section: {@code alarms.tachyBpm} is field {@code tachyBpm} of section alarms. */
    private static String inSection(String key) {
        return key.substring(key.indexOf('.') + 1);
    }

    private static ConfigField ro(String key, String value, String help) {
        return new ConfigField(inSection(key), ConfigField.Type.TEXT, value, help, false);
    }

    private static ConfigField num(String key, double value, String help) {
        return new ConfigField(inSection(key), ConfigField.Type.NUMBER, value == Math.rint(value)
                ? Long.toString((long) value) : Double.toString(value), help, true);
    }
}
