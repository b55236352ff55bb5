package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.inference.alarm.AlarmView;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IEC 60601-2-27: a VT run or an asystole in a running gateway raises its alarm within 10 s. */
class VtAndAsystoleAlarmIT {

    private static GatewayConfig config(Path data, String id) {
        return TestGateways.simulated(data, id, 72, 11);
    }

    @Test
    void ventricularTachycardiaRaisesAHighPriorityAlarmWithinTenSeconds(@TempDir Path data) throws Exception {
        try (GatewayRuntime g = GatewayRuntime.start(config(data, "vt"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> g.pipeline().beatCount() > 12);
            long start = System.nanoTime();
            g.simulator().startVentricularTachycardia(170);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> g.alarms().alarms().stream().anyMatch(a -> a.type() == EventType.VT));
            System.out.printf("VT alarm %.1f s after the run started%n", (System.nanoTime() - start) / 1e9);
            AlarmView vt = g.alarms().alarms().stream().filter(a -> a.type() == EventType.VT).findFirst().orElseThrow();
            assertThat(vt.priority().name()).isEqualTo("HIGH");
        }
    }

    @Test
    void asystoleRaisesAHighPriorityAlarmWithinTenSeconds(@TempDir Path data) throws Exception {
        try (GatewayRuntime g = GatewayRuntime.start(config(data, "asys"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> g.pipeline().beatCount() > 12);
            long start = System.nanoTime();
            g.simulator().startAsystole();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> g.alarms().alarms().stream().anyMatch(a -> a.type() == EventType.ASYSTOLE));
            System.out.printf("asystole alarm %.1f s after the last beat was scheduled%n", (System.nanoTime() - start) / 1e9);
            AlarmView a = g.alarms().alarms().stream().filter(x -> x.type() == EventType.ASYSTOLE).findFirst().orElseThrow();
            assertThat(a.priority().name()).isEqualTo("HIGH");
        }
    }
}
