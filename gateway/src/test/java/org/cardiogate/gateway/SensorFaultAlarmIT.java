package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.inference.alarm.AlarmPriority;
import org.cardiogate.inference.alarm.AlarmView;
import org.cardiogate.sensor.board.EmulatedBoards;
import org.cardiogate.sensor.emulator.EmulatorFault;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sensor that stops delivering is a technical alarm, whatever the source: the gateway's stream watch raises
 * {@code SENSOR_FAULT} when a stream goes silent, and a driver's own technical events (a stuck SPI bus, electrodes
 * off) raise it with the driver's reason; each ends when the sensor delivers again. The events also reach the
 * store, so they are never lost.
 */
class SensorFaultAlarmIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSilentStreamRaisesAMediumTechnicalAlarmThatEndsWhenSamplesFlowAgain(@TempDir Path data) throws Exception {
        GatewayConfig config = TestGateways.simulated(data, "bed-quiet", 70, 4);
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            await().atMost(WAIT).until(() -> g.pipeline().beatCount() > 3);
            assertThat(fault(g, "ppg")).isEmpty();
            long unplugged = System.nanoTime();
            g.simulatorSource().setConnected("ppg", false);
            await().atMost(WAIT).until(() -> fault(g, "ppg").isPresent());
            double seconds = (System.nanoTime() - unplugged) / 1e9;
            AlarmView a = fault(g, "ppg").orElseThrow();
            assertThat(a.technical()).isTrue();
            assertThat(a.priority()).isEqualTo(AlarmPriority.MEDIUM);
            assertThat(a.detail()).contains("no samples for");
            assertThat(fault(g, "ecg")).as("the other streams keep going").isEmpty();

            g.simulatorSource().setConnected("ppg", true);
            await().atMost(WAIT).until(() -> fault(g, "ppg").isEmpty());
            await().atMost(WAIT).until(() -> storedSensorFaults(g, "ppg") >= 2);
            System.out.printf("SensorFaultAlarmIT: a silent PPG stream raised SENSOR_FAULT %.1f s after it stopped%n",
                    seconds);
        }
    }

    @Test
    void aStuckSpiBusAndElectrodesOffRaiseTheDriversReasonAndClearOnRecovery(@TempDir Path data) throws Exception {
        GatewayConfig config = TestGateways.config(data, "bed-bench", "emulated-bench", 70, 5, false, false);
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            EmulatedBoards bench = (EmulatedBoards) g.sensors();
            await().atMost(WAIT).until(() -> g.pipeline().beatCount() > 3);

            bench.ads1298().setFault(EmulatorFault.MISO_STUCK_HIGH);
            await().atMost(WAIT).until(() -> fault(g, "ecg").map(AlarmView::detail).orElse("")
                    .contains("SPI_ALL_ONES"));
            bench.ads1298().setFault(EmulatorFault.NONE);
            await().atMost(WAIT).until(() -> fault(g, "ecg").isEmpty());

            bench.ads1298().setElectrodesOff(0b1);
            await().atMost(WAIT).until(() -> alarm(g, "ecg", EventType.LEAD_OFF).isPresent());
            assertThat(alarm(g, "ecg", EventType.LEAD_OFF).orElseThrow().technical()).isTrue();
            // the status page shows which electrode is off
            assertThat(g.pipeline().electrodesOff("ecg")).containsEntry("IN1P", true).containsEntry("IN1N", false)
                    .hasSize(16);
            bench.ads1298().setElectrodesOff(0);
            await().atMost(WAIT).until(() -> alarm(g, "ecg", EventType.LEAD_OFF).isEmpty());
            assertThat(g.pipeline().beatCount()).as("the gateway kept running").isPositive();
        }
    }

    private static Optional<AlarmView> fault(GatewayRuntime g, String stream) {
        return alarm(g, stream, EventType.SENSOR_FAULT);
    }

    private static Optional<AlarmView> alarm(GatewayRuntime g, String stream, EventType type) {
        return g.alarms().alarms().stream().filter(a -> a.type() == type && a.streamId().equals(stream)
                && a.conditionActive()).findFirst();
    }

    /** SENSOR_FAULT rows of a stream in the gateway's database (onset and end). */
    private static long storedSensorFaults(GatewayRuntime g, String stream) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                org.cardiogate.gateway.storage.StoreDatabase.url(g.store().dataDir()), "cardiogate", "");
             java.sql.PreparedStatement st = c.prepareStatement(
                     "SELECT COUNT(*) FROM events WHERE event_type = 'SENSOR_FAULT' AND stream = ?")) {
            st.setString(1, stream);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
