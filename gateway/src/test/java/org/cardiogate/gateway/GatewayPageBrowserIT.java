package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.ui.HeadlessChromium;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local page of a whole running gateway (simulator, DSP, classifier, rhythm rules, alarms, MQTT, H2) driven in
 * headless Debian Chromium: refused without a session, log in with the one-time password the gateway hands out,
 * watch the waveform canvas move with beat marks on it, see the heart rate follow the simulator into tachycardia, see
 * the gateway raise the tachycardia alarm and acknowledge it with a click (the gateway records who did), read every
 * sensor and the MQTT link on the status page, get a validation error naming an invalid setting, and be refused again
 * after logging out.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewayPageBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String PASSWORD = "night-shift-bed-7";

    @TempDir
    Path tmp;

    @Test
    void aNurseLogsInWatchesTheLiveGatewayAcknowledgesItsTachycardiaAlarmAndIsToldWhichSettingIsWrong()
            throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.availableOrRequired(),
                "skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)");
        List<String> oneTime = new CopyOnWriteArrayList<>();
        GatewayConfig config = TestGateways.config(tmp.resolve("data"), "bed-7", "simulator", 72, 11, true, false);
        try (GatewayRuntime g = GatewayRuntime.start(config, (user, password, file) -> oneTime.add(password));
             HeadlessChromium chromium = HeadlessChromium.open(g.uiAddress(), tmp)) {
            assertThat(oneTime).as("the gateway hands out one one-time password on first start").hasSize(1);
            chromium.viewport(1400, 900);

            // refused without a session
            await().atMost(WAIT).until(() -> chromium.evaluate("location.pathname").equals("/login.html"));
            assertThat(chromium.evaluateAsync("fetch('/api/state').then(r => String(r.status))")).isEqualTo("401");

            // log in with the one-time password, then choose a new one
            chromium.firstLogin(oneTime.get(0), PASSWORD, WAIT);

            // the waveforms move and beats are marked on them
            await().atMost(WAIT).until(() -> chromium.canvasChecksum("waves") > 0);
            byte[] first = chromium.screenshotBytes();
            long firstSum = chromium.canvasChecksum("waves");
            Thread.sleep(1000);
            byte[] second = chromium.screenshotBytes();
            assertThat(Arrays.equals(first, second)).as("screenshots 1 s apart are identical").isFalse();
            assertThat(chromium.canvasChecksum("waves")).isNotEqualTo(firstSum);
            await().atMost(WAIT).until(() -> Integer.parseInt(
                    chromium.evaluate("String(window.cgStats.beatMarks || 0)")) > 0);

            // the heart rate follows the simulator, into tachycardia; the gateway raises its alarm
            await().atMost(WAIT).until(() -> inRange(chromium.evaluate(
                    "document.getElementById('hr').textContent"), 66, 78));
            // SpO2 from the PPG's red and infrared, QTc from the ECG delineation, measured by the gateway
            await().atMost(WAIT).until(() -> inRange(chromium.evaluate(
                    "document.querySelector('[data-value=\"spo2\"]').textContent"), 85, 100));
            await().atMost(WAIT).until(() -> inRange(chromium.evaluate(
                    "document.querySelector('[data-value=\"qtc_ms\"]').textContent"), 300, 500));
            long changed = System.nanoTime();
            g.simulator().setHeartRate(170);
            await().atMost(WAIT).until(() -> inRange(chromium.evaluate(
                    "document.getElementById('hr').textContent"), 160, 180));
            double hrSeconds = (System.nanoTime() - changed) / 1e9;
            // the tachycardia alarm's own item (others, e.g. a technical alarm on a loaded machine, may show too)
            String tachyItem = "[...document.querySelectorAll('#alarm-bar .alarm-item')]"
                    + ".find(e => e.textContent.includes('TACHY'))";
            await().atMost(WAIT).until(() -> !chromium.evaluate(
                    "(" + tachyItem + "?.querySelector('[data-ack]')?.dataset.ack) || ''").isEmpty());
            double alarmSeconds = (System.nanoTime() - changed) / 1e9;
            String ackId = chromium.evaluate(tachyItem + ".querySelector('[data-ack]').dataset.ack");
            System.out.println("GatewayPageBrowserIT alarms shown: "
                    + chromium.evaluate("document.querySelector('#alarm-bar').textContent"));
            chromium.click("#alarm-bar [data-ack=\"" + ackId + "\"]");
            await().atMost(WAIT).until(() -> chromium.evaluate(tachyItem + ".className").contains("acked"));
            assertThat(g.alarms().alarms()).anySatisfy(a -> {
                assertThat(a.type()).isEqualTo(org.cardiogate.signal.EventType.TACHY);
                assertThat(a.acknowledged()).isTrue();
            });
            Files.createDirectories(Path.of("target", "browser"));
            chromium.screenshot(Path.of("target", "browser", "gateway-live.png"), 1400, 900);

            // the status page: every sensor of the running gateway, and its MQTT link
            chromium.click("#tabs [data-view=\"status\"]");
            await().atMost(WAIT).until(() -> chromium.evaluate(
                    "String(document.querySelectorAll('#sensors tbody tr[data-sensor]').length)").equals("3"));
            String sensors = chromium.evaluate("document.getElementById('sensors').textContent");
            assertThat(sensors).contains("ecg").contains("ppg").contains("scg");
            chromium.screenshot(Path.of("target", "browser", "gateway-status.png"), 1400, 900);

            // an invalid setting is named next to its field, and nothing changes
            chromium.click("#tabs [data-view=\"config\"]");
            await().atMost(WAIT).until(() -> chromium.evaluate(
                    "String(!!document.getElementById('cfg-alarms.tachyBpm'))").equals("true"));
            chromium.evaluate("document.getElementById('cfg-alarms.tachyBpm').select()");
            chromium.type("400");
            chromium.click("#config-form button[type=submit]");
            await().atMost(WAIT).until(() -> !chromium.evaluate(
                    "(document.querySelector('[data-error=\"alarms.tachyBpm\"]') || {}).textContent || ''").isBlank());
            assertThat(chromium.evaluate("document.getElementById('config-result').textContent"))
                    .startsWith("not applied");
            assertThat(g.pipeline().rhythmLimits().tachyBpm()).isEqualTo(150);

            // after logging out, the API refuses again
            chromium.click("#logout");
            await().atMost(WAIT).until(() -> chromium.evaluate("location.pathname").equals("/login.html"));
            assertThat(chromium.evaluateAsync("fetch('/api/alarms').then(r => String(r.status))")).isEqualTo("401");

            System.out.printf(Locale.ROOT, "GatewayPageBrowserIT: page heart rate reached 160-180 bpm %.1f s and the"
                    + " tachycardia alarm showed %.1f s after the simulator went from 72 to 170 bpm%n", hrSeconds,
                    alarmSeconds);
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
