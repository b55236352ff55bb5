package org.cardiogate.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole page in headless Debian Chromium against a server with login, fed live by the physiology simulator
 * (12-lead ECG at 500 Hz, PPG at 100 Hz, SCG at 500 Hz). Logs in with the one-time password, sets a new one, then
 * checks the waveforms move, the heart rate follows the simulator, an alarm is acknowledged by a click, an invalid
 * setting shows its field error, and a request without a session is refused. Measures the frame rate and the
 * waveform data rate the browser receives, and saves the README screenshots to {@code docs/img}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MonitorBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NEW_PASSWORD = "bedside-monitor-42";
    private static final Path DOCS_IMG = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("img");

    @TempDir
    Path tmp;

    @Test
    void logsInShowsMovingWaveformsFollowsTheHeartRateAcksAnAlarmAndNamesAnInvalidField() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.availableOrRequired(),
                "skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)");
        List<String> oneTime = new CopyOnWriteArrayList<>();
        TestGateway.Alarms alarms = new TestGateway.Alarms();
        UiHooks hooks = UiHooks.NONE.withAlarms(alarms).withConfig(new TestGateway.Config())
                .withRecordings(new TestGateway.Recordings(tmp))
                .withStatus(() -> new GatewayStatus(List.of(
                        new SensorStatus("ecg", "ADS1298 (simulated)", true, 500, 499.9, 0,
                                java.util.Map.of("RA", false, "LA", false, "LL", false, "V1", false, "V2", false,
                                        "V3", false, "V4", true, "V5", false, "V6", false), 0.96),
                        new SensorStatus("ppg", "MAX30102 (simulated)", true, 100, 100.0, 0, java.util.Map.of(), 0.91),
                        new SensorStatus("scg", "LIS3DH (simulated)", true, 500, 499.7, 12, java.util.Map.of(), 0.78)),
                        new MqttStatus(true, "tcp://127.0.0.1:1883", 0, java.time.Instant.now()), "onnxruntime-cpu", 0))
                .withPasswordNotice((user, password, file) -> oneTime.add(password));
        try (LiveState live = LiveState.start();
             UiServer server = UiServer.start(UiSettings.of("127.0.0.1", 0, tmp.resolve("data")), live, hooks);
             SimulatedBedside bedside = new SimulatedBedside(live, 72)) {
            live.setStatus("gatewayId", "bed-12");
            live.setStatus("source", "simulator");
            String base = "http://127.0.0.1:" + server.port();
            try (HeadlessChromium chromium = HeadlessChromium.open(base + "/", tmp)) {
                chromium.viewport(1400, 900);
                // refused without a session: the page sends the browser to the login page
                await().atMost(WAIT).until(() -> chromium.evaluate("location.pathname").equals("/login.html"));
                assertThat(chromium.evaluateAsync("fetch('/api/state').then(r => String(r.status))")).isEqualTo("401");

                chromium.firstLogin(oneTime.get(0), NEW_PASSWORD, WAIT);

                // waveforms move: two screenshots and two canvas pixel sums differ
                await().atMost(WAIT).until(() -> chromium.canvasChecksum("waves") > 0);
                assertThat(chromium.evaluate("String(document.querySelectorAll('#lead-picker input').length)"))
                        .isEqualTo("15");
                byte[] first = chromium.screenshotBytes();
                long firstSum = chromium.canvasChecksum("waves");
                Thread.sleep(1000);
                byte[] second = chromium.screenshotBytes();
                long secondSum = chromium.canvasChecksum("waves");
                assertThat(Arrays.equals(first, second)).as("screenshots 1 s apart are identical").isFalse();
                assertThat(secondSum).isNotEqualTo(firstSum);

                // the heart rate follows the simulator
                await().atMost(WAIT).until(() -> inRange(chromium.evaluate(
                        "document.getElementById('hr').textContent"), 66, 78));
                bedside.setHeartRate(118);
                await().atMost(WAIT).until(() -> inRange(chromium.evaluate(
                        "document.getElementById('hr').textContent"), 110, 126));
                await().atMost(WAIT).until(() -> !chromium.evaluate(
                        "document.querySelector('[data-value=\"spo2\"]').textContent").equals("--"));
                assertThat(chromium.evaluate("document.querySelector('[data-value=\"qtc_ms\"]').textContent"))
                        .matches("\\d{3}");

                // frame rate and data rate with 12 ECG leads + PPG + SCG at full rate
                chromium.evaluate("Object.assign(window.cgStats, {frames: 0, waveBytes: 0, waveMessages: 0,"
                        + " samplesDrawn: 0, since: performance.now()}) && ''");
                Thread.sleep(5000);
                String measured = chromium.evaluate("(() => { const s = window.cgStats;"
                        + " const t = (performance.now() - s.since) / 1000;"
                        + " return [t, s.frames / t, s.waveBytes / t, s.waveMessages / t, s.samplesDrawn / t].join(' '); })()");
                String[] m = measured.split(" ");
                String report = String.format(java.util.Locale.ROOT,
                        "over %.1f s: %.1f frames/s, %.0f bytes/s of wave messages (%.1f messages/s), "
                                + "%.0f display samples drawn/s", Double.parseDouble(m[0]), Double.parseDouble(m[1]),
                        Double.parseDouble(m[2]), Double.parseDouble(m[3]), Double.parseDouble(m[4]));
                System.out.println("MonitorBrowserIT measured " + report);
                Files.createDirectories(Path.of("target", "browser"));
                Files.writeString(Path.of("target", "browser", "measurements.txt"), report + System.lineSeparator());
                assertThat(Double.parseDouble(m[1])).as("frames per second").isPositive();
                assertThat(Double.parseDouble(m[2])).as("wave bytes per second").isPositive();

                // an alarm appears, flashes, and is acknowledged by a click
                live.onEvent(new CardiacEvent("ecg", EventType.TACHY, 0, -1, 0, "HR 118 bpm > 110 bpm"));
                alarms.raise("tachy-1", AlarmPriority.HIGH, "TACHY", "HR 118 bpm > 110 bpm");
                await().atMost(WAIT).until(() -> chromium.evaluate(
                        "String(!!document.querySelector('#alarm-bar [data-ack=\"tachy-1\"]'))").equals("true"));
                assertThat(chromium.evaluate("document.querySelector('#alarm-bar .alarm-item').className"))
                        .contains("prio-high");
                chromium.click("#alarm-bar [data-ack=\"tachy-1\"]");
                await().atMost(WAIT).until(() -> alarms.calls.contains("ack tachy-1 by admin"));
                await().atMost(WAIT).until(() -> chromium.evaluate(
                        "document.querySelector('#alarm-bar .alarm-item').className").contains("acked"));
                alarms.raise("ppg-lo", AlarmPriority.MEDIUM, "SPO2_LOW", "SpO2 89 % < 90 %");
                await().atMost(WAIT).until(() -> chromium.evaluate(
                        "String(document.querySelectorAll('#alarm-bar .alarm-item').length)").equals("2"));
                Thread.sleep(1500);
                chromium.screenshot(DOCS_IMG.resolve("ui-live.png"), 1400, 900);

                // the status page
                chromium.click("#tabs [data-view=\"status\"]");
                await().atMost(WAIT).until(() -> chromium.evaluate(
                        "String(document.querySelectorAll('#sensors tbody tr[data-sensor]').length)").equals("3"));
                Thread.sleep(1200);
                chromium.screenshot(DOCS_IMG.resolve("ui-status.png"), 1400, 900);

                // an invalid setting is named next to its field
                chromium.click("#tabs [data-view=\"config\"]");
                await().atMost(WAIT).until(() -> chromium.evaluate(
                        "String(!!document.getElementById('cfg-alarms.tachyBpm'))").equals("true"));
                chromium.evaluate("document.getElementById('cfg-alarms.tachyBpm').select()");
                chromium.type("400");
                chromium.click("#config-form button[type=submit]");
                await().atMost(WAIT).until(() -> chromium.evaluate(
                        "document.querySelector('[data-error=\"alarms.tachyBpm\"]').textContent")
                        .equals("must be between 60 and 300"));
                assertThat(chromium.evaluate("document.getElementById('config-result').textContent"))
                        .startsWith("not applied");

                // after logging out, the API refuses again
                chromium.click("#logout");
                await().atMost(WAIT).until(() -> chromium.evaluate("location.pathname").equals("/login.html"));
                assertThat(chromium.evaluateAsync("fetch('/api/alarms').then(r => String(r.status))"))
                        .isEqualTo("401");
            }
        }
    }

    private static boolean inRange(String shown, int lo, int hi) {
        try {
            int v = Integer.parseInt(shown.strip());
            return v >= lo && v <= hi;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
