package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.ui.HeartRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway running the production ADS1298, MAX30102 and LSM6DSO drivers against their chip emulators. */
class EmulatedBenchIT {

    @Test
    void theEmulatedBenchDeliversBeatsAndTheSimulatedHeartRate(@TempDir Path data) throws Exception {
        GatewayConfig config = TestGateways.config(data, "bench", "emulated-bench", 66, 3, false, false);
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            assertThat(g.pipeline().streamStatus()).extracting(s -> s.stream().sensor())
                    .allMatch(s -> s.startsWith("ADS1298") || s.startsWith("MAX30102") || s.startsWith("LSM6DSO"));
            // a failure says what was seen: the rate, where it came from, beats, lost samples per stream
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                HeartRate hr = g.live().snapshot().heartRates().get("ecg");
                String seen = "heart rate " + hr + ", beats " + g.pipeline().beatCount() + ", streams "
                        + g.pipeline().streamStatus().stream().map(s -> s.stream().streamId() + " received "
                        + s.received() + " lost " + s.lostSamples() + " quality " + s.quality()).toList();
                assertThat(hr).as(seen).isNotNull();
                assertThat(Math.abs(hr.bpm() - 66)).as(seen).isLessThan(6);
                assertThat(hr.source()).as(seen).isEqualTo("ecg");
                assertThat(g.pipeline().beatCount()).as(seen).isGreaterThan(5);
            });
        }
    }
}
