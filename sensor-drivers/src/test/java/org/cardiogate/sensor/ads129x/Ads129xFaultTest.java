package org.cardiogate.sensor.ads129x;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.cardiogate.sensor.emulator.Ads129xEmulator;
import org.cardiogate.sensor.emulator.ArrayFeed;
import org.cardiogate.sensor.emulator.EmulatorFault;
import org.cardiogate.sensor.fault.TechnicalEvent;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each fault raises its event, the driver backs off and recovers, and the outage is a counted gap. */
class Ads129xFaultTest {

    @ParameterizedTest
    @CsvSource({
        "MISO_STUCK_HIGH, SPI_ALL_ONES",
        "MISO_STUCK_LOW, SPI_ALL_ZEROS",
        "DATA_READY_STALL, DATA_READY_STALL",
        "UNPLUGGED, DATA_READY_STALL"
    })
    void raisesTheFaultRecoversAndCountsTheOutageAsAGap(EmulatorFault fault, TechnicalEventType first) {
        try (Scenario s = new Scenario()) {
            Ads129xModel model = Ads129xModel.ADS1298;
            double[][] mv = new double[8][100];
            for (int i = 0; i < 100; i++) {
                mv[0][i] = i * 0.01;
            }
            Ads129xEmulator chip = new Ads129xEmulator(model, s.time, new ArrayFeed(mv), 100, 5);
            EventLog log = new EventLog();
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(model, "ecg"), chip,
                    chip.dataReadyLine(), s.time, log);
            Capture cap = s.start(driver);
            s.runFor(1);
            long beforeFault = cap.lastSeq();
            long faultAt = s.time.nanoTime();
            chip.setFault(fault);
            s.runFor(3);
            long duringFault = cap.lastSeq();
            chip.setFault(EmulatorFault.NONE);
            long clearedAt = s.time.nanoTime();
            s.runFor(3);

            List<TechnicalEvent> events = log.all();
            assertThat(events).isNotEmpty();
            assertThat(events.get(0).type()).isEqualTo(first);
            assertThat(events.get(0).monotonicNanos()).isBetween(faultAt, faultAt + 120_000_000L);
            assertThat(log.of(TechnicalEventType.RECOVERED)).hasSize(1).first()
                    .satisfies(e -> assertThat(e.monotonicNanos()).isBetween(clearedAt, clearedAt + 2_100_000_000L));
            // exponential backoff: 50, 100, 200, ... ms capped at 2 s: a handful of attempts in 3 s, not hundreds
            assertThat(driver.faults()).isBetween(3L, 9L);
            assertThat(driver.recoveries()).isEqualTo(1);
            assertThat(duringFault - beforeFault).isLessThan(30);

            // after recovery the stream continues with later sequence numbers; the outage is one gap of about its
            // duration, and the registers are programmed again (after an unplug the chip came back at reset values)
            assertThat(cap.lastSeq()).isGreaterThan(duringFault + 500);
            assertThat(driver.gaps()).isEqualTo(1);
            double outageSeconds = driver.lostSamples() / 500.0;
            assertThat(outageSeconds).isBetween(3.0, 5.2);
            int[] image = driver.config().registerImage();
            assertThat(chip.registers()[0x01]).isEqualTo(image[0x01]);
            assertThat(chip.registers()[0x05]).isEqualTo(image[0x05]);
            for (int i = 1; i < cap.n; i++) {
                assertThat(cap.seq[i]).isGreaterThan(cap.seq[i - 1]);
            }
            if (fault == EmulatorFault.UNPLUGGED) {
                assertThat(log.count(TechnicalEventType.SPI_ALL_ZEROS)).isGreaterThan(1);
            }
        }
    }
}
