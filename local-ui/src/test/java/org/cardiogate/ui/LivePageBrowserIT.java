package org.cardiogate.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in a real headless Chromium (Debian package {@code chromium}) while vitals are fed live. Skipped when
 * {@code /usr/bin/chromium} is not installed.
 *
 * <p>The DOM is read through the DevTools protocol rather than {@code --virtual-time-budget --dump-dom}: virtual time
 * only advances while no network fetch is pending, and the page's EventSource is a fetch that never ends, so the
 * budget never runs out and Chromium 156 waits for ever; {@code --timeout} instead dumps at the load event, before any
 * live data has arrived.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LivePageBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern HR_ELEMENT = Pattern.compile("<div id=\"hr\"[^>]*>([^<]*)</div>");
    private static final Pattern CONN_ELEMENT = Pattern.compile("<span id=\"conn\"[^>]*>([^<]*)</span>");
    private static final String SHOWN_HR = "document.getElementById('hr')?.textContent ?? ''";
    private static final String SHOWN_CONNECTION = "document.getElementById('conn')?.textContent ?? ''";

    @TempDir
    Path tmp;

    private volatile double fedBpm = 72.0;

    @Test
    void showsTheFedHeartRateLiveAndReconnectsAfterTheServerRestarts() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HeadlessChromium.EXECUTABLE),
                "skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)");
        try (LiveState state = LiveState.start()) {
            state.setStatus("gatewayId", "bed-12");
            state.setStatus("source", "simulator");
            state.onEvent(new CardiacEvent("ecg", EventType.BRADY, 3600, -1, 10_000_000_000L, "HR 38 bpm < 40 bpm"));
            Thread feeder = Thread.ofVirtual().name("vital-feeder").start(() -> feed(state));
            UiServer server = UiServer.start("127.0.0.1", 0, state);
            int port = server.port();
            try (HeadlessChromium chromium = HeadlessChromium.open("http://127.0.0.1:" + port + "/", tmp)) {
                await().atMost(WAIT).until(() -> chromium.evaluate(SHOWN_HR).equals("72"));
                String dom = chromium.dom();
                Matcher hr = HR_ELEMENT.matcher(dom);
                assertThat(hr.find()).as("element #hr in the DOM:%n%s", dom).isTrue();
                assertThat(hr.group(1)).isEqualTo("72");
                Matcher conn = CONN_ELEMENT.matcher(dom);
                assertThat(conn.find()).isTrue();
                assertThat(conn.group(1)).isEqualTo("live");
                assertThat(dom).contains("HR 38 bpm &lt; 40 bpm").contains("BRADY").contains("bed-12")
                        .contains("simulator").contains("ecg · ecg");

                // kept for people to look at; not compared
                chromium.screenshot(Path.of("target", "browser", "live-page.png"), 1024, 600);

                fedBpm = 95.4;
                await().atMost(WAIT).until(() -> chromium.evaluate(SHOWN_HR).equals("95"));

                server.close();
                await().atMost(WAIT).until(() -> chromium.evaluate(SHOWN_CONNECTION).equals("reconnecting"));
                server = UiServer.start("127.0.0.1", port, state);
                fedBpm = 64.0;
                await().atMost(Duration.ofSeconds(60)).until(() -> chromium.evaluate(SHOWN_CONNECTION).equals("live")
                        && chromium.evaluate(SHOWN_HR).equals("64"));
            } finally {
                server.close();
                feeder.interrupt();
                feeder.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
    }

    /** A 360 Hz ECG stream: one beat and one heart rate per beat interval, sent every 100 ms. */
    private void feed(LiveState state) {
        long sample = 0;
        while (!Thread.currentThread().isInterrupted()) {
            double bpm = fedBpm;
            long rr = Math.round(360 * 60 / bpm);
            sample += rr;
            long nanos = sample * 1_000_000_000L / 360;
            state.onBeat(new Beat("ecg", sample, nanos, AamiClass.N, rr / 360.0, bpm));
            state.onVital(new Vital("ecg", Vital.HEART_RATE, bpm, "bpm", sample, nanos, "ecg"));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
