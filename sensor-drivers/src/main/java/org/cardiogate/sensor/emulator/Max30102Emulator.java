package org.cardiogate.sensor.emulator;

import static org.cardiogate.sensor.max3010x.Max30102Registers.*;

import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.bus.I2cNackException;
import org.cardiogate.sensor.timing.HostTime;

/**
 * A register-level MAX30102 emulator behind {@link I2cBus}: PART_ID/REV_ID, MODE_CONFIG (RESET, SHDN, SpO2 mode),
 * FIFO_CONFIG (SMP_AVE, FIFO_ROLLOVER_EN), SPO2_CONFIG (sample rate, pulse width: resolution), LED currents, and the
 * 32-sample FIFO with FIFO_WR_PTR, FIFO_RD_PTR and OVF_COUNTER: a sample arriving when the FIFO is full is lost and
 * counted (saturating at 31) unless rollover is enabled, in which case the oldest is overwritten; popping a sample
 * (6 bytes of FIFO_DATA: red then IR, 3 bytes each, 18 bits left-justified to the resolution) clears the counter.
 *
 * <p>FIFO entries arrive at SPO2_SR / SMP_AVE on an oscillator with the given drift; each takes one frame of the
 * feed (red and IR in ADC counts, clipped to 18 bits). UNPLUGGED makes every access a NACK; plugging back powers the
 * chip up at its reset values. Threading: bus methods from the driver's thread; {@link #setFault} from any thread.
 */
public final class Max30102Emulator implements I2cBus {
    private static final int[] RATES = {50, 100, 200, 400, 800, 1000, 1600, 3200};

    private final HostTime time;
    private final AnalogFeed feed;
    private final ChipOscillator oscillator;
    private final int[] registers = new int[256];
    private final int[][] fifo = new int[FIFO_DEPTH][2];
    private final double[] frame = new double[2];
    private volatile EmulatorFault fault = EmulatorFault.NONE;
    private boolean powered = true;
    private boolean sampling;
    private long produced = -1;
    private int count;
    private int byteInSample;
    private long lostSamples;

    public Max30102Emulator(HostTime time, AnalogFeed feed, double driftPpm) {
        if (feed.channels() != 2) {
            throw new IllegalArgumentException("MAX30102 emulator needs a feed of 2 channels (red, ir), got "
                    + feed.channels());
        }
        this.time = time;
        this.feed = feed;
        this.oscillator = new ChipOscillator(driftPpm);
        powerOn();
    }

    public void setFault(EmulatorFault f) {
        this.fault = f;
    }

    /** Samples lost to a full FIFO so far (the truth the driver's gap count is checked against). */
    public synchronized long lostSamples() {
        return lostSamples;
    }

    public synchronized int[] registers() {
        return registers.clone();
    }

    /** Host time at which FIFO entry {@code n} (since sampling started) was taken. */
    public synchronized long sampleNanos(long n) {
        return oscillator.completionNanos(n);
    }

    @Override
    public int address() {
        return I2C_ADDRESS;
    }

    @Override
    public synchronized int readRegister(int register) throws I2cNackException {
        access(register);
        if (register == FIFO_DATA) {
            return fifoByte();
        }
        return registers[register & 0xFF];
    }

    @Override
    public synchronized void writeRegister(int register, int value) throws I2cNackException {
        access(register);
        int v = value & 0xFF;
        switch (register) {
            case MODE_CONFIG -> {
                if ((v & MODE_RESET) != 0) {
                    powerOn();
                    return;
                }
                registers[MODE_CONFIG] = v;
                boolean on = (v & MODE_SHUTDOWN) == 0 && (v & 0x07) == MODE_SPO2;
                if (on && !sampling) {
                    double rate = (double) RATES[(registers[SPO2_CONFIG] >> 2) & 0x07] / averaging();
                    oscillator.start(rate, time.nanoTime());
                    produced = -1;
                }
                sampling = on;
            }
            case FIFO_WR_PTR, FIFO_RD_PTR -> {
                registers[register] = v & 0x1F;
                count = (registers[FIFO_WR_PTR] - registers[FIFO_RD_PTR]) & 0x1F;
                byteInSample = 0;
            }
            case OVF_COUNTER -> registers[OVF_COUNTER] = v & 0x1F;
            case PART_ID, REV_ID, INT_STATUS_1 -> {
                // read-only
            }
            default -> registers[register & 0xFF] = v;
        }
    }

    @Override
    public synchronized void readRegisters(int register, byte[] dst, int off, int len) throws I2cNackException {
        access(register);
        for (int i = 0; i < len; i++) {
            // FIFO_DATA does not auto-increment; other registers do
            dst[off + i] = (byte) (register == FIFO_DATA ? fifoByte() : registers[(register + i) & 0xFF]);
        }
    }

    @Override
    public void close() {
    }

    private void access(int register) throws I2cNackException {
        EmulatorFault f = fault;
        if (f == EmulatorFault.UNPLUGGED) {
            powered = false;
            sampling = false;
            throw new I2cNackException(I2C_ADDRESS, register);
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
                push();
            }
        }
    }

    private void powerOn() {
        java.util.Arrays.fill(registers, 0);
        registers[PART_ID] = PART_ID_VALUE;
        registers[REV_ID] = 0x03;
        registers[INT_STATUS_1] = 0x01; // PWR_RDY
        sampling = false;
        count = 0;
        byteInSample = 0;
    }

    private int averaging() {
        return 1 << Math.min(5, (registers[FIFO_CONFIG] >> 5) & 0x07);
    }

    private void push() {
        int bits = 15 + (registers[SPO2_CONFIG] & 0x03);
        int slot;
        if (count == FIFO_DEPTH) {
            registers[OVF_COUNTER] = Math.min(OVF_MAX, registers[OVF_COUNTER] + 1);
            if ((registers[FIFO_CONFIG] & 0x10) == 0) {
                lostSamples++;
                return;
            }
            lostSamples++;
            registers[FIFO_RD_PTR] = (registers[FIFO_RD_PTR] + 1) & 0x1F;
            count--;
        }
        slot = registers[FIFO_WR_PTR];
        for (int c = 0; c < 2; c++) {
            long v = Math.round(frame[c]);
            v = Math.max(0, Math.min(0x3FFFF, v));
            fifo[slot][c] = (int) (v >> (18 - bits) << (18 - bits));
        }
        registers[FIFO_WR_PTR] = (slot + 1) & 0x1F;
        count++;
    }

    private int fifoByte() {
        if (count == 0) {
            return 0;
        }
        int rd = registers[FIFO_RD_PTR];
        int led = byteInSample / 3;
        int shift = 16 - 8 * (byteInSample % 3);
        int b = (fifo[rd][led] >>> shift) & 0xFF;
        if (++byteInSample == 6) {
            byteInSample = 0;
            registers[FIFO_RD_PTR] = (rd + 1) & 0x1F;
            registers[OVF_COUNTER] = 0;
            count--;
        }
        return b;
    }
}
