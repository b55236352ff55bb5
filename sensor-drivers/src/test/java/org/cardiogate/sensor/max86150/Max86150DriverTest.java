package org.cardiogate.sensor.max86150;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.cardiogate.sensor.max86150.Max86150Registers.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.emulator.ArrayFeed;
import org.cardiogate.sensor.emulator.EmulatorFault;
import org.cardiogate.sensor.emulator.Max86150Emulator;
import org.cardiogate.sensor.emulator.SimulatorFeed;
import org.cardiogate.sensor.emulator.VirtualTime;
import org.cardiogate.sensor.emulator.WfdbFeed;
import org.cardiogate.sensor.fault.TechnicalEvent;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.RealTimeRun;
import org.cardiogate.sensor.testkit.Scenario;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production MAX86150 driver against the register-level emulator on a virtual timeline: registers, bit-exact
 * decoding of both element formats, FIFO overflow accounting, every fault with its event and recovery, timing.
 */
class Max86150DriverTest {
    static final Max86150Config DEFAULTS = Max86150Config.defaults("ecg", "ppg");
    /** 12.247 µV / (9.5 x 8), in mV. */
    static final double LSB = DEFAULTS.ecgLsbMillivolts();

    /** {@code [ir, red][frame]}: distinct codes over the whole 19-bit range. */
    static double[][] ppgCounts(int n) {
        double[][] v = new double[2][n];
        for (int i = 0; i < n; i++) {
            v[0][i] = (i * 7919L) % 524_288;
            v[1][i] = 524_287 - (i * 104_729L) % 524_288;
        }
        return v;
    }

    /** ECG code of frame {@code i}: pseudo-random over the whole 18-bit range. */
    static int ecgCode(int i) {
        return (int) ((i * 2_654_435_761L) % 262_144) - 131_072;
    }

    /** {@code [1][frame]} in mV: exact codes, and every 97th frame beyond full scale (+-30 mV) to check clipping. */
    static double[][] ecgMillivolts(int n) {
        double[][] v = new double[1][n];
        for (int i = 0; i < n; i++) {
            v[0][i] = i % 97 == 5 ? (i % 2 == 0 ? 30 : -30) : ecgCode(i) * LSB;
        }
        return v;
    }

    /** What the driver must publish for ECG frame {@code i}. */
    static double expectedEcg(int i) {
        if (i % 97 == 5) {
            return (i % 2 == 0 ? 131_071 : -131_072) * LSB;
        }
        return ecgCode(i) * LSB;
    }

    @Test
    void programsTheDatasheetRegistersAndDecodesEveryElementBitExactly() {
        try (Scenario s = new Scenario()) {
            double[][] ppg = ppgCounts(2000);
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppg),
                    new ArrayFeed(ecgMillivolts(2000)), 0);
            EventLog log = new EventLog();
            Max86150Driver driver = new Max86150Driver(DEFAULTS, chip, s.time, log);
            assertThat(driver.streams()).extracting(StreamDescriptor::streamId).containsExactly("ecg", "ppg");
            assertThat(driver.streams().get(0).modality()).isEqualTo(Modality.ECG);
            assertThat(driver.streams().get(0).channels()).containsExactly(new Channel("I", "mV"));
            assertThat(driver.streams().get(1).modality()).isEqualTo(Modality.PPG);
            assertThat(driver.streams().get(1).channels()).containsExactly(new Channel("ir", "counts"),
                    new Channel("red", "counts"));
            assertThat(driver.streams()).allSatisfy(d -> assertThat(d.nominalRateHz()).isEqualTo(200.0));
            Capture[] caps = s.startAll(driver);
            s.runFor(5);

            int[] r = chip.registers();
            assertThat(r[SYSTEM_CONTROL]).isEqualTo(0x04); // FIFO_EN
            assertThat(r[FIFO_CONFIG]).isEqualTo(0x0F); // rollover off, A_FULL at 17
            assertThat(r[FIFO_DATA_CONTROL_1]).isEqualTo(0x21); // FD2 = LED2 (red), FD1 = LED1 (IR)
            assertThat(r[FIFO_DATA_CONTROL_2]).isEqualTo(0x09); // FD4 none, FD3 = ECG
            assertThat(r[PPG_CONFIG_1]).isEqualTo(0x97); // 16384 nA, 200 SPS, 400 us
            assertThat(r[PPG_CONFIG_2]).isEqualTo(0x00); // no averaging
            assertThat(r[LED1_PA]).isEqualTo(50); // 10 mA / 0.2 mA
            assertThat(r[LED2_PA]).isEqualTo(50);
            assertThat(r[ECG_CONFIG_1]).isEqualTo(0x03); // slow ADC clock, OSR code 3: 200 SPS
            assertThat(r[ECG_CONFIG_3]).isEqualTo(0x0D); // PGA 8, IA 9.5
            assertThat(driver.registers()[PART_ID]).isEqualTo(0x1E);
            assertThat(LSB * 1000).isCloseTo(12.247 / 76, org.assertj.core.data.Offset.offset(1e-12));

            Capture ecg = caps[0];
            Capture ppgCap = caps[1];
            // 5 s at 200 Hz, polled every 8 samples (40 ms), the last block of 20 possibly not yet full
            assertThat(ecg.n).isBetween(960, 1000);
            assertThat(ppgCap.n).isEqualTo(ecg.n);
            int clipped = 0;
            for (int i = 0; i < ecg.n; i++) {
                assertThat(ecg.seq[i]).isEqualTo(i);
                assertThat(ppgCap.seq[i]).isEqualTo(i);
                assertThat(ecg.timestamp[i]).isEqualTo(ppgCap.timestamp[i]);
                assertThat(ecg.values[0][i]).as("ECG sample %d", i).isEqualTo(expectedEcg(i));
                assertThat(ppgCap.values[0][i]).as("IR sample %d", i).isEqualTo(ppg[0][i]);
                assertThat(ppgCap.values[1][i]).as("red sample %d", i).isEqualTo(ppg[1][i]);
                clipped += i % 97 == 5 ? 1 : 0;
            }
            assertThat(clipped).isGreaterThan(8);
            assertThat(driver.gaps()).isZero();
            assertThat(log.all()).isEmpty();
        }
    }

    @Test
    void runsPpgOnlyAtTheAveragedRateWithItsOwnSlotLayout() {
        try (Scenario s = new Scenario()) {
            double[][] ppg = ppgCounts(2000);
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppg),
                    new ArrayFeed(ecgMillivolts(2000)), 0);
            Max86150Config config = new Max86150Config(null, "I", "ppg", 200, 9.5, 8, 400, 4, 200, 4096, 7, 5, false,
                    64, 10);
            Max86150Driver driver = new Max86150Driver(config, chip, s.time, new EventLog());
            assertThat(driver.streams()).extracting(StreamDescriptor::streamId).containsExactly("ppg");
            assertThat(driver.stream().nominalRateHz()).isEqualTo(100.0);
            Capture cap = s.start(driver);
            s.runFor(3);
            int[] r = chip.registers();
            assertThat(r[FIFO_DATA_CONTROL_1]).isEqualTo(0x21);
            assertThat(r[FIFO_DATA_CONTROL_2]).isEqualTo(0x00);
            assertThat(r[PPG_CONFIG_1]).isEqualTo(0x1A); // 4096 nA, 400 SPS, 200 us
            assertThat(r[PPG_CONFIG_2]).isEqualTo(0x02); // 4 averaged
            assertThat(r[LED1_PA]).isEqualTo(35);
            assertThat(r[LED2_PA]).isEqualTo(25);
            assertThat(cap.n).isBetween(280, 300);
            for (int i = 0; i < cap.n; i++) {
                assertThat(cap.seq[i]).isEqualTo(i);
                assertThat(cap.values[0][i]).isEqualTo(ppg[0][i]);
                assertThat(cap.values[1][i]).isEqualTo(ppg[1][i]);
            }
        }
    }

    @Test
    void runsEcgOnlyWithEcgInTheFirstSlot() {
        try (Scenario s = new Scenario()) {
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppgCounts(4000)),
                    new ArrayFeed(ecgMillivolts(4000)), 0);
            Max86150Config config = new Max86150Config("ecg", "II", null, 800, 9.5, 8, 200, 1, 400, 16384, 0, 0,
                    false, 64, 40);
            Max86150Driver driver = new Max86150Driver(config, chip, s.time, new EventLog());
            assertThat(driver.streams()).containsExactly(new StreamDescriptor("ecg", "MAX86150", Modality.ECG,
                    List.of(new Channel("II", "mV")), 800));
            Capture cap = s.start(driver);
            s.runFor(2);
            assertThat(chip.registers()[FIFO_DATA_CONTROL_1]).isEqualTo(0x09);
            assertThat(chip.registers()[ECG_CONFIG_1]).isEqualTo(0x01); // slow clock, OSR code 1: 800 SPS
            assertThat(cap.n).isBetween(1560, 1600);
            for (int i = 0; i < cap.n; i++) {
                assertThat(cap.seq[i]).isEqualTo(i);
                assertThat(cap.values[0][i]).isEqualTo(expectedEcg(i));
            }
        }
    }

    /** Holds the acquisition thread for a while before one FIFO pointer read, as a descheduled system would. */
    static class StallingBus implements I2cBus {
        final I2cBus bus;
        final VirtualTime time;
        final int stallAt;
        final long stallNanos;
        int reads;

        StallingBus(I2cBus bus, VirtualTime time, int stallAt, long stallNanos) {
            this.bus = bus;
            this.time = time;
            this.stallAt = stallAt;
            this.stallNanos = stallNanos;
        }

        @Override
        public int address() {
            return bus.address();
        }

        @Override
        public int readRegister(int register) throws BusException {
            return bus.readRegister(register);
        }

        @Override
        public void writeRegister(int register, int value) throws BusException {
            bus.writeRegister(register, value);
        }

        @Override
        public void readRegisters(int register, byte[] dst, int off, int len) throws BusException {
            if (register == FIFO_WR_PTR && ++reads == stallAt) {
                try {
                    time.sleepUntil(time.nanoTime() + stallNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BusException("interrupted", e);
                }
            }
            bus.readRegisters(register, dst, off, len);
        }

        @Override
        public void close() {
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void countsSamplesLostToAFullFifoAsOneGapOfExactlyThatLength(boolean rollover) {
        try (Scenario s = new Scenario()) {
            double[][] ppg = ppgCounts(5000);
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppg),
                    new ArrayFeed(ecgMillivolts(5000)), 0);
            EventLog log = new EventLog();
            // 200 ms without reading at 200 Hz: 40 samples more into a FIFO that already held about 8
            Max86150Driver driver = new Max86150Driver(DEFAULTS.withRollover(rollover),
                    new StallingBus(chip, s.time, 10, 200_000_000L), s.time, log);
            Capture[] caps = s.startAll(driver);
            s.runFor(3);
            assertThat(chip.registers()[FIFO_CONFIG]).isEqualTo(rollover ? 0x1F : 0x0F);
            assertThat(chip.lostSamples()).isBetween(10L, 25L);
            assertThat(driver.overflows()).isEqualTo(1);
            assertThat(driver.gaps()).isEqualTo(1);
            assertThat(driver.lostSamples()).isEqualTo(chip.lostSamples());
            assertThat(log.of(TechnicalEventType.FIFO_OVERFLOW)).hasSize(1).first().satisfies(e -> assertThat(
                    e.detail()).startsWith(chip.lostSamples() + " sample(s) lost"));
            assertThat(log.of(TechnicalEventType.SAMPLES_LOST)).hasSize(1);
            // every sample after the gap is the feed's sample at its sequence number: nothing shifted or invented
            for (Capture c : caps) {
                assertThat(c.n).isGreaterThan(500);
            }
            for (int i = 0; i < caps[0].n; i++) {
                int seq = (int) caps[0].seq[i];
                assertThat(caps[0].values[0][i]).as("ECG seq %d", seq).isEqualTo(expectedEcg(seq));
                assertThat(caps[1].values[0][i]).as("IR seq %d", seq).isEqualTo(ppg[0][seq]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void estimatesTheLossFromElapsedTimeWhenTheOverflowCounterSaturates(boolean rollover) {
        try (Scenario s = new Scenario()) {
            double[][] ppg = ppgCounts(5000);
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppg),
                    new ArrayFeed(ecgMillivolts(5000)), 120);
            EventLog log = new EventLog();
            // 1 s without reading after 5 s: about 170 samples lost, far past the counter's 31
            Max86150Driver driver = new Max86150Driver(DEFAULTS.withRollover(rollover),
                    new StallingBus(chip, s.time, 125, 1_000_000_000L), s.time, log);
            Capture[] caps = s.startAll(driver);
            s.runFor(9);
            System.out.printf("MAX86150 FIFO overflow, rollover %s: %d samples really lost, %d counted (OVF_COUNTER"
                    + " saturated at 31)%n", rollover ? "on" : "off", chip.lostSamples(), driver.lostSamples());
            assertThat(chip.lostSamples()).isBetween(150L, 200L);
            assertThat(driver.lostSamples()).isEqualTo(chip.lostSamples());
            assertThat(log.of(TechnicalEventType.FIFO_OVERFLOW)).hasSize(1).first().satisfies(e -> assertThat(
                    e.detail()).contains("saturated at 31: about " + chip.lostSamples()));
            for (int i = 0; i < caps[0].n; i++) {
                int seq = (int) caps[0].seq[i];
                assertThat(caps[0].values[0][i]).as("ECG seq %d", seq).isEqualTo(expectedEcg(seq));
                assertThat(caps[1].values[1][i]).as("red seq %d", seq).isEqualTo(ppg[1][seq]);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "UNPLUGGED, I2C_NACK",
        "NACK, I2C_NACK",
        "MISO_STUCK_HIGH, SPI_ALL_ONES",
        "MISO_STUCK_LOW, SPI_ALL_ZEROS",
        "DATA_READY_STALL, DATA_READY_STALL"
    })
    void raisesTheFaultRecoversAndCountsTheOutageAsOneGap(EmulatorFault fault, TechnicalEventType first) {
        try (Scenario s = new Scenario()) {
            double[][] ppg = ppgCounts(3000);
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppg),
                    new ArrayFeed(ecgMillivolts(3000)), 0);
            EventLog log = new EventLog();
            Max86150Driver driver = new Max86150Driver(DEFAULTS, chip, s.time, log);
            Capture[] caps = s.startAll(driver);
            s.runFor(1);
            long beforeFault = caps[0].lastSeq();
            long faultAt = s.time.nanoTime();
            chip.setFault(fault);
            s.runFor(3);
            long duringFault = caps[0].lastSeq();
            chip.setFault(EmulatorFault.NONE);
            long clearedAt = s.time.nanoTime();
            s.runFor(3);

            List<TechnicalEvent> events = log.all();
            assertThat(events).isNotEmpty();
            TechnicalEvent e0 = events.get(0);
            assertThat(e0.type()).as(e0.toString()).isEqualTo(first);
            assertThat(e0.sensor()).isEqualTo("ecg");
            // detected at the next poll (40 ms), or after the 200 ms stall timeout when the FIFO just looks empty
            assertThat(e0.monotonicNanos()).isBetween(faultAt, faultAt + 300_000_000L);
            if (first == TechnicalEventType.I2C_NACK) {
                assertThat(e0.detail()).contains("0x5E");
            }
            assertThat(log.of(TechnicalEventType.RECOVERED)).hasSize(1).first()
                    .satisfies(e -> assertThat(e.monotonicNanos()).isBetween(clearedAt, clearedAt + 2_100_000_000L));
            // exponential backoff: 50, 100, 200, ... ms capped at 2 s: a handful of attempts in 3 s, not hundreds
            assertThat(driver.faults()).isBetween(3L, 9L);
            assertThat(driver.recoveries()).isEqualTo(1);
            assertThat(duringFault - beforeFault).isLessThan(60);

            // the outage is one gap of about its duration; both streams continue with later sequence numbers
            assertThat(driver.gaps()).isEqualTo(1);
            double outageSeconds = driver.lostSamples() / 200.0;
            assertThat(outageSeconds).isBetween(2.8, 5.3);
            assertThat(caps[0].lastSeq()).isGreaterThan(duringFault + 400);
            assertThat(caps[1].lastSeq()).isEqualTo(caps[0].lastSeq());
            for (Capture c : caps) {
                for (int i = 1; i < c.n; i++) {
                    assertThat(c.seq[i]).isGreaterThan(c.seq[i - 1]);
                }
            }
            // reprogrammed (after an unplug the chip came back at its reset values)
            assertThat(chip.registers()[ECG_CONFIG_3]).isEqualTo(0x0D);
            assertThat(chip.registers()[FIFO_DATA_CONTROL_1]).isEqualTo(0x21);
            assertThat(chip.registers()[SYSTEM_CONTROL]).isEqualTo(SYS_FIFO_EN);
            if (fault == EmulatorFault.NACK) {
                assertThat(chip.lostSamples()).as("the NACKing chip kept sampling into its FIFO").isPositive();
            }
        }
    }

    @Test
    void diagnosesAChipThatResetItselfAndReprogramsIt() throws Exception {
        try (Scenario s = new Scenario()) {
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppgCounts(1000)),
                    new ArrayFeed(ecgMillivolts(1000)), 0);
            EventLog log = new EventLog();
            Max86150Driver driver = new Max86150Driver(DEFAULTS, chip, s.time, log);
            s.startAll(driver);
            s.runFor(1);
            // a brown-out: the chip is back at its power-on values without the driver having touched it
            chip.writeRegister(SYSTEM_CONTROL, SYS_RESET);
            s.runFor(1.5);
            assertThat(log.all().get(0).type()).isEqualTo(TechnicalEventType.DATA_READY_STALL);
            assertThat(log.all().get(0).detail()).contains("SYSTEM_CONTROL reads 0x00", "reset");
            assertThat(log.count(TechnicalEventType.RECOVERED)).isEqualTo(1);
            assertThat(chip.registers()[ECG_CONFIG_3]).isEqualTo(0x0D);
        }
    }

    @Test
    void reportsAnotherChipAtTheAddressAsADeviceIdMismatch() {
        try (Scenario s = new Scenario()) {
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppgCounts(10)),
                    new ArrayFeed(ecgMillivolts(10)), 0);
            I2cBus wrongChip = new StallingBus(chip, s.time, -1, 0) {
                @Override
                public int readRegister(int register) throws BusException {
                    return register == PART_ID ? 0x15 : super.readRegister(register);
                }
            };
            EventLog log = new EventLog();
            Max86150Driver driver = new Max86150Driver(DEFAULTS, wrongChip, s.time, log);
            s.startAll(driver);
            s.runFor(0.5);
            assertThat(log.all()).isNotEmpty().allSatisfy(e -> {
                assertThat(e.type()).isEqualTo(TechnicalEventType.DEVICE_ID_MISMATCH);
                assertThat(e.detail()).isEqualTo("PART_ID reads 0x15, expected 0x1E (MAX86150)");
            });
        }
    }

    @Test
    void playsTheSimulatorsEcgAndPpgBitExactlyWithDriftEstimated() {
        try (Scenario s = new Scenario()) {
            SimulatorConfig sim = SimulatorConfig.defaults().withRates(200, 200, 500);
            Max86150Emulator chip = new Max86150Emulator(s.time, Max86150Emulator.ppgFeed(new PhysiologySimulator(sim)),
                    Max86150Emulator.ecgFeed(new PhysiologySimulator(sim)), -300);
            Max86150Driver driver = new Max86150Driver(DEFAULTS, chip, s.time, new EventLog());
            Capture[] caps = s.startAll(driver);
            s.runFor(120);
            double ppm = driver.streamClock().driftPpm();
            long worst = 0;
            for (int i = 0; i < caps[0].n; i++) {
                if (caps[0].seq[i] > 20 * 200 && caps[0].blockStart[i]) {
                    worst = Math.max(worst, Math.abs(caps[0].timestamp[i] - chip.sampleNanos(caps[0].seq[i])));
                }
            }
            System.out.printf("MAX86150 at -300 ppm, 200 SPS, FIFO polled every 40 ms: estimated %+.1f ppm after 120 s,"
                    + " block timestamps within %d us of the true sample times after 20 s (period 5000 us)%n", ppm,
                    worst / 1000);
            assertThat(ppm).isBetween(-360.0, -240.0);
            assertThat(worst).isLessThan(5_000_000L);

            SimulatorFeed ecgTruth = Max86150Emulator.ecgFeed(new PhysiologySimulator(sim));
            SimulatorFeed ppgTruth = Max86150Emulator.ppgFeed(new PhysiologySimulator(sim));
            double[] e = new double[1];
            double[] p = new double[2];
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            assertThat(caps[0].n).isGreaterThan(23_900);
            for (int i = 0; i < caps[0].n; i++) {
                ecgTruth.next(e);
                ppgTruth.next(p);
                assertThat(caps[0].seq[i]).isEqualTo(i);
                assertThat(caps[0].values[0][i]).as("ECG %d", i).isEqualTo(Math.rint(e[0] / LSB) * LSB);
                assertThat(caps[1].values[0][i]).as("IR %d", i).isEqualTo((double) Math.round(p[0]));
                assertThat(caps[1].values[1][i]).as("red %d", i).isEqualTo((double) Math.round(p[1]));
                min = Math.min(min, caps[0].values[0][i]);
                max = Math.max(max, caps[0].values[0][i]);
            }
            assertThat(max - min).as("lead I swing in mV").isGreaterThan(0.3);
        }
    }

    /**
     * The acquisition thread's allocation in steady state, on the real clock (a virtual time's condition waits
     * allocate by themselves, which would hide the driver's own behaviour). Measured in four 1 s windows after 2 s of
     * warm-up: anything the per-poll, per-sample or per-block path allocated would show in every window (at least 16
     * bytes times 25 polls or 10 blocks), while the JIT replacing a compiled method can allocate a few hundred bytes
     * once on the thread that runs it (on a loaded CI machine this was seen in two windows of one run: 176 and 88
     * bytes); so at least half of six windows must be exactly zero.
     */
    @Test
    void allocatesNothingPerPollInSteadyState() throws Exception {
        HostTime time = HostTime.system();
        Max86150Emulator chip = new Max86150Emulator(time, new ArrayFeed(ppgCounts(4000)),
                new ArrayFeed(ecgMillivolts(4000)), 0);
        try (Max86150Driver driver = new Max86150Driver(DEFAULTS, chip, time, new EventLog())) {
            Capture ecg = new Capture(driver.ring("ecg"), 1);
            Capture ppg = new Capture(driver.ring("ppg"), 2);
            driver.start();
            Thread acq = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("acq-ecg")).findFirst().orElseThrow();
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            RealTimeRun.runFor(2, ecg, ppg);
            long[] bytes = new long[6];
            long framesBefore = driver.frames();
            for (int w = 0; w < bytes.length; w++) {
                long before = threads.getThreadAllocatedBytes(acq.threadId());
                RealTimeRun.runFor(1, ecg, ppg);
                bytes[w] = threads.getThreadAllocatedBytes(acq.threadId()) - before;
            }
            long frames = driver.frames() - framesBefore;
            System.out.printf("MAX86150 acquisition thread: bytes allocated per 1 s window (200 SPS, 25 polls) %s,"
                    + " %d frames%n", java.util.Arrays.toString(bytes), frames);
            assertThat(frames).isGreaterThan(900);
            assertThat(driver.faults()).as("a fault (and its event) in the window would allocate").isZero();
            assertThat(driver.overflows()).isZero();
            assertThat(java.util.Arrays.stream(bytes).filter(b -> b == 0).count()).as(java.util.Arrays.toString(bytes))
                    .isGreaterThanOrEqualTo(bytes.length / 2);
        }
    }

    @Test
    void deliversMitBihRecord100ThroughTheEcgChannelQuantisedToItsLsb() throws Exception {
        String shared = System.getProperty("cardiogate.shared");
        assumeThat(shared).as("system property cardiogate.shared (reference recordings) not set").isNotNull();
        Path rec = Path.of(shared, "data", "mitdb", "100");
        assumeThat(Files.exists(Path.of(rec + ".hea"))).as("MIT-BIH record 100 not found under " + shared).isTrue();
        WfdbRecord record = WfdbRecord.read(rec);
        try (Scenario s = new Scenario()) {
            // 400 SPS: MLII held per conversion (360 Hz is not a MAX86150 rate), PPG at 800 Hz averaged by 2
            Max86150Config config = DEFAULTS.withRate(400, 2);
            Max86150Emulator chip = new Max86150Emulator(s.time, new ArrayFeed(ppgCounts(1000)),
                    new WfdbFeed(record, new int[] {0}, 400), 80);
            Max86150Driver driver = new Max86150Driver(config, chip, s.time, new EventLog());
            Capture[] caps = s.startAll(driver);
            s.runFor(60);
            Capture ecg = caps[0];
            double lsb = config.ecgLsbMillivolts();
            assertThat(ecg.n).isGreaterThan(23_900);
            double worst = 0;
            for (int i = 0; i < ecg.n; i++) {
                assertThat(ecg.seq[i]).isEqualTo(i);
                double recorded = record.physical(0, (int) Math.floor(ecg.seq[i] * 360.0 / 400.0));
                assertThat(ecg.values[0][i]).as("sample %d", i).isEqualTo(Math.rint(recorded / lsb) * lsb);
                worst = Math.max(worst, Math.abs(ecg.values[0][i] - recorded));
            }
            System.out.printf("MAX86150 replaying MIT-BIH 100 MLII at 400 SPS for 60 s: %d samples bit-exact, worst"
                    + " error %.3f uV (LSB %.4f uV at IA 9.5 x PGA 8)%n", ecg.n, worst * 1000, lsb * 1000);
            assertThat(worst).isLessThanOrEqualTo(lsb / 2 + 1e-12);
            assertThat(driver.gaps()).isZero();
        }
    }

    @Test
    void rejectsAConfigurationNamingTheField() {
        assertThatThrownBy(() -> DEFAULTS.withRate(300, 1)).hasMessageContaining("ecgRateSps 300");
        assertThatThrownBy(() -> DEFAULTS.withEcgGain(10, 8)).hasMessageContaining("ecgIaGain 10.0");
        assertThatThrownBy(() -> DEFAULTS.withEcgGain(9.5, 3)).hasMessageContaining("ecgPgaGain 3");
        assertThatThrownBy(() -> new Max86150Config("ecg", "I", "ppg", 200, 9.5, 8, 400, 1, 400, 16384, 10, 10,
                false, 64, 20)).hasMessageContaining("ppgRateHz / ppgAveraging is 400 / 1 but ecgRateSps is 200");
        assertThatThrownBy(() -> new Max86150Config(null, "I", "ppg", 200, 9.5, 8, 800, 1, 400, 16384, 10, 10,
                false, 64, 20)).hasMessageContaining("too fast for two LEDs at 400 us");
        assertThatThrownBy(() -> DEFAULTS.withLedCurrents(60, 10)).hasMessageContaining("irCurrentMa");
        assertThatThrownBy(() -> Max86150Config.defaults(null, null)).hasMessageContaining("both null");
        assertThatThrownBy(() -> Max86150Config.defaults("x", "x")).hasMessageContaining("distinct");
        // the rate helper shortens the LED pulses the faster rate needs
        Max86150Config fast = DEFAULTS.withRate(800, 2);
        assertThat(fast.ppgRateHz()).isEqualTo(1600);
        assertThat(fast.ppgPulseWidthUs()).isEqualTo(50);
        assertThat(fast.ppgConfig1() >> 2 & 0x0F).isEqualTo(9);
    }
}
