package org.cardiogate.sensor.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.DataReadyLine;
import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.bus.I2cNackException;
import org.cardiogate.sensor.bus.SpiBus;
import org.cardiogate.sensor.emulator.Ads129xEmulator;
import org.cardiogate.sensor.emulator.HostClockFeed;
import org.cardiogate.sensor.emulator.Lsm6dsoEmulator;
import org.cardiogate.sensor.emulator.Max30102Emulator;
import org.cardiogate.sensor.emulator.Max86150Emulator;
import org.cardiogate.sensor.emulator.SimulatorFeed;
import org.cardiogate.sensor.max3010x.Max30102Registers;
import org.cardiogate.sensor.max86150.Max86150Registers;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.Modality;

/**
 * A {@link BusProvider} whose buses lead to chip emulators, built as a {@link BoardWiring} describes the board: the
 * ADS129x on the wired SPI bus and chip select with its DRDY on the wired GPIO line, the MAX30102 (0x57) and MAX86150
 * (0x5E) at their fixed addresses and the LSM6DSO at its wired SA0 address, each on its wired I2C bus. Anything else
 * behaves as an empty socket does: an I2C address nobody answers NACKs, an SPI device nobody drives reads 0x00, a GPIO
 * line nobody drives never has an edge. {@link HardwareBoards#open(BoardWiring, BusProvider, HostTime,
 * org.cardiogate.sensor.fault.TechnicalEventListener)} on these buses therefore runs the production wiring path, and a
 * wiring mistake (a wrong address, chip select or DRDY line) shows up as the technical event the real board would
 * give.
 *
 * <p>Every chip is fed by its own {@link PhysiologySimulator} with the one patient configuration, read through a
 * {@link HostClockFeed} at {@link EmulatedBoards#SIMULATOR_RATE_HZ} anchored at the host time of construction
 * ({@link #originNanos()}), so all chips see the same heart at the same host time (as in {@link EmulatedBoards}):
 * ADS129x channels I, II, III (= II - I) then 0 mV; MAX30102 red and infrared; MAX86150 infrared, red and lead I;
 * LSM6DSO 1000 mg plus the SCG on the wired axis. Oscillators are ideal unless a drift is given.
 *
 * <p>Threading: open buses from the control thread; the emulators' fault switches are callable from any thread.
 * {@link #opened()} lists what was opened, for tests of the wiring path.
 */
public final class EmulatedBuses implements BusProvider {
    private final BoardWiring wiring;
    private final long originNanos;
    private final Ads129xEmulator ads129x;
    private final Max30102Emulator max30102;
    private final Max86150Emulator max86150;
    private final Lsm6dsoEmulator lsm6dso;
    private final List<String> opened = new ArrayList<>();

    /**
     * @param wiring   the board to emulate
     * @param patient  the simulated patient (its sample rates are ignored)
     * @param time     {@link HostTime#system()} for real time, or a virtual time
     * @param driftPpm oscillator error of every chip, ppm (|value| < 200000)
     */
    public EmulatedBuses(BoardWiring wiring, SimulatorConfig patient, HostTime time, double driftPpm) {
        this.wiring = Objects.requireNonNull(wiring, "wiring");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(time, "time");
        this.originNanos = time.nanoTime();
        double rate = EmulatedBoards.SIMULATOR_RATE_HZ;
        SimulatorConfig sim = patient.withRates(rate, rate, rate);
        if (wiring.ads129x() != null) {
            Ads129xModel model = wiring.ads129x().model();
            HostClockFeed feed = new HostClockFeed(SimulatorFeed.ecgLeads(new PhysiologySimulator(sim),
                    model.channels()), rate, originNanos);
            ads129x = new Ads129xEmulator(model, time, feed, driftPpm, 1);
            feed.bind(ads129x::conversionNanos);
        } else {
            ads129x = null;
        }
        if (wiring.max30102() != null) {
            HostClockFeed feed = new HostClockFeed(new SimulatorFeed(new PhysiologySimulator(sim), Modality.PPG,
                    new double[][] {{1, 0}, {0, 1}}, new double[2]), rate, originNanos);
            max30102 = new Max30102Emulator(time, feed, driftPpm);
            feed.bind(max30102::sampleNanos);
        } else {
            max30102 = null;
        }
        if (wiring.max86150() != null) {
            HostClockFeed ppg = new HostClockFeed(Max86150Emulator.ppgFeed(new PhysiologySimulator(sim)), rate,
                    originNanos);
            HostClockFeed ecg = new HostClockFeed(Max86150Emulator.ecgFeed(new PhysiologySimulator(sim)), rate,
                    originNanos);
            max86150 = new Max86150Emulator(time, ppg, ecg, driftPpm);
            ppg.bind(max86150::sampleNanos);
            ecg.bind(max86150::sampleNanos);
        } else {
            max86150 = null;
        }
        if (wiring.lsm6dso() != null) {
            BoardWiring.Lsm6dsoWiring w = wiring.lsm6dso();
            HostClockFeed feed = new HostClockFeed(Lsm6dsoEmulator.scgFeed(new PhysiologySimulator(sim), w.axis(),
                    w.inverted()), rate, originNanos);
            lsm6dso = new Lsm6dsoEmulator(time, feed, driftPpm);
            feed.bind(lsm6dso::sampleNanos);
        } else {
            lsm6dso = null;
        }
    }

    @Override
    public synchronized SpiBus spi(int bus, int chipSelect, int mode, int clockHz) {
        opened.add("spi" + bus + "." + chipSelect + " mode " + mode + " at " + clockHz + " Hz");
        BoardWiring.Ads129xWiring w = wiring.ads129x();
        if (w != null && w.spiBus() == bus && w.chipSelect() == chipSelect) {
            if (mode != 1) {
                throw new IllegalArgumentException("emulated " + w.model() + " on spidev" + bus + "." + chipSelect
                        + " answers in SPI mode 1 only, opened in mode " + mode);
            }
            return ads129x;
        }
        return new SpiBus() {
            @Override
            public void transfer(byte[] tx, byte[] rx, int len) {
                java.util.Arrays.fill(rx, 0, len, (byte) 0);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public synchronized I2cBus i2c(int bus, int address) {
        opened.add("i2c-" + bus + " " + String.format("0x%02X", address));
        if (max30102 != null && wiring.max30102().i2cBus() == bus && address == Max30102Registers.I2C_ADDRESS) {
            return max30102;
        }
        if (max86150 != null && wiring.max86150().i2cBus() == bus && address == Max86150Registers.I2C_ADDRESS) {
            return max86150;
        }
        if (lsm6dso != null && wiring.lsm6dso().i2cBus() == bus && address == wiring.lsm6dso().address()) {
            return lsm6dso;
        }
        return new I2cBus() {
            @Override
            public int address() {
                return address;
            }

            @Override
            public int readRegister(int register) throws BusException {
                throw new I2cNackException(address, register);
            }

            @Override
            public void writeRegister(int register, int value) throws BusException {
                throw new I2cNackException(address, register);
            }

            @Override
            public void readRegisters(int register, byte[] dst, int off, int len) throws BusException {
                throw new I2cNackException(address, register);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public synchronized DataReadyLine dataReady(int line, HostTime time) {
        opened.add("drdy gpio " + line);
        if (ads129x != null && wiring.ads129x().drdyGpio() == line) {
            return ads129x.dataReadyLine();
        }
        return new DataReadyLine() {
            @Override
            public long awaitEdge(long timeoutNanos) throws InterruptedException {
                time.sleepUntil(time.nanoTime() + timeoutNanos);
                return -1;
            }

            @Override
            public long edges() {
                return 0;
            }

            @Override
            public long lastEdgeNanos() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * What was opened, in order, e.g. {@code "spi0.0 mode 1 at 4000000 Hz"}, {@code "i2c-1 0x57"},
     * {@code "drdy gpio 25"}.
     */
    public synchronized List<String> opened() {
        return List.copyOf(opened);
    }

    /** Host time of simulator frame 0 (the construction time). */
    public long originNanos() {
        return originNanos;
    }

    /** The emulated ADS129x, or null when none is wired. */
    public Ads129xEmulator ads129x() {
        return ads129x;
    }

    /** The emulated MAX30102, or null. */
    public Max30102Emulator max30102() {
        return max30102;
    }

    /** The emulated MAX86150, or null. */
    public Max86150Emulator max86150() {
        return max86150;
    }

    /** The emulated LSM6DSO, or null. */
    public Lsm6dsoEmulator lsm6dso() {
        return lsm6dso;
    }

    @Override
    public void close() {
    }
}
