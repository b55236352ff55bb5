package org.cardiogate.sensor.lsm6dso;

import static org.assertj.core.api.Assertions.assertThat;

import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.emulator.ArrayFeed;
import org.cardiogate.sensor.emulator.EmulatorFault;
import org.cardiogate.sensor.emulator.Lsm6dsoEmulator;
import org.cardiogate.sensor.emulator.SimulatorFeed;
import org.cardiogate.sensor.emulator.VirtualTime;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.junit.jupiter.api.Test;

class Lsm6dsoDriverTest {
    static final double SENS = 0.061;

    /** x, y, z in mg: distinct pseudo-random int16 codes on each axis. */
    static double[][] accel(int n) {
        double[][] v = new double[3][n];
        for (int i = 0; i < n; i++) {
            v[0][i] = ((i * 7919) % 65_536 - 32_768) * SENS;
            v[1][i] = ((i * 104_729 + 13) % 65_536 - 32_768) * SENS;
            v[2][i] = (16_393 + (i * 31) % 200) * SENS;
        }
        return v;
    }

    static double code(double mg) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(mg / SENS)));
    }

    @Test
    void programsTheDatasheetRegistersAndReadsTheChosenAxisBitExactly() {
        try (Scenario s = new Scenario()) {
            double[][] v = accel(5000);
            Lsm6dsoEmulator chip = new Lsm6dsoEmulator(s.time, new ArrayFeed(v), 0);
            Lsm6dsoConfig config = Lsm6dsoConfig.defaults("scg").withAxis(Lsm6dsoConfig.Axis.Y, true);
            Lsm6dsoDriver driver = new Lsm6dsoDriver(config, chip, s.time, new EventLog());
            Capture cap = s.start(driver);
            s.runFor(2);
            int[] r = chip.registers();
            assertThat(r[Lsm6dsoRegisters.WHO_AM_I]).isEqualTo(0x6C);
            assertThat(r[Lsm6dsoRegisters.CTRL1_XL]).isEqualTo(0x70); // 833 Hz, +-2 g
            assertThat(r[Lsm6dsoRegisters.CTRL3_C]).isEqualTo(0x44); // BDU, IF_INC
            assertThat(r[Lsm6dsoRegisters.CTRL10_C]).isEqualTo(0x20); // timestamp on
            assertThat(r[Lsm6dsoRegisters.FIFO_CTRL3]).isEqualTo(0x07); // BDR_XL 833 Hz
            assertThat(r[Lsm6dsoRegisters.FIFO_CTRL4]).isEqualTo(0x46); // timestamp every batch, continuous
            assertThat(driver.registers()[Lsm6dsoRegisters.FIFO_CTRL4]).isEqualTo(0x46);
            assertThat(driver.stream().nominalRateHz()).isEqualTo(40_000.0 / 48);
            // 2 s at 833.33 Hz, polled every 50 ms: all but the last poll's worth are in
            assertThat(cap.n).isBetween(1500, 1667);
            for (int i = 0; i < cap.n; i++) {
                assertThat(cap.seq[i]).isEqualTo(i);
                assertThat(cap.values[0][i]).as("seq %d", i).isEqualTo(-code(v[1][i]) * SENS);
            }
            assertThat(driver.gaps()).isZero();
            assertThat(driver.overflows()).isZero();
        }
    }

    /** Holds the acquisition thread on one FIFO status read, as a descheduled system would. */
    static final class StallingBus implements I2cBus {
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
            if (register == Lsm6dsoRegisters.FIFO_STATUS1 && ++reads == stallAt) {
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

    @Test
    void countsSamplesOverwrittenInTheFifoAsOneGapOfExactlyThatLength() {
        try (Scenario s = new Scenario()) {
            double[][] v = accel(20_000);
            Lsm6dsoEmulator chip = new Lsm6dsoEmulator(s.time, new ArrayFeed(v), 150);
            EventLog log = new EventLog();
            Lsm6dsoDriver driver = new Lsm6dsoDriver(Lsm6dsoConfig.defaults("scg"),
                    new StallingBus(chip, s.time, 10, 500_000_000L), s.time, log);
            Capture cap = s.start(driver);
            s.runFor(2);
            // 550 ms of samples at 833 Hz (about 458, two words each) into a 512-word FIFO: about 200 are lost
            assertThat(chip.lostSamples()).isBetween(150L, 250L);
            assertThat(driver.overflows()).isEqualTo(1);
            assertThat(driver.gaps()).isEqualTo(1);
            assertThat(driver.lostSamples()).isEqualTo(chip.lostSamples());
            assertThat(log.of(TechnicalEventType.FIFO_OVERFLOW)).hasSize(1);
            assertThat(log.of(TechnicalEventType.SAMPLES_LOST)).hasSize(1);
            for (int i = 0; i < cap.n; i++) {
                assertThat(cap.values[0][i]).as("seq %d", cap.seq[i]).isEqualTo(code(v[2][(int) cap.seq[i]]) * SENS);
            }
        }
    }

    @Test
    void recoversFromI2cNackAfterTheBoardIsPluggedBackAndReprogramsIt() {
        try (Scenario s = new Scenario()) {
            Lsm6dsoEmulator chip = new Lsm6dsoEmulator(s.time, new ArrayFeed(accel(1000)), 0);
            EventLog log = new EventLog();
            Lsm6dsoDriver driver = new Lsm6dsoDriver(Lsm6dsoConfig.defaults("scg").withOdr(1667), chip, s.time,
                    log);
            Capture cap = s.start(driver);
            s.runFor(1);
            chip.setFault(EmulatorFault.UNPLUGGED);
            s.runFor(2);
            long during = cap.lastSeq();
            chip.setFault(EmulatorFault.NONE);
            s.runFor(2);
            assertThat(log.all().get(0).type()).isEqualTo(TechnicalEventType.I2C_NACK);
            assertThat(log.all().get(0).detail()).contains("0x6A");
            assertThat(log.count(TechnicalEventType.RECOVERED)).isEqualTo(1);
            assertThat(driver.faults()).isBetween(3L, 8L);
            assertThat(driver.gaps()).isEqualTo(1);
            // unplugged for 2 s, then up to one backoff (<= 1.6 s here) until the next attempt; the gap is the elapsed
            // time at 1666.67 Hz (the reset chip's timestamps restart, so elapsed host time is all there is)
            assertThat(driver.lostSamples()).isBetween(3300L, 6100L);
            assertThat(cap.lastSeq()).isGreaterThan(during + 2500);
            assertThat(chip.registers()[Lsm6dsoRegisters.CTRL1_XL]).isEqualTo(0x80);
        }
    }

    @Test
    void reportsAStalledFifoAndRecovers() {
        try (Scenario s = new Scenario()) {
            Lsm6dsoEmulator chip = new Lsm6dsoEmulator(s.time, new ArrayFeed(accel(1000)), 0);
            EventLog log = new EventLog();
            Lsm6dsoDriver driver = new Lsm6dsoDriver(Lsm6dsoConfig.defaults("scg"), chip, s.time, log);
            s.start(driver);
            s.runFor(0.5);
            chip.setFault(EmulatorFault.DATA_READY_STALL);
            s.runFor(0.5);
            chip.setFault(EmulatorFault.NONE);
            s.runFor(0.5);
            // stalled for 500 ms: detected after 200 ms, and again after the first reconfiguration
            assertThat(log.count(TechnicalEventType.DATA_READY_STALL)).isBetween(1L, 2L);
            assertThat(log.count(TechnicalEventType.RECOVERED)).isEqualTo(1);
        }
    }

    @Test
    void playsTheSimulatorsSeismocardiogramBitExactlyAndEstimatesTheDrift() {
        try (Scenario s = new Scenario()) {
            Lsm6dsoConfig config = Lsm6dsoConfig.defaults("scg").withAxis(Lsm6dsoConfig.Axis.X, true);
            SimulatorConfig sim = SimulatorConfig.defaults().withRates(500, 100, config.rateHz());
            Lsm6dsoEmulator chip = new Lsm6dsoEmulator(s.time, Lsm6dsoEmulator.scgFeed(new PhysiologySimulator(sim),
                    Lsm6dsoConfig.Axis.X, true), -300);
            Lsm6dsoDriver driver = new Lsm6dsoDriver(config, chip, s.time, new EventLog());
            Capture cap = s.start(driver);
            s.runFor(60);
            double ppm = driver.streamClock().driftPpm();
            long worst = 0;
            for (int i = 0; i < cap.n; i++) {
                if (cap.seq[i] > 20 * config.rateHz() && cap.blockStart[i]) {
                    worst = Math.max(worst, Math.abs(cap.timestamp[i] - chip.sampleNanos(cap.seq[i])));
                }
            }
            System.out.printf("LSM6DSO at -300 ppm, FIFO polled every 50 ms: estimated %+.1f ppm after 60 s, block"
                    + " timestamps within %d us of the true sample times after 20 s%n", ppm, worst / 1000);
            assertThat(ppm).isBetween(-340.0, -260.0);
            assertThat(worst).isLessThan(300_000L);

            SimulatorFeed truth = Lsm6dsoEmulator.scgFeed(new PhysiologySimulator(sim), Lsm6dsoConfig.Axis.X, true);
            double[] f = new double[3];
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int i = 0; i < cap.n; i++) {
                truth.next(f);
                assertThat(cap.seq[i]).isEqualTo(i);
                assertThat(cap.values[0][i]).isEqualTo(-code(f[0]) * SENS);
                min = Math.min(min, cap.values[0][i]);
                max = Math.max(max, cap.values[0][i]);
            }
            assertThat(min).isGreaterThan(950);
            assertThat(max - min).as("SCG swing in mg").isGreaterThan(5);
        }
    }
}
