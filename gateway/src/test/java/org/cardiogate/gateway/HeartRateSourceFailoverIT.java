package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.ui.HeartRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the ECG sensor is unplugged in a running gateway, the heart rate continues from SCG or PPG within 10 s,
 * says which source it uses, and returns to ECG when the ECG comes back (IEC 60601-2-27 asks for a heart-rate
 * response within 10 s).
 */
class HeartRateSourceFailoverIT {
    /** The heart rate the page shows, from the page's own state (its HTTP API needs a login). */
    private static HeartRate pageHeartRate(GatewayRuntime g) {
        HeartRate hr = g.live().snapshot().heartRates().get("ecg");
        return hr == null ? new HeartRate("ecg", Double.NaN, "none", 0, 0) : hr;
    }

    @Test
    void heartRateFollowsScgOrPpgWhileTheEcgIsCutAndReturnsToEcg(@TempDir Path data) throws Exception {
        GatewayConfig config = TestGateways.config(data, "failover", "simulator", 75, 3, true, false);
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> {
                HeartRate hr = pageHeartRate(g);
                return "ecg".equals(hr.source()) && Math.abs(hr.bpm() - 75) < 6;
            });

            long cut = System.nanoTime();
            g.simulatorSource().setConnected("ecg", false);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() -> {
                HeartRate hr = pageHeartRate(g);
                return (hr.source().equals("scg") || hr.source().equals("ppg")) && Math.abs(hr.bpm() - 75) < 8;
            });
            double switchSeconds = (System.nanoTime() - cut) / 1e9;
            System.out.printf("heart rate source switched away from ECG %.1f s after the cut%n", switchSeconds);

            long back = System.nanoTime();
            g.simulatorSource().setConnected("ecg", true);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> "ecg".equals(pageHeartRate(g).source()));
            System.out.printf("heart rate back on ECG %.1f s after reconnection%n", (System.nanoTime() - back) / 1e9);
            assertThat(g.pipeline().heartRateSource()).isEqualTo("ecg");
        }
    }
}
