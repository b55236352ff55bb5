package org.cardiogate.sensor.max3010x;

import static org.assertj.core.api.Assertions.assertThat;

import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.emulator.ArrayFeed;
import org.cardiogate.sensor.emulator.EmulatorFault;
import org.cardiogate.sensor.emulator.Max30102Emulator;
import org.cardiogate.sensor.emulator.SimulatorFeed;
import org.cardiogate.sensor.emulator.VirtualTime;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.cardiogate.signal.Modality;
import org.junit.jupiter.api.Test;

class Max30102DriverTest {

    static double[][] counts(int n) {
        double[][] v = new double[2][n];
        for (int i = 0; i < n; i++) {
            v[0][i] = (i * 7919) % 262_144;
            v[1][i] = 262_143 - (i * 104_729) % 262_144;
        }
        return v;
    }

    @Test
    void programsTheDatasheetRegistersAndReadsEveryFifoSampleBitExactly() {
        try (Scenario s = new Scenario()) {
            double[][] v = counts(1000);
            Max30102Emulator chip = new Max30102Emulator(s.time, new ArrayFeed(v), 0);
            Max30102Driver driver = new Max30102Driver(Max30102Config.defaults("ppg"), chip, s.time, new EventLog());
            Capture cap = s.start(driver);
            s.runFor(5);
            int[] r = chip.registers();
            assertThat(r[Max30102Registers.MODE_CONFIG]).isEqualTo(0x03);
            assertThat(r[Max30102Registers.SPO2_CONFIG]).isEqualTo(0x27); // 4096 nA, 100 Hz, 411 us
            assertThat(r[Max30102Registers.FIFO_CONFIG]).isEqualTo(0x0F);
            assertThat(r[Max30102Registers.LED1_PA]).isEqualTo(35); // 7 mA / 0.2 mA
            assertThat(cap.n).isBetween(480, 500);
            for (int i = 0; i < cap.n; i++) {
                assertThat(cap.seq[i]).isEqualTo(i);
                assertThat(cap.values[0][i]).isEqualTo(v[0][i]);
                assertThat(cap.values[1][i]).isEqualTo(v[1][i]);
            }
            assertThat(driver.gaps()).isZero();
        }
    }

    /** Holds the acquisition thread for a while on one FIFO read, as a stalled system would. */
    static final class StallingBus implements I2cBus {
        final I2cBus bus;
        final VirtualTime time;
        int reads;
        final int stallAt;

        StallingBus(I2cBus bus, VirtualTime time, int stallAt) {
            this.bus = bus;
            this.time = time;
            this.stallAt = stallAt;
        }

        @Override
        public int address() {
            return bus.address();
        }

        @Override
        public int readRegister(int register) throws BusException {
            if (register == Max30102Registers.OVF_COUNTER && ++reads == stallAt) {
                try {
                    time.sleepUntil(time.nanoTime() + 500_000_000L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BusException("interrupted", e);
                }
            }
            return bus.readRegister(register);
        }

        @Override
        public void writeRegister(int register, int value) throws BusException {
            bus.writeRegister(register, value);
        }

        @Override
        public void readRegisters(int register, byte[] dst, int off, int len) throws BusException {
            bus.readRegisters(register, dst, off, len);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void countsSamplesLostToAFullFifoAsAGapOfExactlyThatLength() {
        try (Scenario s = new Scenario()) {
            double[][] v = counts(5000);
            Max30102Emulator chip = new Max30102Emulator(s.time, new ArrayFeed(v), 0);
            EventLog log = new EventLog();
            Max30102Driver driver = new Max30102Driver(Max30102Config.defaults("ppg"), new StallingBus(chip, s.time,
                    10), s.time, log);
            Capture cap = s.start(driver);
            s.runFor(3);
            // 500 ms at 100 Hz is 50 samples into a 32-deep FIFO that already held some: about 20 are lost
            assertThat(chip.lostSamples()).isBetween(15L, 30L);
            assertThat(driver.overflows()).isEqualTo(1);
            assertThat(driver.lostSamples()).isEqualTo(chip.lostSamples());
            assertThat(driver.gaps()).isEqualTo(1);
            assertThat(log.of(TechnicalEventType.FIFO_OVERFLOW)).hasSize(1);
            // the samples after the gap are the feed's samples at their sequence numbers: nothing shifted or invented
            for (int i = 0; i < cap.n; i++) {
                assertThat(cap.values[0][i]).as("seq %d", cap.seq[i]).isEqualTo(v[0][(int) cap.seq[i]]);
            }
        }
    }

    @Test
    void recoversFromI2cNackAfterTheBoardIsPluggedBack() {
        try (Scenario s = new Scenario()) {
            Max30102Emulator chip = new Max30102Emulator(s.time, new ArrayFeed(counts(100)), 0);
            EventLog log = new EventLog();
            Max30102Driver driver = new Max30102Driver(Max30102Config.defaults("ppg"), chip, s.time, log);
            Capture cap = s.start(driver);
            s.runFor(1);
            chip.setFault(EmulatorFault.UNPLUGGED);
            s.runFor(2);
            long during = cap.lastSeq();
            chip.setFault(EmulatorFault.NONE);
            s.runFor(3);
            assertThat(log.all().get(0).type()).isEqualTo(TechnicalEventType.I2C_NACK);
            assertThat(log.all().get(0).detail()).contains("0x57");
            assertThat(log.count(TechnicalEventType.RECOVERED)).isEqualTo(1);
            assertThat(driver.faults()).isBetween(3L, 8L);
            assertThat(cap.lastSeq()).isGreaterThan(during + 200);
            assertThat(driver.gaps()).isEqualTo(1);
            assertThat(chip.registers()[Max30102Registers.SPO2_CONFIG]).isEqualTo(0x27);
        }
    }

    @Test
    void playsTheSimulatorsPpgWithDriftEstimated() {
        try (Scenario s = new Scenario()) {
            PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults().withRates(500, 100, 500));
            Max30102Emulator chip = new Max30102Emulator(s.time, new SimulatorFeed(sim, Modality.PPG,
                    new double[][] {{1, 0}, {0, 1}}, new double[2]), -300);
            Max30102Driver driver = new Max30102Driver(Max30102Config.defaults("ppg"), chip, s.time, new EventLog());
            Capture cap = s.start(driver);
            s.runFor(120);
            System.out.printf("MAX30102 at -300 ppm, FIFO polled every 80 ms: estimated %+.1f ppm after 120 s%n",
                    driver.streamClock().driftPpm());
            assertThat(driver.streamClock().driftPpm()).isBetween(-360.0, -240.0);
            double min = Double.MAX_VALUE;
            double max = 0;
            for (int i = 0; i < cap.n; i++) {
                min = Math.min(min, cap.values[1][i]);
                max = Math.max(max, cap.values[1][i]);
            }
            assertThat(min).isGreaterThan(50_000);
            assertThat(max - min).isGreaterThan(500);
        }
    }
}
