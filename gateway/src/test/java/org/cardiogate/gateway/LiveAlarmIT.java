package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.inference.alarm.AlarmView;
import org.cardiogate.signal.EventType;
import org.cardiogate.ui.ActiveAlarm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rate alarm in a running gateway: raised within 10 s of the change (IEC 60601-2-27 tachycardia alarm delay),
 * listed for the page, acknowledged from it, and beats classified by the neural classifier on the way.
 */
class LiveAlarmIT {

    @Test
    void tachycardiaRaisesAnAlarmWithinTenSecondsThatThePageCanAcknowledge(@TempDir Path data) throws Exception {
        GatewayConfig config = TestGateways.simulated(data, "alarm", 80, 9);
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> g.pipeline().beatCount() > 10);
            assertThat(g.alarms().alarms()).isEmpty();

            long change = System.nanoTime();
            g.simulator().setHeartRate(175);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> g.alarms().alarms().stream().anyMatch(a -> a.type() == EventType.TACHY));
            System.out.printf("tachycardia alarm %.1f s after the heart rate changed%n", (System.nanoTime() - change) / 1e9);

            ActiveAlarm listed = g.alarms().active().stream().filter(a -> a.condition().equals("TACHY")).findFirst().orElseThrow();
            assertThat(listed.id()).doesNotContain(":");
            assertThat(g.alarms().acknowledge(listed.id(), "nurse").accepted()).isTrue();
            assertThat(g.alarms().alarms()).filteredOn(a -> a.type() == EventType.TACHY).allMatch(AlarmView::acknowledged);
            assertThat(g.alarms().acknowledge("no-such-alarm", "nurse").accepted()).isFalse();
        }
    }
}
