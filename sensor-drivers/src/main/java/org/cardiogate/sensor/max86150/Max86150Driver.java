package org.cardiogate.sensor.max86150;

import static org.cardiogate.sensor.max86150.Max86150Registers.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardiogate.sensor.acquisition.ChipFault;
import org.cardiogate.sensor.acquisition.ChipSource;
import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Driver for the MAX86150 ECG + PPG module on I2C (address 0x5E), modelled on the MAX30102 driver.
 *
 * <p>Two streams, because the gateway consumes streams by modality (an ECG stream goes to beat detection and rhythm
 * monitoring, a PPG stream with channels {@code ir} and {@code red} to the fusion engine): the ECG stream (one channel
 * named after the lead, in mV) and the PPG stream ({@code ir}, {@code red}, 19-bit ADC counts), either of which may be
 * configured off. Both come from the same FIFO samples, so they share the sequence numbers, the rate, the drift
 * estimate and the fault life cycle of one {@link ChipSource}; technical events name the first stream (ECG when on).
 *
 * <p>Configuration (at start and after every fault): SYSTEM_CONTROL RESET, PART_ID (0x1E), then FIFO configuration
 * (rollover as configured, A_FULL), FIFO Data Control FD1..FD4 (IR, red, ECG, none), PPG configuration 1/2 (range,
 * rate, pulse width, averaging), LED amplitudes and range, ECG configuration 1/3 (rate, IA and PGA gain), interrupts
 * off, FIFO pointers and overflow counter cleared; every register is read back and compared; then FIFO_EN starts the
 * FIFO. A PART_ID of 0xFF or 0x00 means the data line reads stuck (SPI_ALL_ONES / SPI_ALL_ZEROS: the event types
 * name the bus fault, whichever bus), anything else not 0x1E is DEVICE_ID_MISMATCH.
 *
 * <p>Acquisition polls the FIFO every 8 samples' time, dithered by half a sample: one 3-byte burst reads FIFO_WR_PTR,
 * OVF_COUNTER and FIFO_RD_PTR together, then the waiting samples are read from FIFO_DATA in bursts of at most
 * {@value #BURST_SAMPLES} samples (the chip cannot write its FIFO while a read of it is in progress, so long bursts at
 * high rates cost samples). Element decoding, per the datasheet: PPG = {@code bits 18..0} as unsigned counts; ECG =
 * {@code bits 17..0} as two's complement, times {@code 12.247 µV / (IA_GAIN x PGA_ECG_GAIN)}, published in mV.
 * Sequence numbers count FIFO samples. OVF_COUNTER counts samples lost to a full FIFO: with rollover off they came
 * after the samples still in the FIFO, with rollover on before them, and the sequence number is advanced by the count
 * at that point, so the consumer sees one gap of exactly that length (FIFO_OVERFLOW event). The counter saturates at
 * 31; a saturated count is replaced by the loss the elapsed time implies at the estimated rate (an estimate, said so
 * in the event). Each poll's newest sample (the last one dropped, after an overflow with rollover off) is observed
 * half a sample period before the read (its mean age) for the drift estimate (window 60 s, as for the MAX30102).
 *
 * <p>Faults: an I2C NACK raises I2C_NACK; pointer registers with bits 7..5 set (they are 5-bit) raise SPI_ALL_ONES
 * when all read 0xFF, FRAME_CORRUPT otherwise; no new sample for {@code max(200 ms, 20 periods)} is diagnosed by
 * reading PART_ID and SYSTEM_CONTROL: 0x00 or 0xFF there is a stuck data line, a cleared FIFO_EN a chip that reset
 * itself (brown-out, replug), else DATA_READY_STALL. All recover by reconfiguring after the backoff; the outage is a
 * counted gap.
 *
 * <p>Threading: see {@link ChipSource}. The per-poll path allocates nothing.
 */
public final class Max86150Driver extends ChipSource {
    /** Samples per FIFO_DATA burst: 4 samples of 3 elements are 36 bytes, under a millisecond at 400 kHz. */
    public static final int BURST_SAMPLES = 4;

    private final Max86150Config config;
    private final I2cBus i2c;
    private final byte[] pointers = new byte[3];
    private final byte[] burst;
    private final double[][] frames;
    /** Per element of a FIFO sample: the frame it goes to, and the channel in it. */
    private final double[][] elementFrame;
    private final int[] elementChannel;
    private final boolean[] elementIsEcg;
    private final int elements;
    private final double ecgLsb;
    private final long pollNanos;
    private final long stallNanos;
    private final long samplePeriodNanos;
    private long nextSeq;
    private long dither = 0x6A09E667F3BCC909L;
    private volatile long overflows;
    private volatile int[] registers = new int[0];

    public Max86150Driver(Max86150Config config, I2cBus i2c, HostTime time, TechnicalEventListener listener) {
        super(describe(config), config.ringSlots(), config.blockSamples(), time, listener, 60.0);
        this.config = config;
        this.i2c = Objects.requireNonNull(i2c, "i2c");
        this.elements = config.elementsPerSample();
        this.burst = new byte[BURST_SAMPLES * elements * ELEMENT_BYTES];
        double[] ecg = new double[1];
        double[] ppg = new double[2];
        this.frames = config.ecgEnabled() && config.ppgEnabled() ? new double[][] {ecg, ppg}
                : new double[][] {config.ecgEnabled() ? ecg : ppg};
        int[] slots = config.slots();
        this.elementFrame = new double[elements][];
        this.elementChannel = new int[elements];
        this.elementIsEcg = new boolean[elements];
        for (int e = 0; e < elements; e++) {
            switch (slots[e]) {
                case FD_PPG_LED1 -> {
                    elementFrame[e] = ppg;
                    elementChannel[e] = 0;
                }
                case FD_PPG_LED2 -> {
                    elementFrame[e] = ppg;
                    elementChannel[e] = 1;
                }
                default -> {
                    elementFrame[e] = ecg;
                    elementIsEcg[e] = true;
                }
            }
        }
        this.ecgLsb = config.ecgLsbMillivolts();
        this.pollNanos = Math.round(8e9 / config.fifoRateHz());
        this.samplePeriodNanos = Math.round(1e9 / config.fifoRateHz());
        this.stallNanos = Math.max(200_000_000L, Math.round(20e9 / config.fifoRateHz()));
    }

    /**
     * The streams, ECG first: ECG (modality ECG, one channel named {@code ecgLead}, mV) and PPG (modality PPG,
     * channels {@code ir} and {@code red}, ADC counts), each only when configured, both at the FIFO rate.
     */
    public static List<StreamDescriptor> describe(Max86150Config config) {
        List<StreamDescriptor> s = new ArrayList<>();
        if (config.ecgEnabled()) {
            s.add(new StreamDescriptor(config.ecgStreamId(), "MAX86150", Modality.ECG,
                    List.of(new Channel(config.ecgLead(), "mV")), config.fifoRateHz()));
        }
        if (config.ppgEnabled()) {
            s.add(new StreamDescriptor(config.ppgStreamId(), "MAX86150", Modality.PPG,
                    List.of(new Channel("ir", "counts"), new Channel("red", "counts")), config.fifoRateHz()));
        }
        return s;
    }

    public Max86150Config config() {
        return config;
    }

    /** FIFO overflows seen (any thread). */
    public long overflows() {
        return overflows;
    }

    /** Registers read back at the last configuration, indexed by address (any thread); empty before the first. */
    public int[] registers() {
        return registers.clone();
    }

    @Override
    protected void configure() throws BusException, ChipFault, InterruptedException {
        i2c.writeRegister(SYSTEM_CONTROL, SYS_RESET);
        time.sleepUntil(time.nanoTime() + 1_000_000L);
        int part = i2c.readRegister(PART_ID);
        if (part != PART_ID_VALUE) {
            throw identityFault(part);
        }
        int[][] writes = {
            {SYSTEM_CONTROL, 0},
            {FIFO_CONFIG, config.fifoConfig()},
            {FIFO_DATA_CONTROL_1, config.fifoDataControl1()},
            {FIFO_DATA_CONTROL_2, config.fifoDataControl2()},
            {PPG_CONFIG_1, config.ppgConfig1()},
            {PPG_CONFIG_2, config.ppgConfig2()},
            {LED1_PA, Max86150Config.ledCode(config.irCurrentMa())},
            {LED2_PA, Max86150Config.ledCode(config.redCurrentMa())},
            {LED_RANGE, 0},
            {ECG_CONFIG_1, config.ecgConfig1()},
            {ECG_CONFIG_3, config.ecgConfig3()},
            {INT_ENABLE_1, 0},
            {INT_ENABLE_2, 0},
            {FIFO_WR_PTR, 0},
            {OVF_COUNTER, 0},
            {FIFO_RD_PTR, 0},
        };
        for (int[] w : writes) {
            i2c.writeRegister(w[0], w[1]);
        }
        int[] read = new int[256];
        for (int[] w : writes) {
            int v = i2c.readRegister(w[0]);
            read[w[0]] = v;
            if (v != w[1]) {
                throw new ChipFault(TechnicalEventType.CONFIG_VERIFY_FAILED, String.format(
                        "register 0x%02X reads back 0x%02X after writing 0x%02X", w[0], v, w[1]));
            }
        }
        read[PART_ID] = part;
        nextSeq = resumeSequence();
        i2c.writeRegister(SYSTEM_CONTROL, SYS_FIFO_EN);
        read[SYSTEM_CONTROL] = SYS_FIFO_EN;
        registers = read;
    }

    private static ChipFault identityFault(int part) {
        if (part == 0xFF) {
            return new ChipFault(TechnicalEventType.SPI_ALL_ONES,
                    "PART_ID reads 0xFF: every byte from the MAX86150 reads 0xFF (SDA held high?)");
        }
        if (part == 0x00) {
            return new ChipFault(TechnicalEventType.SPI_ALL_ZEROS,
                    "PART_ID reads 0x00: every byte from the MAX86150 reads 0x00 (SDA held low? module unpowered?)");
        }
        return new ChipFault(TechnicalEventType.DEVICE_ID_MISMATCH, String.format(
                "PART_ID reads 0x%02X, expected 0x%02X (MAX86150)", part, PART_ID_VALUE));
    }

    @Override
    protected void acquire() throws BusException, ChipFault, InterruptedException {
        long lastData = time.nanoTime();
        long next = lastData + pollNanos;
        boolean rollover = config.fifoRollover();
        int sampleBytes = elements * ELEMENT_BYTES;
        while (running()) {
            time.sleepUntil(next);
            // dither the poll by +-half a sample so its phase against the sample clock does not lock, which would
            // quantise every drift observation the same way
            dither = dither * 6364136223846793005L + 1442695040888963407L;
            next += pollNanos + (long) (((dither >>> 11) * 0x1.0p-53 - 0.5) * samplePeriodNanos);
            i2c.readRegisters(FIFO_WR_PTR, pointers, 0, 3);
            int wr = pointers[0] & 0xFF;
            int ovf = pointers[1] & 0xFF;
            int rd = pointers[2] & 0xFF;
            if (((wr | ovf | rd) & 0xE0) != 0) {
                throw pointerFault(wr, ovf, rd);
            }
            int n = (wr - rd) & 0x1F;
            if (n == 0 && ovf > 0) {
                n = FIFO_DEPTH;
            }
            long now = time.nanoTime();
            if (n == 0) {
                if (now - lastData > stallNanos) {
                    throw diagnoseStall(now - lastData);
                }
                continue;
            }
            lastData = now;
            // the newest sample was taken uniformly within the last period before this read: half a period earlier
            // on average. It is the newest in the FIFO, or with rollover off and an overflow the last one dropped
            long observedAt = now - samplePeriodNanos / 2;
            long lost = ovf;
            if (ovf == OVF_MAX && streamClock().observations() > 0) {
                // the counter saturates: the elapsed time at the estimated rate says how many more were lost
                lost = Math.max(ovf, streamClock().sequenceAt(observedAt) - (nextSeq + n - 1));
            }
            observe(nextSeq + n + lost - 1, observedAt);
            if (rollover) {
                // the oldest samples were overwritten: those still in the FIFO come after the gap
                nextSeq += lost;
            }
            for (int done = 0; done < n; ) {
                int k = Math.min(BURST_SAMPLES, n - done);
                i2c.readRegisters(FIFO_DATA, burst, 0, k * sampleBytes);
                for (int s = 0; s < k; s++) {
                    decode(s * sampleBytes);
                    emitAll(nextSeq++, frames);
                }
                done += k;
            }
            if (ovf > 0) {
                overflows++;
                if (!rollover) {
                    // rollover off: the newest samples were dropped, after those just read
                    nextSeq += lost;
                }
                report(TechnicalEventType.FIFO_OVERFLOW, (ovf == OVF_MAX
                        ? "OVF_COUNTER saturated at 31: about " + lost + " sample(s) lost (elapsed time at the"
                                + " estimated rate)"
                        : lost + " sample(s) lost") + " to a full FIFO (" + config.fifoRateHz() + " Hz, rollover "
                        + (rollover ? "on)" : "off)"));
            }
        }
    }

    /** Decodes the elements of one FIFO sample starting at {@code burst[o]} into the frames. */
    private void decode(int o) {
        for (int e = 0; e < elements; e++) {
            int b = o + e * ELEMENT_BYTES;
            int v = ((burst[b] & 0xFF) << 16) | ((burst[b + 1] & 0xFF) << 8) | (burst[b + 2] & 0xFF);
            if (elementIsEcg[e]) {
                // 18-bit two's complement: shift bit 17 into the sign bit and back
                elementFrame[e][0] = ((v & ECG_MASK) << 14 >> 14) * ecgLsb;
            } else {
                elementFrame[e][elementChannel[e]] = v & PPG_MASK;
            }
        }
    }

    private static ChipFault pointerFault(int wr, int ovf, int rd) {
        String regs = String.format("FIFO_WR_PTR 0x%02X, OVF_COUNTER 0x%02X, FIFO_RD_PTR 0x%02X", wr, ovf, rd);
        if (wr == 0xFF && ovf == 0xFF && rd == 0xFF) {
            return new ChipFault(TechnicalEventType.SPI_ALL_ONES, regs
                    + ": every byte reads 0xFF (SDA held high?)");
        }
        return new ChipFault(TechnicalEventType.FRAME_CORRUPT, regs
                + ": these 5-bit registers read with bits 7..5 set");
    }

    /** After a stall: which of a stuck bus, a chip that reset itself or a stopped clock it is. */
    private ChipFault diagnoseStall(long stalledNanos) throws BusException {
        String waited = "no FIFO sample for " + stalledNanos / 1_000_000 + " ms";
        int part = i2c.readRegister(PART_ID);
        if (part != PART_ID_VALUE) {
            ChipFault f = identityFault(part);
            return new ChipFault(f.type(), waited + "; " + f.getMessage());
        }
        int sys = i2c.readRegister(SYSTEM_CONTROL);
        if ((sys & SYS_FIFO_EN) == 0 || (sys & SYS_SHDN) != 0) {
            return new ChipFault(TechnicalEventType.DATA_READY_STALL, String.format(
                    "%s; SYSTEM_CONTROL reads 0x%02X: the chip was reset or shut down (brown-out, replugged?)", waited,
                    sys));
        }
        return new ChipFault(TechnicalEventType.DATA_READY_STALL, waited);
    }

    @Override
    protected void quiesce() {
        try {
            i2c.writeRegister(SYSTEM_CONTROL, SYS_SHDN);
        } catch (BusException e) {
            // shutting down anyway
        }
    }

    @Override
    protected void releaseBuses() {
        i2c.close();
    }
}
