package org.cardiogate.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The JSON API and the operations endpoints. Handlers run on the request's virtual thread. */
final class Api {
    private static final int MAX_BODY = 64 * 1024;

    private final LiveState state;
    private final UiHooks hooks;
    private final Access access;
    private final Credentials credentials;
    private final LoginThrottle throttle;
    private final LongAdder loginFailures = new LongAdder();
    private final LongAdder requests = new LongAdder();

    Api(LiveState state, UiHooks hooks, Access access, Credentials credentials, LoginThrottle throttle) {
        this.state = state;
        this.hooks = hooks;
        this.access = access;
        this.credentials = credentials;
        this.throttle = throttle;
    }

    void routes(HttpRouting.Builder r) {
        r.get("/ready", this::ready)
                .get("/metrics", this::metrics)
                .get("/api/status", this::status)
                .get("/api/alarms", this::alarms)
                .post("/api/alarms/{id}/ack", (req, res) -> alarmAction(req, res, true))
                .post("/api/alarms/{id}/silence", (req, res) -> alarmAction(req, res, false))
                .get("/api/evidence/{id}", this::evidence)
                .get("/api/config", this::config)
                .post("/api/config", this::applyConfig)
                .get("/api/recordings", this::recordings)
                .post("/api/recordings", this::startRecording)
                .post("/api/recordings/{id}/stop", this::stopRecording)
                .get("/api/recordings/{id}/download", this::download)
                .get("/api/session", this::session)
                .post("/api/login", this::login)
                .post("/api/logout", this::logout)
                .post("/api/password", this::changePassword);
    }

    private String user(ServerRequest req) {
        if (access == null) {
            return "local";
        }
        Sessions.Session s = access.session(req);
        return s == null ? "unknown" : s.user;
    }

    private void ready(ServerRequest req, ServerResponse res) {
        String reason = hooks.readiness().notReadyReason();
        ObjectNode node = LiveJson.MAPPER.createObjectNode();
        if (reason == null || reason.isEmpty()) {
            node.put("status", "UP");
            send(res, Status.OK_200, node);
        } else {
            node.put("status", "DOWN").put("reason", reason);
            send(res, Status.SERVICE_UNAVAILABLE_503, node);
        }
    }

    private void status(ServerRequest req, ServerResponse res) {
        GatewayStatus g = hooks.status().status();
        ObjectNode root = LiveJson.MAPPER.createObjectNode();
        ArrayNode sensors = root.putArray("sensors");
        for (SensorStatus s : g.sensors()) {
            ObjectNode n = sensors.addObject();
            n.put("stream", s.streamId()).put("sensor", s.sensor()).put("connected", s.connected())
                    .put("nominalRateHz", s.nominalRateHz());
            measured(n, "achievedRateHz", s.achievedRateHz());
            n.put("droppedSamples", s.droppedSamples());
            ObjectNode leads = n.putObject("leadOff");
            s.leadOff().forEach(leads::put);
            measured(n, "signalQuality", s.signalQuality());
        }
        ObjectNode mqtt = root.putObject("mqtt");
        mqtt.put("connected", g.mqtt().connected()).put("broker", g.mqtt().broker()).put("backlog", g.mqtt().backlog());
        if (g.mqtt().lastAck() == null) {
            mqtt.putNull("lastAck");
        } else {
            mqtt.put("lastAck", g.mqtt().lastAck().toString());
        }
        root.put("inferenceProvider", g.inferenceProvider());
        root.put("latencyBudgetOverruns", g.latencyBudgetOverruns());
        root.set("system", SystemStats.read());
        ObjectNode ui = root.putObject("ui");
        LiveSnapshot snap = state.snapshot();
        ui.put("liveClients", snap.clients()).put("clientDrops", snap.clientDrops())
                .put("updatesDropped", snap.updatesDropped()).put("eventsDropped", snap.eventsDropped())
                .put("waveSamplesDropped", state.waveSamplesDropped()).put("blocksDropped", state.blocksDropped());
        root.set("streams", LiveJson.streamsNode(snap.streams()));
        ObjectNode st = root.putObject("status");
        snap.status().forEach(st::put);
        send(res, Status.OK_200, root);
    }

    private static void measured(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    private void alarms(ServerRequest req, ServerResponse res) {
        ObjectNode root = LiveJson.MAPPER.createObjectNode();
        ArrayNode active = root.putArray("active");
        for (ActiveAlarm a : hooks.alarms().active()) {
            active.addObject().put("id", a.id()).put("priority", a.priority().name()).put("condition", a.condition())
                    .put("stream", a.streamId()).put("onset", a.onset().toString()).put("onsetSample", a.onsetSample())
                    .put("latched", a.latched()).put("acknowledged", a.acknowledged()).put("silenced", a.silenced())
                    .put("detail", a.detail());
        }
        ArrayNode history = root.putArray("history");
        List<EventRecord> records = state.eventRecords();
        for (int i = records.size() - 1; i >= 0; i--) {
            history.add(LiveJson.eventRecordNode(records.get(i)));
        }
        send(res, Status.OK_200, root);
    }

    private void alarmAction(ServerRequest req, ServerResponse res, boolean ack) {
        String id = req.path().pathParameters().get("id");
        ActionResult result = ack ? hooks.alarms().acknowledge(id, user(req)) : hooks.alarms().silence(id, user(req));
        sendResult(res, result);
    }

    private void evidence(ServerRequest req, ServerResponse res) {
        Optional<Evidence> e = state.evidence(req.path().pathParameters().get("id"));
        if (e.isEmpty()) {
            Access.error(res, Status.NOT_FOUND_404, "no such evidence (only the newest " + LiveState.MAX_EVIDENCE
                    + " are kept)");
            return;
        }
        sendText(res, Status.OK_200, LiveJson.evidence(e.get()));
    }

    private void config(ServerRequest req, ServerResponse res) {
        ObjectNode root = LiveJson.MAPPER.createObjectNode();
        ArrayNode sections = root.putArray("sections");
        for (ConfigSection section : hooks.config().current()) {
            ObjectNode s = sections.addObject().put("name", section.name());
            ArrayNode fields = s.putArray("fields");
            for (ConfigField f : section.fields()) {
                fields.addObject().put("key", f.key()).put("type", f.type().name()).put("value", f.value())
                        .put("help", f.help()).put("editable", f.editable());
            }
        }
        send(res, Status.OK_200, root);
    }

    private void applyConfig(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req, res);
        if (body == null) {
            return;
        }
        if (!body.isObject()) {
            Access.error(res, Status.BAD_REQUEST_400, "body must be a JSON object of \"section.key\": \"value\"");
            return;
        }
        Map<String, String> changes = new LinkedHashMap<>();
        Map<String, String> shapeErrors = new LinkedHashMap<>();
        body.properties().forEach(e -> {
            if (!e.getKey().matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+")) {
                shapeErrors.put(e.getKey(), "is not a field name of the form section.key");
            } else if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                changes.put(e.getKey(), e.getValue().asText());
            } else {
                shapeErrors.put(e.getKey(), "must be a text, number or boolean");
            }
        });
        ConfigResult result = shapeErrors.isEmpty() ? hooks.config().apply(changes, user(req))
                : ConfigResult.invalid(shapeErrors);
        ObjectNode node = LiveJson.MAPPER.createObjectNode().put("applied", result.applied());
        ObjectNode errors = node.putObject("errors");
        result.errors().forEach(errors::put);
        node.put("reason", result.reason());
        send(res, result.applied() ? Status.OK_200
                : result.errors().isEmpty() ? Status.CONFLICT_409 : Status.BAD_REQUEST_400, node);
    }

    private void recordings(ServerRequest req, ServerResponse res) {
        ObjectNode root = LiveJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("recordings");
        for (RecordingInfo r : hooks.recordings().list()) {
            ObjectNode n = list.addObject().put("id", r.id()).put("label", r.label())
                    .put("started", r.started().toString()).put("active", r.active()).put("bytes", r.bytes());
            Instant stopped = r.stopped();
            if (stopped == null) {
                n.putNull("stopped");
            } else {
                n.put("stopped", stopped.toString());
            }
            ArrayNode formats = n.putArray("formats");
            r.formats().forEach(formats::add);
        }
        send(res, Status.OK_200, root);
    }

    private void startRecording(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req, res);
        if (body == null) {
            return;
        }
        String label = body.path("label").asText("");
        if (label.length() > 100) {
            sendFieldError(res, "label", "must be at most 100 characters");
            return;
        }
        sendResult(res, hooks.recordings().start(label, user(req)));
    }

    private void stopRecording(ServerRequest req, ServerResponse res) {
        sendResult(res, hooks.recordings().stop(req.path().pathParameters().get("id"), user(req)));
    }

    private void download(ServerRequest req, ServerResponse res) throws IOException {
        String id = req.path().pathParameters().get("id");
        String format = req.query().first("format").orElse("edf");
        if (!format.matches("[a-z0-9]{1,10}")) {
            Access.error(res, Status.BAD_REQUEST_400, "format must be a short lower-case name like 'edf'");
            return;
        }
        Optional<Path> file = hooks.recordings().file(id, format);
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            Access.error(res, Status.NOT_FOUND_404, "recording '" + id + "' has no " + format + " file");
            return;
        }
        Path p = file.get();
        String name = p.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_");
        res.headers().contentType(MediaTypes.APPLICATION_OCTET_STREAM);
        res.headers().set(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
        res.headers().contentLength(Files.size(p));
        try (InputStream in = Files.newInputStream(p); OutputStream out = res.outputStream()) {
            in.transferTo(out);
        }
    }

    private void session(ServerRequest req, ServerResponse res) {
        ObjectNode node = LiveJson.MAPPER.createObjectNode();
        if (access == null) {
            node.put("user", "local").put("loginRequired", false).put("mustChangePassword", false);
        } else {
            Sessions.Session s = access.session(req);
            node.put("user", s.user).put("loginRequired", true).put("mustChangePassword", s.mustChangePassword);
        }
        send(res, Status.OK_200, node);
    }

    private void login(ServerRequest req, ServerResponse res) {
        if (access == null) {
            Access.error(res, Status.NOT_FOUND_404, "login is not enabled");
            return;
        }
        String address = req.remotePeer().host();
        long wait = throttle.waitNanos(address);
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
            res.headers().set(HeaderNames.RETRY_AFTER, Long.toString(seconds));
            Access.error(res, Status.TOO_MANY_REQUESTS_429, "too many failed logins; try again in " + seconds + " s");
            return;
        }
        JsonNode body = body(req, res);
        if (body == null) {
            return;
        }
        String user = body.path("user").asText("");
        String password = body.path("password").asText("");
        if (!credentials.verify(user, password)) {
            throttle.failed(address);
            loginFailures.increment();
            Access.error(res, Status.UNAUTHORIZED_401, "wrong user or password");
            return;
        }
        throttle.succeeded(address);
        Sessions.Session s = access.sessions().create(user, credentials.mustChange());
        for (String cookie : access.cookiesFor(s)) {
            res.headers().add(HeaderNames.SET_COOKIE, cookie);
        }
        send(res, Status.OK_200, LiveJson.MAPPER.createObjectNode().put("user", user)
                .put("mustChangePassword", s.mustChangePassword));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        if (access != null) {
            access.sessions().end(Access.cookie(req, Access.SESSION_COOKIE).orElse(null));
            for (String cookie : access.clearingCookies()) {
                res.headers().add(HeaderNames.SET_COOKIE, cookie);
            }
        }
        send(res, Status.OK_200, LiveJson.MAPPER.createObjectNode().put("loggedOut", true));
    }

    private void changePassword(ServerRequest req, ServerResponse res) throws IOException {
        if (access == null) {
            Access.error(res, Status.NOT_FOUND_404, "login is not enabled");
            return;
        }
        JsonNode body = body(req, res);
        if (body == null) {
            return;
        }
        String problem = credentials.change(body.path("old").asText(""), body.path("new").asText(""));
        if (problem != null) {
            sendFieldError(res, problem.startsWith("old") ? "old" : "new", problem);
            return;
        }
        Sessions.Session s = access.session(req);
        s.mustChangePassword = false;
        access.sessions().endAllBut(s);
        send(res, Status.OK_200, LiveJson.MAPPER.createObjectNode().put("changed", true));
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        LiveSnapshot snap = state.snapshot();
        GatewayStatus g = hooks.status().status();
        StringBuilder sb = new StringBuilder(2048);
        metric(sb, "cardiogate_ui_beats_total", "counter", "Beats received by the page", state.beatsSeen());
        metric(sb, "cardiogate_ui_events_total", "counter", "Cardiac events received by the page", state.eventsSeen());
        metric(sb, "cardiogate_ui_updates_dropped_total", "counter",
                "Beats and vitals dropped because the page's dispatcher fell behind", snap.updatesDropped());
        metric(sb, "cardiogate_ui_events_dropped_total", "counter",
                "Events dropped because the page's dispatcher fell behind", snap.eventsDropped());
        metric(sb, "cardiogate_ui_client_drops_total", "counter",
                "Live messages dropped for browsers that read too slowly", snap.clientDrops());
        metric(sb, "cardiogate_ui_wave_samples_dropped_total", "counter",
                "Display samples lost because the dispatcher fell a ring behind", state.waveSamplesDropped());
        metric(sb, "cardiogate_ui_wave_bytes_total", "counter", "Bytes of waveform messages built", state.waveBytes());
        metric(sb, "cardiogate_ui_live_clients", "gauge", "Live (SSE) clients connected", snap.clients());
        metric(sb, "cardiogate_ui_login_failures_total", "counter", "Failed logins", loginFailures.sum());
        metric(sb, "cardiogate_ui_requests_total", "counter", "API requests served", requests.sum());
        metric(sb, "cardiogate_active_alarms", "gauge", "Alarms active now", hooks.alarms().active().size());
        metric(sb, "cardiogate_mqtt_backlog", "gauge", "Messages waiting in the MQTT outbox", g.mqtt().backlog());
        metric(sb, "cardiogate_mqtt_connected", "gauge", "1 when connected to the broker", g.mqtt().connected() ? 1 : 0);
        metric(sb, "cardiogate_latency_budget_overruns_total", "counter",
                "Blocks whose latency exceeded the budget", g.latencyBudgetOverruns());
        sb.append("# HELP cardiogate_sensor_dropped_samples_total Samples lost per stream\n")
                .append("# TYPE cardiogate_sensor_dropped_samples_total counter\n");
        for (SensorStatus s : g.sensors()) {
            sb.append("cardiogate_sensor_dropped_samples_total{stream=\"").append(label(s.streamId())).append("\"} ")
                    .append(s.droppedSamples()).append('\n');
        }
        Runtime rt = Runtime.getRuntime();
        metric(sb, "cardiogate_jvm_heap_used_bytes", "gauge", "Java heap in use", rt.totalMemory() - rt.freeMemory());
        metric(sb, "cardiogate_jvm_heap_max_bytes", "gauge", "Java heap limit", rt.maxMemory());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            sb.append("# HELP cardiogate_process_cpu_seconds_total CPU time used by the gateway process\n")
                    .append("# TYPE cardiogate_process_cpu_seconds_total counter\n")
                    .append("cardiogate_process_cpu_seconds_total ").append(os.getProcessCpuTime() / 1e9).append('\n');
        }
        res.headers().set(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(sb.toString());
    }

    private static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void metric(StringBuilder sb, String name, String type, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }

    private JsonNode body(ServerRequest req, ServerResponse res) {
        requests.increment();
        try {
            byte[] bytes = req.content().inputStream().readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                Access.error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "body larger than " + MAX_BODY + " bytes");
                return null;
            }
            if (bytes.length == 0) {
                return LiveJson.MAPPER.createObjectNode();
            }
            return LiveJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            Access.error(res, Status.BAD_REQUEST_400, "body is not valid JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""));
            return null;
        }
    }

    private static void sendResult(ServerResponse res, ActionResult result) {
        ObjectNode node = LiveJson.MAPPER.createObjectNode().put("accepted", result.accepted());
        if (result.id() == null) {
            node.putNull("id");
        } else {
            node.put("id", result.id());
        }
        node.put("reason", result.reason());
        send(res, result.accepted() ? Status.OK_200 : Status.CONFLICT_409, node);
    }

    private static void sendFieldError(ServerResponse res, String field, String message) {
        ObjectNode node = LiveJson.MAPPER.createObjectNode();
        node.putObject("errors").put(field, message);
        send(res, Status.BAD_REQUEST_400, node);
    }

    static void send(ServerResponse res, Status status, JsonNode node) {
        sendText(res, status, LiveJson.write(node));
    }

    static void sendText(ServerResponse res, Status status, String json) {
        res.status(status);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(json);
    }
}
