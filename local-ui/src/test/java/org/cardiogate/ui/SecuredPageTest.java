package org.cardiogate.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The page with login required, over real HTTP on a free loopback port, with the test gateway plugged in. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecuredPageTest {
    private static final String NEW_PASSWORD = "correct horse battery";

    @TempDir
    static Path dir;

    private static LiveState state;
    private static UiServer server;
    private static final List<String> shown = new CopyOnWriteArrayList<>();
    private static final TestGateway.Alarms alarms = new TestGateway.Alarms();
    private static final AtomicReference<String> notReady = new AtomicReference<>("");
    private static String base;
    private static PageClient admin;

    @BeforeAll
    static void start() throws Exception {
        state = LiveState.start();
        UiHooks hooks = UiHooks.NONE.withAlarms(alarms).withConfig(new TestGateway.Config())
                .withRecordings(new TestGateway.Recordings(Files.createDirectories(dir.resolve("recordings"))))
                .withReadiness(notReady::get)
                .withStatus(() -> new GatewayStatus(List.of(new SensorStatus("ecg", "ADS1298", true, 500, 499.8, 3,
                        java.util.Map.of("RA", false, "LL", true), 0.93)),
                        new MqttStatus(true, "tcp://127.0.0.1:1883", 12, java.time.Instant.parse("2026-11-21T10:00:00Z")),
                        "onnxruntime-cpu", 2))
                .withPasswordNotice((user, password, file) -> shown.add(user + ":" + password));
        server = UiServer.start(UiSettings.of("127.0.0.1", 0, dir.resolve("data")), state, hooks);
        base = "http://127.0.0.1:" + server.port();
        admin = new PageClient(base);
        assertThat(shown).hasSize(1);
        String oneTime = shown.get(0).substring("admin:".length());
        assertThat(admin.login("admin", oneTime).statusCode()).isEqualTo(200);
        assertThat(admin.changePassword(oneTime, NEW_PASSWORD).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
        state.close();
    }

    @Test
    void firstStartStoresOnlyASaltedPbkdf2HashAndShowsThePasswordOnce() throws Exception {
        Path file = dir.resolve("data").resolve(Credentials.FILE_NAME);
        String stored = Files.readString(file);
        assertThat(stored).contains("algorithm=PBKDF2WithHmacSHA256").contains("mustChange=false")
                .doesNotContain(NEW_PASSWORD).doesNotContain(shown.get(0).substring(6));
        int iterations = Integer.parseInt(stored.lines().filter(l -> l.startsWith("iterations=")).findFirst()
                .orElseThrow().substring("iterations=".length()));
        assertThat(iterations).isGreaterThanOrEqualTo(100_000);
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);

        try (UiServer again = UiServer.start(UiSettings.of("127.0.0.1", 0, dir.resolve("data")), state,
                UiHooks.NONE.withPasswordNotice((u, p, f) -> shown.add("again")))) {
            assertThat(again.port()).isPositive();
        }
        assertThat(shown).hasSize(1);
    }

    @Test
    void refusesEverythingButHealthReadyAndLoginWithoutASession() throws Exception {
        try (PageClient anonymous = new PageClient(base)) {
            for (String path : List.of("/api/state", "/api/live", "/api/status", "/api/alarms", "/api/config",
                    "/api/recordings", "/metrics", "/api/evidence/ev1")) {
                assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(401);
            }
            HttpResponse<String> page = anonymous.get("/");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("location")).hasValue("/login.html");
            assertThat(anonymous.get("/app.js").statusCode()).isEqualTo(303);
            assertThat(anonymous.get("/health").statusCode()).isEqualTo(200);
            assertThat(anonymous.get("/ready").statusCode()).isEqualTo(200);
            assertThat(anonymous.get("/login.html").body()).contains("login-form");
            assertThat(anonymous.post("/api/alarms/a1/ack", "{}", "forged").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void setsSessionCookiesHttpOnlyAndSameSiteStrict() throws Exception {
        try (PageClient c = new PageClient(base)) {
            HttpResponse<String> r = c.login("admin", NEW_PASSWORD);
            assertThat(r.statusCode()).isEqualTo(200);
            List<String> cookies = r.headers().allValues("set-cookie");
            assertThat(cookies).anySatisfy(v -> assertThat(v).startsWith("cg_session=").contains("HttpOnly")
                    .contains("SameSite=Strict").doesNotContain("Secure"));
            assertThat(cookies).anySatisfy(v -> assertThat(v).startsWith("cg_csrf=").contains("SameSite=Strict")
                    .doesNotContain("HttpOnly"));
            assertThat(c.get("/api/state").statusCode()).isEqualTo(200);
            assertThat(c.post("/api/logout", "{}").statusCode()).isEqualTo(200);
            assertThat(c.get("/api/state").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndRepeatedFailuresAreThrottled() throws Exception {
        List<String> notices = new CopyOnWriteArrayList<>();
        // its own server, so that its throttle does not hold up the other tests from the same address
        try (UiServer s = UiServer.start(UiSettings.of("127.0.0.1", 0, Files.createTempDirectory(dir, "throttle")),
                state, UiHooks.NONE.withPasswordNotice((u, p, f) -> notices.add(p)));
             PageClient c = new PageClient("http://127.0.0.1:" + s.port())) {
            assertThat(PageClient.json(c.login("admin", "guess-0")).path("error").asText())
                    .isEqualTo("wrong user or password");
            int status = 0;
            for (int i = 1; i <= LoginThrottle.FREE_ATTEMPTS + 1; i++) {
                HttpResponse<String> r = c.login("admin", "guess-" + i);
                status = r.statusCode();
                if (status == 429) {
                    assertThat(r.headers().firstValue("retry-after")).isPresent();
                    break;
                }
            }
            assertThat(status).isEqualTo(429);
            // even the right password waits now
            assertThat(c.login("admin", notices.get(0)).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aOneTimePasswordSessionMayOnlyChangeThePassword() throws Exception {
        Path fresh = Files.createTempDirectory(dir, "fresh");
        List<String> notices = new CopyOnWriteArrayList<>();
        try (UiServer s = UiServer.start(UiSettings.of("127.0.0.1", 0, fresh), state,
                UiHooks.NONE.withPasswordNotice((u, p, f) -> notices.add(p)));
             PageClient c = new PageClient("http://127.0.0.1:" + s.port())) {
            String oneTime = notices.get(0);
            assertThat(oneTime).hasSize(16);
            HttpResponse<String> login = c.login("admin", oneTime);
            assertThat(PageClient.json(login).path("mustChangePassword").asBoolean()).isTrue();
            assertThat(c.get("/api/state").statusCode()).isEqualTo(403);
            assertThat(c.get("/").headers().firstValue("location")).hasValue("/login.html?change=1");

            JsonNode weak = PageClient.json(c.changePassword(oneTime, "short"));
            assertThat(weak.path("errors").path("new").asText()).contains("at least 10 characters");
            assertThat(c.changePassword(oneTime, oneTime).statusCode()).isEqualTo(400);
            assertThat(c.changePassword("wrong-old-password", NEW_PASSWORD).statusCode()).isEqualTo(400);

            assertThat(c.changePassword(oneTime, NEW_PASSWORD).statusCode()).isEqualTo(200);
            assertThat(c.get("/api/state").statusCode()).isEqualTo(200);
            assertThat(c.login("admin", oneTime).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void stateChangingRequestsNeedTheCsrfTokenOfTheSession() throws Exception {
        alarms.raise("csrf-1", AlarmPriority.MEDIUM, "BRADY", "HR 38 bpm < 40 bpm");
        assertThat(admin.post("/api/alarms/csrf-1/ack", "{}", null).statusCode()).isEqualTo(403);
        assertThat(admin.post("/api/alarms/csrf-1/ack", "{}", "not-the-token").statusCode()).isEqualTo(403);
        try (PageClient other = new PageClient(base)) {
            other.login("admin", NEW_PASSWORD);
            // a valid token, but of another session
            assertThat(admin.post("/api/alarms/csrf-1/ack", "{}", other.csrf()).statusCode()).isEqualTo(403);
        }
        assertThat(alarms.calls).noneMatch(c -> c.startsWith("ack csrf-1"));
        assertThat(admin.post("/api/alarms/csrf-1/ack", "{}").statusCode()).isEqualTo(200);
        assertThat(alarms.calls).contains("ack csrf-1 by admin");
    }

    @Test
    void acknowledgesAndSilencesAnAlarmThroughTheAlarmControl() throws Exception {
        alarms.raise("vt-7", AlarmPriority.HIGH, "VT", "VT run of 6 beats");
        JsonNode before = PageClient.json(admin.get("/api/alarms"));
        assertThat(before.path("active").findValuesAsText("id")).contains("vt-7");

        HttpResponse<String> ack = admin.post("/api/alarms/vt-7/ack", "{}");
        assertThat(PageClient.json(ack).path("accepted").asBoolean()).isTrue();
        assertThat(admin.post("/api/alarms/vt-7/silence", "{}").statusCode()).isEqualTo(200);
        assertThat(alarms.calls).contains("ack vt-7 by admin", "silence vt-7 by admin");
        JsonNode after = PageClient.json(admin.get("/api/alarms"));
        for (JsonNode a : after.path("active")) {
            if (a.path("id").asText().equals("vt-7")) {
                assertThat(a.path("acknowledged").asBoolean()).isTrue();
                assertThat(a.path("silenced").asBoolean()).isTrue();
                assertThat(a.path("priority").asText()).isEqualTo("HIGH");
            }
        }
        HttpResponse<String> unknown = admin.post("/api/alarms/nope/ack", "{}");
        assertThat(unknown.statusCode()).isEqualTo(409);
        assertThat(PageClient.json(unknown).path("reason").asText()).contains("nope");
    }

    @Test
    void refusesAnInvalidSettingNamingTheFieldAndAppliesAValidOne() throws Exception {
        HttpResponse<String> bad = admin.post("/api/config", "{\"alarms.tachyBpm\":\"400\",\"alarms.bradyBpm\":\"45\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode errors = PageClient.json(bad).path("errors");
        assertThat(errors.path("alarms.tachyBpm").asText()).isEqualTo("must be between 60 and 300");
        assertThat(errors.has("alarms.bradyBpm")).isFalse();
        assertThat(PageClient.json(admin.get("/api/config")).toString()).contains("\"value\":\"40\"");

        assertThat(admin.post("/api/config", "{\"nonsense\":1}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/api/config", "not json").statusCode()).isEqualTo(400);

        HttpResponse<String> good = admin.post("/api/config", "{\"alarms.tachyBpm\":140}");
        assertThat(PageClient.json(good).path("applied").asBoolean()).isTrue();
        JsonNode config = PageClient.json(admin.get("/api/config"));
        assertThat(config.path("sections").get(0).path("fields").get(0).path("value").asText()).isEqualTo("140");
    }

    @Test
    void startsStopsListsAndDownloadsARecording() throws Exception {
        JsonNode started = PageClient.json(admin.post("/api/recordings", "{\"label\":\"bench run\"}"));
        assertThat(started.path("accepted").asBoolean()).isTrue();
        String id = started.path("id").asText();
        assertThat(admin.post("/api/recordings", "{\"label\":\"second\"}").statusCode()).isEqualTo(409);
        assertThat(PageClient.json(admin.get("/api/recordings")).path("recordings").get(0).path("active").asBoolean())
                .isTrue();
        assertThat(admin.get("/api/recordings/" + id + "/download?format=edf").statusCode()).isEqualTo(404);

        assertThat(admin.post("/api/recordings/" + id + "/stop", "{}").statusCode()).isEqualTo(200);
        HttpResponse<String> file = admin.get("/api/recordings/" + id + "/download?format=edf");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).contains("bench run recorded by admin");
        assertThat(file.headers().firstValue("content-disposition")).hasValueSatisfying(
                v -> assertThat(v).contains(id + ".edf"));
        assertThat(admin.get("/api/recordings/" + id + "/download?format=../../etc").statusCode()).isEqualTo(400);
    }

    @Test
    void reportsSensorsMqttInferenceCpuAndMemory() throws Exception {
        JsonNode status = PageClient.json(admin.get("/api/status"));
        JsonNode ecg = status.path("sensors").get(0);
        assertThat(ecg.path("achievedRateHz").asDouble()).isEqualTo(499.8);
        assertThat(ecg.path("leadOff").path("LL").asBoolean()).isTrue();
        assertThat(ecg.path("droppedSamples").asLong()).isEqualTo(3);
        assertThat(status.path("mqtt").path("backlog").asLong()).isEqualTo(12);
        assertThat(status.path("mqtt").path("lastAck").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(status.path("inferenceProvider").asText()).isEqualTo("onnxruntime-cpu");
        assertThat(status.path("latencyBudgetOverruns").asLong()).isEqualTo(2);
        assertThat(status.path("system").path("heapMaxBytes").asLong()).isPositive();
        assertThat(status.path("system").path("processors").asInt()).isPositive();
    }

    @Test
    void readinessFollowsTheGatewayAndHealthStaysUp() throws Exception {
        try (PageClient anonymous = new PageClient(base)) {
            notReady.set("ecg: no samples for 3 s");
            HttpResponse<String> down = anonymous.get("/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(PageClient.json(down).path("reason").asText()).isEqualTo("ecg: no samples for 3 s");
            assertThat(anonymous.get("/health").statusCode()).isEqualTo(200);
            notReady.set("");
            assertThat(anonymous.get("/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesPrometheusCountersThatFollowTheFeed() throws Exception {
        state.onEvent(new CardiacEvent("ecg", EventType.NOISE, 1, 2, 1, "noisy"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> r = admin.get("/metrics");
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(r.body()).contains("# TYPE cardiogate_ui_events_total counter")
                    .containsPattern("(?m)^cardiogate_ui_events_total [1-9]")
                    .contains("cardiogate_sensor_dropped_samples_total{stream=\"ecg\"} 3")
                    .contains("cardiogate_mqtt_backlog 12").contains("cardiogate_ui_live_clients 0");
        });
    }

    @Test
    void aPrometheusScraperReadsMetricsWithItsBearerTokenAndNothingElse(@TempDir Path other) throws Exception {
        String token = "scrape-3f9c1b7e2a5d4c60";
        try (UiServer scraped = UiServer.start(UiSettings.of("127.0.0.1", 0, other).withMetricsToken(token), state,
                UiHooks.NONE.withPasswordNotice((u, p, f) -> { }));
             PageClient scraper = new PageClient("http://127.0.0.1:" + scraped.port())) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String url = "http://127.0.0.1:" + scraped.port();
            HttpResponse<String> ok = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("# TYPE cardiogate_ui_events_total counter");
            HttpResponse<String> wrong = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/metrics")).header("Authorization", "Bearer " + token + "x").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> elsewhere = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/api/state")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(elsewhere.statusCode()).as("the token opens /metrics only").isEqualTo(401);
            assertThat(scraper.get("/metrics").statusCode()).as("no token, no session").isEqualTo(401);
        }
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UiSettings.of("127.0.0.1", 0, other).withMetricsToken("short")).getMessage())
                .contains("ui.metricsToken");
    }

    @Test
    void answersUnknownEvidenceWith404() throws Exception {
        assertThat(admin.get("/api/evidence/ev999").statusCode()).isEqualTo(404);
    }
}
