package org.cardiogate.sensor.emulator;

import static org.cardiogate.sensor.lsm6dso.Lsm6dsoRegisters.*;

import java.util.Arrays;

import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.bus.I2cNackException;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.Modality;

/**
 * A register-level LSM6DSO accelerometer behind {@link I2cBus}: WHO_AM_I, CTRL3_C (SW_RESET back to power-on values,
 * IF_INC, BDU), CTRL1_XL (ODR 833/1667/3333 Hz, full scale), CTRL10_C (timestamp), FIFO_CTRL1..4 (watermark, BDR_XL,
 * FIFO_MODE bypass or continuous, DEC_TS_BATCH), FIFO_STATUS1/2 (DIFF_FIFO, FIFO_OVR_IA, FIFO_FULL_IA) and the
 * 512-word FIFO read through FIFO_DATA_OUT_TAG..Z_H, whose address wraps back to the tag every 7 bytes so a burst
 * pops consecutive words.
 *
 * <p>While the accelerometer runs and the FIFO is in continuous mode with BDR_XL set, each sample pushes a timestamp
 * word (when DEC_TS_BATCH and TIMESTAMP_EN are set) and then an accelerometer word (tag 0x02, X, Y, Z int16
 * little-endian). When the FIFO is full the oldest words are overwritten, FIFO_OVR_IA is set until FIFO_STATUS2 is
 * read, and every overwritten accelerometer word counts in {@link #lostSamples()}. The timestamp counts 25 µs on the
 * chip's (drifting) oscillator: sample {@code k} is stamped {@code (k + 1) * ticksPerSample} after the ODR start plus
 * the counter's value then. The TAG_CNT and TAG_PARITY bits are modelled as 0 (the driver does not read them).
 *
 * <p>Samples take the frames of a 3-channel feed (x, y, z in mg), converted to {@code round(mg / sensitivity)} clipped
 * to int16. UNPLUGGED makes every access a NACK; plugged back, the chip is at power-on values. Threading: bus methods
 * from the driver's thread, {@link #setFault} and the accessors from any.
 */
public final class Lsm6dsoEmulator implements I2cBus {
    private final HostTime time;
    private final AnalogFeed feed;
    private final ChipOscillator oscillator;
    private final int address;
    private final int[] registers = new int[256];
    private final byte[][] fifo = new byte[FIFO_WORDS][WORD_BYTES];
    private final double[] frame = new double[3];
    private volatile EmulatorFault fault = EmulatorFault.NONE;
    private boolean powered = true;
    private boolean sampling;
    private long odrStartNanos;
    private long timestampEnableNanos;
    private int ticks;
    private double sensitivity;
    private long produced = -1;
    private int head;
    private int count;
    private boolean overrun;
    private long lostSamples;

    /** @param feed 3 channels (x, y, z) in mg; @param driftPpm oscillator error, positive = fast */
    public Lsm6dsoEmulator(HostTime time, AnalogFeed feed, double driftPpm) {
        if (feed.channels() != 3) {
            throw new IllegalArgumentException("LSM6DSO emulator needs a feed of 3 channels (x, y, z in mg), got "
                    + feed.channels());
        }
        this.time = time;
        this.feed = feed;
        this.oscillator = new ChipOscillator(driftPpm);
        this.address = I2C_ADDRESS;
        powerOn();
    }

    /**
     * The simulator's seismocardiogram on one chip axis with 1 g of gravity (lying on the back), the other axes at
     * 0 mg: the simulator must run its SCG at the chip's rate ({@link Lsm6dsoConfig#rateHz()}).
     */
    public static SimulatorFeed scgFeed(PhysiologySimulator simulator, Lsm6dsoConfig.Axis axis, boolean inverted) {
        double[][] w = new double[3][1];
        double[] offsets = new double[3];
        double sign = inverted ? -1 : 1;
        w[axis.ordinal()][0] = sign;
        offsets[axis.ordinal()] = sign * 1000.0;
        return new SimulatorFeed(simulator, Modality.SCG, w, offsets);
    }

    public void setFault(EmulatorFault f) {
        this.fault = f;
    }

    /** Samples overwritten in the FIFO before the driver read them (any thread). */
    public synchronized long lostSamples() {
        return lostSamples;
    }

    /** Host time at which sample {@code k} (since the ODR was last started) was taken. */
    public synchronized long sampleNanos(long k) {
        return oscillator.completionNanos(k);
    }

    public synchronized int[] registers() {
        return registers.clone();
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public synchronized int readRegister(int register) throws I2cNackException {
        access(register);
        return read(register & 0xFF);
    }

    @Override
    public synchronized void writeRegister(int register, int value) throws I2cNackException {
        access(register);
        int v = value & 0xFF;
        switch (register) {
            case CTRL3_C -> {
                if ((v & CTRL3_SW_RESET) != 0) {
                    powerOn();
                } else {
                    registers[CTRL3_C] = v;
                }
            }
            case CTRL1_XL -> {
                registers[CTRL1_XL] = v;
                int t = Lsm6dsoConfig.ticksOfCode(v >> 4);
                if (t > 0) {
                    if (!sampling || t != ticks) {
                        ticks = t;
                        oscillator.start(1e9 / (TIMESTAMP_LSB_NANOS * t), time.nanoTime());
                        odrStartNanos = time.nanoTime();
                        produced = -1;
                    }
                    sensitivity = Lsm6dsoConfig.sensitivityOfCode((v >> 2) & 0x03);
                    sampling = true;
                } else {
                    sampling = false;
                }
            }
            case CTRL10_C -> {
                if ((v & CTRL10_TIMESTAMP_EN) != 0 && (registers[CTRL10_C] & CTRL10_TIMESTAMP_EN) == 0) {
                    timestampEnableNanos = time.nanoTime();
                }
                registers[CTRL10_C] = v;
            }
            case FIFO_CTRL4 -> {
                registers[FIFO_CTRL4] = v;
                if ((v & 0x07) == FIFO_MODE_BYPASS) {
                    head = 0;
                    count = 0;
                    overrun = false;
                }
            }
            case WHO_AM_I, FIFO_STATUS1, FIFO_STATUS2 -> {
                // read-only
            }
            default -> registers[register & 0xFF] = v;
        }
    }

    @Override
    public synchronized void readRegisters(int register, byte[] dst, int off, int len) throws I2cNackException {
        access(register);
        int r = register & 0xFF;
        for (int i = 0; i < len; i++) {
            dst[off + i] = (byte) read(r);
            if (r >= FIFO_DATA_OUT_TAG && r <= FIFO_DATA_OUT_Z_H) {
                r = r == FIFO_DATA_OUT_Z_H ? FIFO_DATA_OUT_TAG : r + 1;
            } else {
                r = (r + 1) & 0xFF;
            }
        }
    }

    @Override
    public void close() {
    }

    private int read(int r) {
        return switch (r) {
            case FIFO_STATUS1 -> count & 0xFF;
            case FIFO_STATUS2 -> {
                int v = (count >> 8) & 0x03 | (overrun ? STATUS2_FIFO_OVR_IA : 0)
                        | (count == FIFO_WORDS ? STATUS2_FIFO_FULL_IA : 0);
                overrun = false;
                yield v;
            }
            default -> {
                if (r >= FIFO_DATA_OUT_TAG && r <= FIFO_DATA_OUT_Z_H) {
                    yield fifoByte(r - FIFO_DATA_OUT_TAG);
                }
                yield registers[r];
            }
        };
    }

    private int fifoByte(int index) {
        if (count == 0) {
            return 0;
        }
        int b = fifo[head][index] & 0xFF;
        if (index == WORD_BYTES - 1) {
            head = (head + 1) % FIFO_WORDS;
            count--;
        }
        return b;
    }

    private void access(int register) throws I2cNackException {
        EmulatorFault f = fault;
        if (f == EmulatorFault.UNPLUGGED) {
            powered = false;
            throw new I2cNackException(address, register);
        }
        if (!powered) {
            powered = true;
            powerOn();
        }
        if (sampling && f != EmulatorFault.DATA_READY_STALL) {
            long target = oscillator.latestAt(time.nanoTime());
            while (produced < target) {
                produced++;
                feed.next(frame);
                batch(produced);
            }
        }
    }

    private void powerOn() {
        Arrays.fill(registers, 0);
        registers[WHO_AM_I] = WHO_AM_I_VALUE;
        registers[CTRL3_C] = CTRL3_IF_INC;
        sampling = false;
        head = 0;
        count = 0;
        overrun = false;
        produced = -1;
    }

    private void batch(long k) {
        int fifoCtrl4 = registers[FIFO_CTRL4];
        if ((fifoCtrl4 & 0x07) != FIFO_MODE_CONTINUOUS || (registers[FIFO_CTRL3] & 0x0F) == 0) {
            return;
        }
        if ((fifoCtrl4 & 0xC0) != 0 && (registers[CTRL10_C] & CTRL10_TIMESTAMP_EN) != 0) {
            long startTicks = Math.round((odrStartNanos - timestampEnableNanos) * (1 + oscillator.driftPpm() * 1e-6)
                    / TIMESTAMP_LSB_NANOS);
            long ts = startTicks + (k + 1) * ticks;
            byte[] w = push();
            w[0] = (byte) (TAG_TIMESTAMP << 3);
            for (int i = 0; i < 4; i++) {
                w[1 + i] = (byte) (ts >>> (8 * i));
            }
            w[5] = 0;
            w[6] = 0;
        }
        byte[] w = push();
        w[0] = (byte) (TAG_ACCELEROMETER << 3);
        for (int a = 0; a < 3; a++) {
            long code = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(frame[a] / sensitivity)));
            w[1 + 2 * a] = (byte) code;
            w[2 + 2 * a] = (byte) (code >> 8);
        }
    }

    /** The slot for a new word; overwrites the oldest when full. */
    private byte[] push() {
        if (count == FIFO_WORDS) {
            if ((fifo[head][0] & 0xFF) >>> 3 == TAG_ACCELEROMETER) {
                lostSamples++;
            }
            head = (head + 1) % FIFO_WORDS;
            count--;
            overrun = true;
        }
        byte[] w = fifo[(head + count) % FIFO_WORDS];
        count++;
        return w;
    }
}
