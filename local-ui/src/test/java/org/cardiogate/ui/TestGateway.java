package org.cardiogate.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small working implementations of the gateway-side interfaces, for tests: alarms that can be raised and record
 * every acknowledge and silence call, a configuration with real range checks, recordings written as files.
 */
final class TestGateway {
    private TestGateway() {
    }

    /** Alarm list kept in memory; every call to {@link #acknowledge} and {@link #silence} is recorded. */
    static final class Alarms implements AlarmControl {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final Map<String, ActiveAlarm> active = new LinkedHashMap<>();

        synchronized void raise(String id, AlarmPriority priority, String condition, String detail) {
            active.put(id, new ActiveAlarm(id, priority, condition, "ecg", Instant.now(), -1, true, false, false,
                    detail));
        }

        @Override
        public synchronized List<ActiveAlarm> active() {
            List<ActiveAlarm> out = new ArrayList<>(active.values());
            out.sort((a, b) -> a.priority().compareTo(b.priority()));
            return out;
        }

        @Override
        public synchronized ActionResult acknowledge(String alarmId, String user) {
            calls.add("ack " + alarmId + " by " + user);
            ActiveAlarm a = active.get(alarmId);
            if (a == null) {
                return ActionResult.refused("no active alarm '" + alarmId + "'");
            }
            active.put(alarmId, new ActiveAlarm(a.id(), a.priority(), a.condition(), a.streamId(), a.onset(),
                    a.onsetSample(), a.latched(), true, a.silenced(), a.detail()));
            return ActionResult.done(alarmId);
        }

        @Override
        public synchronized ActionResult silence(String alarmId, String user) {
            calls.add("silence " + alarmId + " by " + user);
            ActiveAlarm a = active.get(alarmId);
            if (a == null) {
                return ActionResult.refused("no active alarm '" + alarmId + "'");
            }
            active.put(alarmId, new ActiveAlarm(a.id(), a.priority(), a.condition(), a.streamId(), a.onset(),
                    a.onsetSample(), a.latched(), a.acknowledged(), true, a.detail()));
            return ActionResult.done(alarmId);
        }
    }

    /** Two sections with range-checked numbers; applies all changes or none. */
    static final class Config implements ConfigControl {
        private final Map<String, String> values = new LinkedHashMap<>(Map.of());

        Config() {
            values.put("alarms.tachyBpm", "150");
            values.put("alarms.bradyBpm", "40");
            values.put("alarms.audible", "true");
            values.put("ui.host", "127.0.0.1");
        }

        @Override
        public synchronized List<ConfigSection> current() {
            return List.of(
                    new ConfigSection("alarms", List.of(
                            new ConfigField("tachyBpm", ConfigField.Type.NUMBER, values.get("alarms.tachyBpm"),
                                    "bpm, 60..300", true),
                            new ConfigField("bradyBpm", ConfigField.Type.NUMBER, values.get("alarms.bradyBpm"),
                                    "bpm, 20..100", true),
                            new ConfigField("audible", ConfigField.Type.BOOLEAN, values.get("alarms.audible"),
                                    "sound at the bedside", true))),
                    new ConfigSection("ui", List.of(
                            new ConfigField("host", ConfigField.Type.TEXT, values.get("ui.host"),
                                    "needs a restart", false))));
        }

        @Override
        public synchronized ConfigResult apply(Map<String, String> changes, String user) {
            Map<String, String> errors = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : changes.entrySet()) {
                switch (e.getKey()) {
                    case "alarms.tachyBpm" -> range(errors, e.getKey(), e.getValue(), 60, 300);
                    case "alarms.bradyBpm" -> range(errors, e.getKey(), e.getValue(), 20, 100);
                    case "alarms.audible" -> {
                        if (!e.getValue().equals("true") && !e.getValue().equals("false")) {
                            errors.put(e.getKey(), "must be true or false");
                        }
                    }
                    case "ui.host" -> errors.put(e.getKey(), "cannot be changed while running");
                    default -> errors.put(e.getKey(), "is not a setting");
                }
            }
            if (!errors.isEmpty()) {
                return ConfigResult.invalid(errors);
            }
            values.putAll(changes);
            return ConfigResult.ok();
        }

        private static void range(Map<String, String> errors, String key, String value, double lo, double hi) {
            try {
                double v = Double.parseDouble(value);
                if (!(v >= lo && v <= hi)) {
                    errors.put(key, "must be between " + (int) lo + " and " + (int) hi);
                }
            } catch (NumberFormatException e) {
                errors.put(key, "must be a number");
            }
        }
    }

    /** Recordings as small files in a directory. */
    static final class Recordings implements RecordingControl {
        private final Path dir;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<String, RecordingInfo> list = new LinkedHashMap<>();

        Recordings(Path dir) {
            this.dir = dir;
        }

        @Override
        public synchronized List<RecordingInfo> list() {
            List<RecordingInfo> out = new ArrayList<>(list.values());
            java.util.Collections.reverse(out);
            return out;
        }

        @Override
        public synchronized ActionResult start(String label, String user) {
            if (list.values().stream().anyMatch(RecordingInfo::active)) {
                return ActionResult.refused("a recording is already running");
            }
            String id = "rec-" + ids.incrementAndGet();
            list.put(id, new RecordingInfo(id, label, Instant.now(), null, 0, List.of()));
            return ActionResult.done(id);
        }

        @Override
        public synchronized ActionResult stop(String id, String user) {
            RecordingInfo r = list.get(id);
            if (r == null || !r.active()) {
                return ActionResult.refused("no running recording '" + id + "'");
            }
            byte[] content = ("0       " + r.label() + " recorded by " + user).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            try {
                Files.write(dir.resolve(id + ".edf"), content);
            } catch (IOException e) {
                return ActionResult.refused("cannot write: " + e.getMessage());
            }
            list.put(id, new RecordingInfo(id, r.label(), r.started(), Instant.now(), content.length, List.of("edf")));
            return ActionResult.done(id);
        }

        @Override
        public synchronized Optional<Path> file(String id, String format) {
            RecordingInfo r = list.get(id);
            if (r == null || !r.formats().contains(format)) {
                return Optional.empty();
            }
            return Optional.of(dir.resolve(id + "." + format));
        }
    }
}
