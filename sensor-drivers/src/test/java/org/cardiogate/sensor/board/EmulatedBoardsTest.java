package org.cardiogate.sensor.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongUnaryOperator;

import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.emulator.EmulatorFault;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationReader;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;

/**
 * The emulated bench (ADS1298 + MAX30102 + LSM6DSO, production drivers against register-level emulators) on a virtual
 * timeline: what the gateway reads from the ECG ring is the replayed record quantised to the chip's LSB, R peaks stay
 * on their record sample, and the three chips' timestamps agree.
 */
class EmulatedBoardsTest {
    static final double SECONDS = 120;

    static Path mitdb(String record) {
        String shared = System.getProperty("cardiogate.shared");
        assumeThat(shared).as("system property cardiogate.shared (reference recordings) not set").isNotNull();
        Path rec = Path.of(shared, "data", "mitdb", record);
        assumeThat(Files.exists(Path.of(rec + ".hea"))).as("MIT-BIH record " + record + " not found under " + shared)
                .isTrue();
        return rec;
    }

    /** Starts the bench and captures its three streams while virtual time runs for {@code seconds}. */
    static Capture[] run(Scenario s, EmulatedBoards boards, double seconds) {
        Capture[] caps = new Capture[3];
        String[] ids = {EmulatedBoards.ECG_STREAM, EmulatedBoards.PPG_STREAM, EmulatedBoards.SCG_STREAM};
        for (int i = 0; i < 3; i++) {
            caps[i] = new Capture(boards.ring(ids[i]), boards.streams().get(i).channelCount());
        }
        boards.start();
        long steps = Math.round(seconds / 0.05);
        for (long k = 0; k < steps; k++) {
            s.runFor(0.05);
            for (Capture c : caps) {
                c.drain();
            }
        }
        return caps;
    }

    /** Samples a chip at {@code rateHz} with {@code ppm} drift converts in {@link #SECONDS}. */
    static int expected(double rateHz, double ppm) {
        return (int) Math.floor(SECONDS * rateHz * (1 + ppm * 1e-6));
    }

    static void assertContiguousFromZero(Capture c, String name) {
        for (int i = 0; i < c.n; i++) {
            if (c.seq[i] != i) {
                throw new AssertionError(name + ": sample " + i + " has sequence " + c.seq[i]);
            }
        }
    }

    /** Capture index of the sample whose true time is nearest {@code t} (sequence numbers contiguous from 0). */
    static int nearest(Capture cap, LongUnaryOperator truth, long t) {
        int lo = 0;
        int hi = cap.n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (truth.applyAsLong(cap.seq[mid]) <= t) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.abs(truth.applyAsLong(cap.seq[lo]) - t) <= Math.abs(truth.applyAsLong(cap.seq[hi]) - t) ? lo : hi;
    }

    /**
     * Worst difference, over the samples of {@code other} after {@code fromNanos}, between its timestamp error and
     * the timestamp error of the ECG sample nearest it in true time: how far apart the two streams are on the timeline.
     */
    static long worstAlignment(Capture ecg, LongUnaryOperator ecgTruth, Capture other, LongUnaryOperator otherTruth,
                               long fromNanos) {
        long worst = 0;
        for (int i = 0; i < other.n; i++) {
            long t = otherTruth.applyAsLong(other.seq[i]);
            if (t < fromNanos) {
                continue;
            }
            int e = nearest(ecg, ecgTruth, t);
            long errOther = other.timestamp[i] - t;
            long errEcg = ecg.timestamp[e] - ecgTruth.applyAsLong(ecg.seq[e]);
            worst = Math.max(worst, Math.abs(errOther - errEcg));
        }
        return worst;
    }

    @Test
    void deliversMitBihRecord100ThroughTheAds1298QuantisedToItsLsbWithRPeaksOnTheirRecordSample() throws Exception {
        Path rec = mitdb("100");
        WfdbRecord record = WfdbRecord.read(rec);
        List<Annotation> beats = AnnotationReader.read(rec, "atr").stream().filter(Annotation::isBeat).toList();
        EmulatedBoardsConfig config = EmulatedBoardsConfig.defaults().withDrifts(150, -300, 80);
        EventLog events = new EventLog();
        try (Scenario s = new Scenario();
             EmulatedBoards boards = EmulatedBoards.replay(record, config, s.time, events)) {
            assertThat(boards.streams().get(0).channels().stream().map(Channel::name).toList())
                    .containsExactly("MLII", "V5", "CH3", "CH4", "CH5", "CH6", "CH7", "CH8");
            Capture[] caps = run(s, boards, SECONDS);
            Capture ecg = caps[0];

            // every sample the gateway reads is the recorded value held at 500 SPS, quantised to the ADS1298's LSB
            double lsb = Ads129xModel.ADS1298.lsbMillivolts(config.ecgGain());
            assertThat(ecg.n).isBetween(expected(500, 150) - 20, expected(500, 150) + 1);
            assertContiguousFromZero(ecg, "ecg");
            int worstLsb = 0;
            for (int i = 0; i < ecg.n; i++) {
                int recIndex = (int) Math.floor(ecg.seq[i] * 360.0 / 500.0);
                assertThat(boards.recordIndexOf(ecg.seq[i])).isEqualTo(recIndex);
                for (int c = 0; c < 2; c++) {
                    double recorded = record.physical(c, recIndex);
                    double expected = Math.rint(recorded / lsb) * lsb;
                    assertThat(ecg.values[c][i]).as("lead %d, sample %d", c, i).isEqualTo(expected);
                    worstLsb = (int) Math.max(worstLsb, Math.round(Math.abs(ecg.values[c][i] - recorded) / lsb * 2));
                }
                for (int c = 2; c < 8; c++) {
                    assertThat(ecg.values[c][i]).isZero();
                }
            }
            assertThat(worstLsb).as("error in half LSBs").isLessThanOrEqualTo(1);

            // the R peak of every annotated beat is, in the chip stream, on the same record sample as in the record
            int compared = 0;
            for (Annotation a : beats) {
                int r = (int) a.sample();
                int firstChip = (int) Math.ceil((r - 36) * 500.0 / 360.0);
                int lastChip = (int) Math.floor((r + 36) * 500.0 / 360.0);
                if (firstChip < 0 || lastChip >= ecg.n || r - 36 < 0) {
                    continue;
                }
                int recPeak = r - 36;
                for (int j = r - 36; j <= r + 36; j++) {
                    if (record.physical(0, j) > record.physical(0, recPeak)) {
                        recPeak = j;
                    }
                }
                int chipPeak = firstChip;
                for (int k = firstChip; k <= lastChip; k++) {
                    if (ecg.values[0][k] > ecg.values[0][chipPeak]) {
                        chipPeak = k;
                    }
                }
                assertThat(boards.recordIndexOf(ecg.seq[chipPeak])).as("beat at record sample %d", r)
                        .isEqualTo(recPeak);
                double lagMs = ecg.seq[chipPeak] / 500.0 * 1000 - recPeak / 360.0 * 1000;
                assertThat(lagMs).isBetween(0.0, 2.0);
                compared++;
            }
            assertThat(compared).as("annotated beats in the first %s s", SECONDS).isGreaterThan(130);

            // PPG and SCG run alongside on the same timeline
            Capture ppg = caps[1];
            Capture scg = caps[2];
            assertContiguousFromZero(ppg, "ppg");
            assertContiguousFromZero(scg, "scg");
            // FIFO chips are polled: up to a poll interval (50 ms) and a FIFO watermark may still be in the chip
            assertThat(ppg.n).isBetween(expected(100, -300) - 40, expected(100, -300) + 1);
            assertThat(scg.n).isBetween(expected(1e9 / (25_000 * 48), 80) - 200, expected(1e9 / (25_000 * 48), 80) + 1);
            long from = Scenario.T0 + 30_000_000_000L;
            long ecgPpg = worstAlignment(ecg, boards.ads1298()::conversionNanos, ppg, boards.max30102()::sampleNanos,
                    from);
            long ecgScg = worstAlignment(ecg, boards.ads1298()::conversionNanos, scg, boards.lsm6dso()::sampleNanos,
                    from);
            System.out.printf("emulated bench replaying MIT-BIH 100 for %.0f s (ADS1298 +150 ppm, MAX30102 -300 ppm,"
                    + " LSM6DSO +80 ppm): %d ECG samples bit-exact, %d beats on their record sample; timestamp"
                    + " alignment after 30 s, worst: PPG vs ECG %.3f ms, SCG vs ECG %.3f ms (PPG period 10 ms)%n",
                    SECONDS, ecg.n, compared, ecgPpg / 1e6, ecgScg / 1e6);
            assertThat(ecgPpg).isLessThan(10_000_000L);
            assertThat(ecgScg).isLessThan(1_200_000L);
            assertThat(boards.ecgDriver().gaps() + boards.ppgDriver().gaps() + boards.scgDriver().gaps()).isZero();
            assertThat(events.count(TechnicalEventType.SAMPLES_LOST)).isZero();
        }
    }

    @Test
    void simulatedBenchFeedsTheAds1298AndLsm6dsoFromTheSameSimulatedHeart() {
        EmulatedBoardsConfig config = EmulatedBoardsConfig.defaults().withDrifts(40, -60, 25)
                .withSimulator(SimulatorConfig.defaults().withSeed(7));
        double seconds = 10;
        // an independent simulator with the same configuration, at the rate the emulators read it
        SimulatorConfig sim = config.simulator().withRates(EmulatedBoards.SIMULATOR_RATE_HZ,
                EmulatedBoards.SIMULATOR_RATE_HZ, EmulatedBoards.SIMULATOR_RATE_HZ);
        int frames = (int) ((seconds + 1) * EmulatedBoards.SIMULATOR_RATE_HZ);
        PhysiologySimulator ecgTruth = new PhysiologySimulator(sim);
        SampleBlock ecgFrames = new SampleBlock(ecgTruth.ecgStream(), frames);
        ecgTruth.fill(ecgFrames);
        PhysiologySimulator scgTruth = new PhysiologySimulator(sim);
        SampleBlock scgFrames = new SampleBlock(scgTruth.scgStream(), frames);
        scgTruth.fill(scgFrames);

        try (Scenario s = new Scenario();
             EmulatedBoards boards = EmulatedBoards.simulated(config, s.time, new EventLog())) {
            assertThat(boards.streams().get(0).channels().stream().map(Channel::name).toList())
                    .startsWith("I", "II", "III");
            Capture[] caps = run(s, boards, seconds);
            Capture ecg = caps[0];
            Capture scg = caps[2];
            assertContiguousFromZero(ecg, "ecg");
            assertContiguousFromZero(scg, "scg");
            assertThat(ecg.n).isGreaterThan((int) (seconds * 500) - 20);
            assertThat(scg.n).isGreaterThan((int) (seconds * 833) - 120);

            double lsb = Ads129xModel.ADS1298.lsbMillivolts(config.ecgGain());
            for (int i = 0; i < ecg.n; i++) {
                int j = frameAt(boards, boards.ads1298().conversionNanos(ecg.seq[i]));
                double leadI = ecgFrames.get(0, j);
                double leadII = ecgFrames.get(1, j);
                assertThat(ecg.values[0][i]).as("lead I, sample %d", i).isEqualTo(Math.rint(leadI / lsb) * lsb);
                assertThat(ecg.values[1][i]).as("lead II, sample %d", i).isEqualTo(Math.rint(leadII / lsb) * lsb);
                assertThat(ecg.values[2][i]).as("lead III, sample %d", i)
                        .isEqualTo(Math.rint((leadII - leadI) / lsb) * lsb);
            }
            double mg = Lsm6dsoConfig.defaults("scg").sensitivityMg();
            for (int i = 0; i < scg.n; i++) {
                int j = frameAt(boards, boards.lsm6dso().sampleNanos(scg.seq[i]));
                assertThat(scg.values[0][i]).as("scg sample %d", i)
                        .isEqualTo(Math.round((1000.0 + scgFrames.get(0, j)) / mg) * mg);
            }
        }
    }

    /** The simulator frame a chip sample taken at host time {@code t} holds (as {@code HostClockFeed} picks it). */
    static int frameAt(EmulatedBoards boards, long t) {
        return (int) Math.max(0, Math.round((t - boards.originNanos()) * 1e-9 * EmulatedBoards.SIMULATOR_RATE_HZ));
    }

    @Test
    void reportsFaultsOfEveryChipToTheOneListenerAndRecovers() {
        EventLog events = new EventLog();
        try (Scenario s = new Scenario();
             EmulatedBoards boards = EmulatedBoards.simulated(EmulatedBoardsConfig.defaults(), s.time, events)) {
            run(s, boards, 1);
            boards.ads1298().setFault(EmulatorFault.MISO_STUCK_HIGH);
            boards.max30102().setFault(EmulatorFault.UNPLUGGED);
            boards.lsm6dso().setFault(EmulatorFault.UNPLUGGED);
            s.runFor(1);
            boards.ads1298().setFault(EmulatorFault.NONE);
            boards.max30102().setFault(EmulatorFault.NONE);
            boards.lsm6dso().setFault(EmulatorFault.NONE);
            s.runFor(5);
            for (String id : List.of("ecg", "ppg", "scg")) {
                assertThat(events.all()).as(id).anyMatch(e -> e.sensor().equals(id)
                        && e.type() != TechnicalEventType.RECOVERED && e.type() != TechnicalEventType.SAMPLES_LOST);
                assertThat(events.of(TechnicalEventType.RECOVERED)).as(id).anyMatch(e -> e.sensor().equals(id));
            }
            assertThat(events.of(TechnicalEventType.SPI_ALL_ONES)).anyMatch(e -> e.sensor().equals("ecg"));
            assertThat(boards.ecgDriver().recoveries()).isPositive();
        }
    }

    @Test
    void rejectsAConfigurationNamingTheField() {
        EmulatedBoardsConfig d = EmulatedBoardsConfig.defaults();
        assertThatThrownBy(() -> d.withEcgRate(360)).hasMessageContaining("ecgRateSps 360")
                .hasMessageContaining("500");
        assertThatThrownBy(() -> new EmulatedBoardsConfig(500, 5, 100, 833, 0, 0, 0, 1, d.simulator()))
                .hasMessageContaining("ecgGain 5");
        assertThatThrownBy(() -> new EmulatedBoardsConfig(500, 6, 120, 833, 0, 0, 0, 1, d.simulator()))
                .hasMessageContaining("ppgRateHz 120");
        assertThatThrownBy(() -> new EmulatedBoardsConfig(500, 6, 100, 800, 0, 0, 0, 1, d.simulator()))
                .hasMessageContaining("scgOdrHz 800");
        assertThatThrownBy(() -> d.withDrifts(0, Double.NaN, 0)).hasMessageContaining("ppgDriftPpm");
        assertThatThrownBy(() -> d.withDrifts(0, 0, 5000)).hasMessageContaining("scgDriftPpm");
        assertThatThrownBy(() -> d.withSimulator(null)).hasMessageContaining("simulator");
    }

    @Test
    void recordIndexIsRefusedOnASimulatedBench() {
        try (Scenario s = new Scenario();
             EmulatedBoards boards = EmulatedBoards.simulated(EmulatedBoardsConfig.defaults(), s.time,
                     new EventLog())) {
            assertThat(boards.recordName()).isNull();
            assertThatThrownBy(() -> boards.recordIndexOf(0)).isInstanceOf(IllegalStateException.class);
        }
    }
}
