package org.cardiogate.sensor.ads129x;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.cardiogate.sensor.emulator.Ads129xEmulator;
import org.cardiogate.sensor.emulator.ArrayFeed;
import org.cardiogate.sensor.emulator.WfdbFeed;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Ads129xDriverTest {

    static Ads129xEmulator emulator(Scenario s, Ads129xModel model, double[][] mv) {
        return new Ads129xEmulator(model, s.time, new ArrayFeed(mv), 0, 7);
    }

    static double[][] zeros(Ads129xModel model) {
        return new double[model.channels()][1];
    }

    @Test
    void lsbFollowsTheDatasheetFormula() {
        assertThat(Ads129xModel.ADS1292R.lsbMillivolts(6)).isEqualTo(2 * 2.42 / 6 / Math.pow(2, 24) * 1000);
        assertThat(Ads129xModel.ADS1298.lsbMillivolts(1)).isEqualTo(2 * 2.4 / Math.pow(2, 24) * 1000);
        // ADS1298 at gain 6: 47.68 nV per LSB
        assertThat(Ads129xModel.ADS1298.lsbMillivolts(6) * 1e6).isBetween(47.68, 47.69);
    }

    @Test
    void programsTheDatasheetRegisterValuesOfTheConfiguration() {
        Ads129xConfig c = Ads129xConfig.defaults(Ads129xModel.ADS1292R, "ecg");
        int[] r = c.registerImage();
        assertThat(r[0x01]).isEqualTo(0x02); // 500 SPS
        assertThat(r[0x02]).isEqualTo(0xE0); // bit 7, PDB_LOFF_COMP, PDB_REFBUF
        assertThat(r[0x03]).isEqualTo(0x10); // 95 %, 6 nA, DC
        assertThat(r[0x04]).isEqualTo(0x00); // gain 6, normal
        assertThat(r[0x06]).isEqualTo(0x2F); // RLD on from IN1P/N, IN2P/N
        assertThat(r[0x07]).isEqualTo(0x0F);
        Ads129xConfig d = Ads129xConfig.defaults(Ads129xModel.ADS1298, "ecg").withGain(12).withRate(1000)
                .withAllInputs(Ads129xInput.SHORTED).withLeadOff(true, 24, 70);
        int[] q = d.registerImage();
        assertThat(q[0x01]).isEqualTo(0x85); // HR, 1 kSPS
        assertThat(q[0x03]).isEqualTo(0xCC); // internal reference, RLD
        assertThat(q[0x04]).isEqualTo(0xEC); // 70 %, 24 nA
        assertThat(q[0x05]).isEqualTo(0x61); // gain 12, shorted
        assertThat(q[0x0F]).isZero(); // no NORMAL channel: no lead-off sensing
        assertThat(q[0x17]).isEqualTo(0x02);
    }

    @Test
    void rejectsUnsupportedSettingsNamingTheField() {
        Ads129xConfig c = Ads129xConfig.defaults(Ads129xModel.ADS1292R, "ecg");
        assertThatThrownBy(() -> c.withRate(300)).hasMessageContaining("rateSps 300")
                .hasMessageContaining("125, 250, 500");
        assertThatThrownBy(() -> c.withGain(5)).hasMessageContaining("gain 5");
        assertThatThrownBy(() -> c.withLeadOff(true, 12, 95)).hasMessageContaining("leadOffCurrentNanoAmps 12");
        assertThatThrownBy(() -> c.withTestSignal(Ads129xConfig.TestSignal.SQUARE_FAST))
                .hasMessageContaining("ADS1298 only");
    }

    @ParameterizedTest
    @EnumSource(Ads129xModel.class)
    void writesAndVerifiesEveryConfiguredRegister(Ads129xModel model) {
        try (Scenario s = new Scenario()) {
            Ads129xEmulator chip = emulator(s, model, zeros(model));
            Ads129xConfig config = Ads129xConfig.defaults(model, "ecg").withGain(3);
            Ads129xDriver driver = new Ads129xDriver(config, chip, chip.dataReadyLine(), s.time, new EventLog());
            s.start(driver);
            s.runFor(0.1);
            int[] image = config.registerImage();
            int[] inChip = chip.registers();
            for (int a : config.writtenAddresses()) {
                assertThat(inChip[a] & model.writableMask(a)).as("register 0x%02X", a).isEqualTo(image[a]);
            }
            assertThat(driver.registers()[0]).isEqualTo(model.deviceId());
            assertThat(driver.frames()).isBetween(45L, 50L);
        }
    }

    @ParameterizedTest
    @EnumSource(Ads129xModel.class)
    void decodesEveryCodeBitExactly(Ads129xModel model) {
        int frames = 997;
        int gain = 6;
        double lsb = model.lsbMillivolts(gain);
        SplittableRandom r = new SplittableRandom(42);
        int[][] codes = new int[model.channels()][frames];
        double[][] mv = new double[model.channels()][frames];
        int[] extremes = {8_388_607, -8_388_608, -1, 0, 1, 0x400000, -0x400000, 0x123456, -0x123456};
        for (int c = 0; c < codes.length; c++) {
            for (int i = 0; i < frames; i++) {
                int code = i < extremes.length ? extremes[(i + c) % extremes.length]
                        : r.nextInt(-8_388_608, 8_388_608);
                codes[c][i] = code;
                mv[c][i] = code * lsb;
            }
        }
        try (Scenario s = new Scenario()) {
            Ads129xEmulator chip = emulator(s, model, mv);
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(model, "ecg").withLeadOff(false, 6, 95),
                    chip, chip.dataReadyLine(), s.time, new EventLog());
            Capture cap = s.start(driver);
            s.runFor(2.5);
            assertThat(cap.n).isGreaterThan(1200);
            for (int i = 0; i < cap.n; i++) {
                int k = (int) (cap.seq[i] % frames);
                for (int c = 0; c < codes.length; c++) {
                    assertThat(cap.values[c][i]).as("seq %d channel %d", cap.seq[i], c)
                            .isEqualTo(codes[c][k] * lsb);
                }
            }
            assertThat(cap.seq[0]).isZero();
            assertThat(cap.seq[cap.n - 1]).isEqualTo(cap.n - 1);
            assertThat(driver.gaps()).isZero();
        }
    }

    @Test
    void refusesAnotherChipWithAnEventNamingBothIds() {
        try (Scenario s = new Scenario()) {
            Ads129xEmulator chip = emulator(s, Ads129xModel.ADS1298, zeros(Ads129xModel.ADS1298));
            EventLog log = new EventLog();
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(Ads129xModel.ADS1292R, "ecg"), chip,
                    chip.dataReadyLine(), s.time, log);
            Capture cap = s.start(driver);
            s.runFor(0.5);
            assertThat(cap.n).isZero();
            assertThat(log.of(TechnicalEventType.DEVICE_ID_MISMATCH)).isNotEmpty().first()
                    .satisfies(e -> assertThat(e.detail()).contains("0x92", "expected 0x73", "this is an ADS1298"));
            assertThat(log.count(TechnicalEventType.RECOVERED)).isZero();
        }
    }

    @Test
    void decodesLeadOffPerElectrodeAndRailsTheChannel() {
        try (Scenario s = new Scenario()) {
            Ads129xModel model = Ads129xModel.ADS1298;
            double[][] mv = new double[8][1];
            for (int c = 0; c < 8; c++) {
                mv[c][0] = 0.5;
            }
            Ads129xEmulator chip = emulator(s, model, mv);
            EventLog log = new EventLog();
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(model, "ecg"), chip,
                    chip.dataReadyLine(), s.time, log);
            Capture cap = s.start(driver);
            s.runFor(0.2);
            assertThat(driver.leadOffMask()).isZero();
            int in1p = 1;
            int in5n = 1 << 9;
            chip.setElectrodesOff(in1p | in5n);
            s.runFor(0.2);
            assertThat(driver.leadOffMask()).isEqualTo(in1p | in5n);
            assertThat(log.of(TechnicalEventType.LEAD_OFF)).hasSize(1).first()
                    .satisfies(e -> assertThat(e.detail()).startsWith("IN1P,IN5N off"));
            int last = cap.n - 1;
            double fullScale = 8_388_607 * model.lsbMillivolts(6);
            assertThat(cap.values[0][last]).isEqualTo(fullScale);
            assertThat(cap.values[4][last]).isEqualTo(-8_388_608 * model.lsbMillivolts(6));
            assertThat(cap.values[1][last]).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-4));
            chip.setElectrodesOff(0);
            s.runFor(0.2);
            assertThat(driver.leadOffMask()).isZero();
            assertThat(log.count(TechnicalEventType.LEAD_ON)).isEqualTo(1);
        }
    }

    @Test
    void ignoresElectrodesWhoseLeadOffDetectionIsDisabled() {
        try (Scenario s = new Scenario()) {
            Ads129xModel model = Ads129xModel.ADS1292R;
            Ads129xEmulator chip = emulator(s, model, zeros(model));
            EventLog log = new EventLog();
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(model, "ecg").withLeadOff(false, 6, 95),
                    chip, chip.dataReadyLine(), s.time, log);
            s.start(driver);
            chip.setElectrodesOff(0b0101);
            s.runFor(0.3);
            assertThat(driver.leadOffMask()).isZero();
            assertThat(log.count(TechnicalEventType.LEAD_OFF)).isZero();
        }
    }

    @Test
    void ads1292rTestSignalIsAOneHertzSquareOfVrefOver2400() {
        try (Scenario s = new Scenario()) {
            Ads129xModel model = Ads129xModel.ADS1292R;
            Ads129xEmulator chip = emulator(s, model, zeros(model));
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(model, "ecg")
                    .withTestSignal(Ads129xConfig.TestSignal.SQUARE_SLOW), chip, chip.dataReadyLine(), s.time,
                    new EventLog());
            Capture cap = s.start(driver);
            s.runFor(3);
            double a = 2.42 / 2400 * 1000;
            double lsb = model.lsbMillivolts(6);
            int transitions = 0;
            for (int i = 0; i < cap.n; i++) {
                assertThat(Math.abs(Math.abs(cap.values[0][i]) - a)).isLessThanOrEqualTo(lsb / 2);
                assertThat(cap.values[1][i]).isEqualTo(cap.values[0][i]);
                if (i > 0 && Math.signum(cap.values[0][i]) != Math.signum(cap.values[0][i - 1])) {
                    transitions++;
                    assertThat(cap.seq[i] % 250).isZero(); // half a period of 1 Hz at 500 SPS
                }
            }
            assertThat(transitions).isEqualTo(5);
        }
    }

    @Test
    void ads1298SlowTestSignalTogglesEvery256SamplesAt500Sps() {
        try (Scenario s = new Scenario()) {
            Ads129xModel model = Ads129xModel.ADS1298;
            Ads129xEmulator chip = emulator(s, model, zeros(model));
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(model, "ecg")
                    .withTestSignal(Ads129xConfig.TestSignal.SQUARE_SLOW), chip, chip.dataReadyLine(), s.time,
                    new EventLog());
            Capture cap = s.start(driver);
            s.runFor(2);
            assertThat(driver.registers()[0x02]).isEqualTo(0x10);
            for (int i = 0; i < cap.n; i++) {
                double expected = ((cap.seq[i] / 256) % 2 == 0 ? 1 : -1) * 1.0;
                assertThat(cap.values[7][i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void playsAMitBihRecordQuantisedByGainAndReference() throws Exception {
        String shared = System.getProperty("cardiogate.shared");
        assumeThat(shared).as("system property cardiogate.shared (reference recordings) not set").isNotNull();
        Path rec = Path.of(shared, "data", "mitdb", "101");
        assumeThat(Files.exists(Path.of(rec + ".hea"))).as("MIT-BIH record 101 not found under " + shared).isTrue();
        WfdbRecord record = WfdbRecord.read(rec);
        try (Scenario s = new Scenario()) {
            Ads129xModel model = Ads129xModel.ADS1292R;
            WfdbFeed feed = new WfdbFeed(record, new int[] {0, 1}, 500);
            Ads129xEmulator chip = new Ads129xEmulator(model, s.time, feed, 0, 1);
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(model, "ecg"), chip,
                    chip.dataReadyLine(), s.time, new EventLog());
            Capture cap = s.start(driver);
            s.runFor(4);
            double lsb = model.lsbMillivolts(6);
            assertThat(cap.n).isGreaterThan(1900);
            for (int i = 0; i < cap.n; i++) {
                int recIndex = (int) Math.floor(cap.seq[i] * 360.0 / 500.0);
                for (int c = 0; c < 2; c++) {
                    assertThat(cap.values[c][i]).isEqualTo(Math.rint(record.physical(c, recIndex) / lsb) * lsb);
                }
            }
        }
    }
}
