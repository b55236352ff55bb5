package org.cardiogate.sensor.emulator;

import static org.cardiogate.sensor.max86150.Max86150Registers.*;

import java.util.Arrays;
import java.util.Objects;

import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.bus.I2cNackException;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.Modality;

/**
 * A register-level MAX86150 emulator behind {@link I2cBus}: PART_ID, SYSTEM_CONTROL (RESET back to power-on values,
 * SHDN, FIFO_EN), interrupt status (A_FULL, PPG_RDY, ECG_RDY, PWR_RDY; cleared when read), FIFO configuration
 * (FIFO_ROLLS_ON_FULL, FIFO_A_FULL), FIFO Data Control FD1..FD4, PPG configuration (rate, averaging), ECG
 * configuration (rate, IA and PGA gain), and the 32-sample FIFO with FIFO_WR_PTR, FIFO_RD_PTR and OVF_COUNTER.
 *
 * <p>FIFO: a sample holds one 3-byte element per FDn slot, from FD1 up to the first unused slot, read from FIFO_DATA
 * (which does not auto-increment) most significant byte first; the read pointer advances, and OVF_COUNTER clears,
 * when the last byte of a sample is read. A sample arriving at a full FIFO is counted in OVF_COUNTER (saturating at
 * 31) and dropped, or with rollover on overwrites the oldest. Elements: PPG LED1 (infrared) and LED2 (red) are the
 * PPG feed's channels 0 and 1 in ADC counts, rounded and clipped to 19 bits; ECG is the ECG feed's value in mV at the
 * electrodes, as the code {@code round(mV / lsb)} clipped to 18-bit two's complement, with
 * {@code lsb = 12.247 µV / (IA_GAIN x PGA_ECG_GAIN)} from ECG Configuration 3 at the time of the sample. Unused
 * upper bits read 0.
 *
 * <p>Sampling: with FIFO_EN set, SHDN clear and at least one slot in use, samples arrive on an oscillator with the
 * given drift at the ECG rate when ECG is in a slot (the ECG clock paces the FIFO), otherwise at PPG_SR / SMP_AVE;
 * setting FIFO_EN empties the FIFO and restarts the clock. Every sample takes one frame of each feed, so two
 * {@link HostClockFeed}s bound to {@link #sampleNanos} put the PPG and ECG on the host timeline.
 *
 * <p>Faults ({@link #setFault}): UNPLUGGED makes every access a NACK and loses power (plugging back powers the chip up
 * at its reset values, not sampling); NACK makes every access a NACK while the chip keeps sampling (its FIFO
 * overflows); MISO_STUCK_HIGH / MISO_STUCK_LOW make every byte the host reads 0xFF / 0x00 while the chip, writes
 * included, works on (FIFO reads still pop samples); DATA_READY_STALL stops new samples (the conversions are taken and
 * discarded, keeping the feeds on the timeline). A full FIFO is reached by not reading it: the driver tests stall
 * the driver's thread.
 *
 * <p>Threading: bus methods from the driver's thread; {@link #setFault} and the accessors from any thread.
 */
public final class Max86150Emulator implements I2cBus {
    private final HostTime time;
    private final AnalogFeed ppgFeed;
    private final AnalogFeed ecgFeed;
    private final ChipOscillator oscillator;
    private final int[] registers = new int[256];
    private final int[][] fifo = new int[FIFO_DEPTH][SLOTS];
    private final int[] fifoElements = new int[FIFO_DEPTH];
    private final double[] ppg = new double[2];
    private final double[] ecg = new double[1];
    private volatile EmulatorFault fault = EmulatorFault.NONE;
    private boolean powered = true;
    private boolean sampling;
    private long produced = -1;
    private int count;
    private int byteInSample;
    private long lostSamples;
    private long discardedSamples;

    /**
     * @param ppgFeed  2 channels: infrared then red, in ADC counts (0..524287)
     * @param ecgFeed  1 channel: the ECG at the electrodes in mV
     * @param driftPpm oscillator error, positive = fast
     */
    public Max86150Emulator(HostTime time, AnalogFeed ppgFeed, AnalogFeed ecgFeed, double driftPpm) {
        this.time = Objects.requireNonNull(time, "time");
        this.ppgFeed = Objects.requireNonNull(ppgFeed, "ppgFeed");
        this.ecgFeed = Objects.requireNonNull(ecgFeed, "ecgFeed");
        if (ppgFeed.channels() != 2) {
            throw new IllegalArgumentException("MAX86150 emulator needs a PPG feed of 2 channels (ir, red), got "
                    + ppgFeed.channels());
        }
        if (ecgFeed.channels() != 1) {
            throw new IllegalArgumentException("MAX86150 emulator needs an ECG feed of 1 channel (mV), got "
                    + ecgFeed.channels());
        }
        this.oscillator = new ChipOscillator(driftPpm);
        powerOn();
    }

    /** The simulator's PPG as this chip's input: infrared then red (the simulator's order is red, ir). */
    public static SimulatorFeed ppgFeed(PhysiologySimulator simulator) {
        return new SimulatorFeed(simulator, Modality.PPG, new double[][] {{0, 1}, {1, 0}}, new double[2]);
    }

    /** The simulator's lead I (left minus right arm: the two finger pads of the module) as this chip's ECG input. */
    public static SimulatorFeed ecgFeed(PhysiologySimulator simulator) {
        return new SimulatorFeed(simulator, Modality.ECG, new double[][] {{1, 0}}, new double[1]);
    }

    public void setFault(EmulatorFault f) {
        this.fault = Objects.requireNonNull(f, "fault");
    }

    /** Samples lost to a full FIFO so far (the truth the driver's gap count is checked against). */
    public synchronized long lostSamples() {
        return lostSamples;
    }

    /** Conversions discarded while DATA_READY_STALL was on. */
    public synchronized long discardedSamples() {
        return discardedSamples;
    }

    public synchronized int[] registers() {
        return registers.clone();
    }

    /** Host time at which FIFO sample {@code n} (since sampling last started) was taken. */
    public synchronized long sampleNanos(long n) {
        return oscillator.completionNanos(n);
    }

    /** The FIFO sample rate the registers select, in samples/s (nominal, before drift). */
    public synchronized double fifoRateHz() {
        return rate();
    }

    @Override
    public int address() {
        return I2C_ADDRESS;
    }

    @Override
    public synchronized int readRegister(int register) throws I2cNackException {
        EmulatorFault f = access(register);
        return corrupt(read(register & 0xFF), f);
    }

    @Override
    public synchronized void writeRegister(int register, int value) throws I2cNackException {
        access(register);
        int v = value & 0xFF;
        switch (register & 0xFF) {
            case SYSTEM_CONTROL -> {
                if ((v & SYS_RESET) != 0) {
                    powerOn();
                    return;
                }
                registers[SYSTEM_CONTROL] = v & (SYS_SHDN | SYS_FIFO_EN);
                updateSampling();
            }
            case FIFO_WR_PTR, FIFO_RD_PTR -> {
                registers[register] = v & 0x1F;
                count = (registers[FIFO_WR_PTR] - registers[FIFO_RD_PTR]) & 0x1F;
                byteInSample = 0;
            }
            case OVF_COUNTER -> registers[OVF_COUNTER] = v & 0x1F;
            case PART_ID, INT_STATUS_1, INT_STATUS_2, FIFO_DATA -> {
                // read-only
            }
            default -> {
                registers[register & 0xFF] = v;
                if (register == FIFO_DATA_CONTROL_1 || register == FIFO_DATA_CONTROL_2) {
                    updateSampling();
                }
            }
        }
    }

    @Override
    public synchronized void readRegisters(int register, byte[] dst, int off, int len) throws I2cNackException {
        EmulatorFault f = access(register);
        for (int i = 0; i < len; i++) {
            // FIFO_DATA does not auto-increment; other registers do
            int v = register == FIFO_DATA ? fifoByte() : read((register + i) & 0xFF);
            dst[off + i] = (byte) corrupt(v, f);
        }
    }

    @Override
    public void close() {
    }

    private int read(int register) {
        return switch (register) {
            case FIFO_DATA -> fifoByte();
            case INT_STATUS_1, INT_STATUS_2 -> {
                int v = registers[register];
                registers[register] = 0;
                yield v;
            }
            default -> registers[register];
        };
    }

    private static int corrupt(int v, EmulatorFault f) {
        return f == EmulatorFault.MISO_STUCK_HIGH ? 0xFF : f == EmulatorFault.MISO_STUCK_LOW ? 0x00 : v;
    }

    /** Brings the chip up to date with the host time; throws a NACK when it does not answer. */
    private EmulatorFault access(int register) throws I2cNackException {
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
        if (sampling) {
            long target = oscillator.latestAt(time.nanoTime());
            while (produced < target) {
                produced++;
                ppgFeed.next(ppg);
                ecgFeed.next(ecg);
                if (f == EmulatorFault.DATA_READY_STALL) {
                    discardedSamples++;
                } else {
                    push();
                }
            }
        }
        if (f == EmulatorFault.NACK) {
            throw new I2cNackException(I2C_ADDRESS, register);
        }
        return f;
    }

    private void powerOn() {
        Arrays.fill(registers, 0);
        registers[PART_ID] = PART_ID_VALUE;
        registers[INT_STATUS_1] = INT_PWR_RDY;
        registers[ECG_CONFIG_1] = ECG_CONFIG_1_RESET;
        registers[ECG_CONFIG_3] = ECG_CONFIG_3_RESET;
        sampling = false;
        count = 0;
        byteInSample = 0;
    }

    /** Elements per sample: the FDn slots in use, from FD1 to the first unused one. */
    private int elements() {
        int n = 0;
        while (n < SLOTS && slot(n) != FD_NONE) {
            n++;
        }
        return n;
    }

    private int slot(int i) {
        int reg = registers[i < 2 ? FIFO_DATA_CONTROL_1 : FIFO_DATA_CONTROL_2];
        return (i & 1) == 0 ? reg & 0x0F : (reg >> 4) & 0x0F;
    }

    private boolean ecgInSlot() {
        int n = elements();
        for (int i = 0; i < n; i++) {
            if (slot(i) == FD_ECG) {
                return true;
            }
        }
        return false;
    }

    private double rate() {
        if (ecgInSlot()) {
            return ecgRateOf(registers[ECG_CONFIG_1]);
        }
        return (double) ppgRateOf(registers[PPG_CONFIG_1]) / averagingOf(registers[PPG_CONFIG_2]);
    }

    private void updateSampling() {
        int sys = registers[SYSTEM_CONTROL];
        boolean on = (sys & SYS_FIFO_EN) != 0 && (sys & SYS_SHDN) == 0 && elements() > 0;
        if (on && !sampling) {
            oscillator.start(rate(), time.nanoTime());
            produced = -1;
            registers[FIFO_WR_PTR] = 0;
            registers[FIFO_RD_PTR] = 0;
            registers[OVF_COUNTER] = 0;
            count = 0;
            byteInSample = 0;
        }
        sampling = on;
    }

    private void push() {
        if (count == FIFO_DEPTH) {
            registers[OVF_COUNTER] = Math.min(OVF_MAX, registers[OVF_COUNTER] + 1);
            lostSamples++;
            if ((registers[FIFO_CONFIG] & FIFO_ROLLS_ON_FULL) == 0) {
                return;
            }
            registers[FIFO_RD_PTR] = (registers[FIFO_RD_PTR] + 1) & 0x1F;
            byteInSample = 0;
            count--;
        }
        int slot = registers[FIFO_WR_PTR];
        int n = elements();
        double lsbMv = ecgLsbMillivolts(registers[ECG_CONFIG_3]);
        boolean ppgSample = false;
        boolean ecgSample = false;
        for (int e = 0; e < n; e++) {
            int type = slot(e);
            int v;
            if (type == FD_PPG_LED1 || type == FD_PPG_LED2) {
                long c = Math.round(ppg[type == FD_PPG_LED1 ? 0 : 1]);
                v = (int) Math.max(0, Math.min(PPG_MASK, c));
                ppgSample = true;
            } else if (type == FD_ECG) {
                long c = Math.round(ecg[0] / lsbMv);
                v = (int) Math.max(-(1 << 17), Math.min((1 << 17) - 1, c)) & ECG_MASK;
                ecgSample = true;
            } else {
                v = 0;
            }
            fifo[slot][e] = v;
        }
        fifoElements[slot] = n;
        registers[FIFO_WR_PTR] = (slot + 1) & 0x1F;
        count++;
        if (ppgSample) {
            registers[INT_STATUS_1] |= INT_PPG_RDY;
        }
        if (ecgSample) {
            registers[INT_STATUS_2] |= INT_ECG_RDY;
        }
        if (count >= FIFO_DEPTH - (registers[FIFO_CONFIG] & FIFO_A_FULL_MASK)) {
            registers[INT_STATUS_1] |= INT_A_FULL;
        }
    }

    private int fifoByte() {
        if (count == 0) {
            return 0;
        }
        int rd = registers[FIFO_RD_PTR];
        int element = byteInSample / ELEMENT_BYTES;
        int shift = 16 - 8 * (byteInSample % ELEMENT_BYTES);
        int b = (fifo[rd][element] >>> shift) & 0xFF;
        if (++byteInSample == fifoElements[rd] * ELEMENT_BYTES) {
            byteInSample = 0;
            registers[FIFO_RD_PTR] = (rd + 1) & 0x1F;
            registers[OVF_COUNTER] = 0;
            count--;
        }
        return b;
    }
}
