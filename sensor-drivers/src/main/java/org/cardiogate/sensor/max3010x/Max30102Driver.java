package org.cardiogate.sensor.max3010x;

import static org.cardiogate.sensor.max3010x.Max30102Registers.*;

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
 * Driver for the MAX30102 / MAX30101 pulse-oximetry front-end on I2C (address 0x57), SpO2 mode.
 *
 * <p>Configuration: RESET, check PART_ID (0x15), program FIFO_CONFIG (averaging, rollover off), SPO2_CONFIG, LED
 * currents, clear FIFO pointers and overflow counter, read the registers back, enter SpO2 mode.
 *
 * <p>Acquisition polls the FIFO every 8 entries' time (a quarter of its 32-entry depth, dithered by half an entry):
 * reads OVF_COUNTER,
 * FIFO_WR_PTR and FIFO_RD_PTR, then bursts the waiting samples from FIFO_DATA. Sequence numbers count FIFO entries;
 * with rollover off the entries lost to a full FIFO come after those still in it, so OVF_COUNTER advances the
 * sequence after the burst and the consumer sees a gap of exactly that length (the counter saturates at 31: the
 * event then says "at least"). Each burst's newest sample is observed half a sample period before the read time
 * (its mean age: without this every timestamp would be late by half a period) for the drift estimate (window 60 s: an
 * observation is only good to a sample period, so the fit needs many of them). An
 * I2C NACK raises I2C_NACK; no new sample for {@code max(200 ms, 20 periods)} raises DATA_READY_STALL; both recover
 * with backoff.
 */
public final class Max30102Driver extends ChipSource {
    private final Max30102Config config;
    private final I2cBus i2c;
    private final byte[] burst = new byte[FIFO_DEPTH * 6];
    private final double[] frame = new double[2];
    private final long pollNanos;
    private final long stallNanos;
    private final long samplePeriodNanos;
    private long nextSeq;
    private long dither = 0x2545F4914F6CDD1DL;
    private volatile long overflows;

    public Max30102Driver(Max30102Config config, I2cBus i2c, HostTime time, TechnicalEventListener listener) {
        super(describe(config), config.ringSlots(), config.blockSamples(), time, listener, 60.0);
        this.config = config;
        this.i2c = Objects.requireNonNull(i2c, "i2c");
        this.pollNanos = Math.round(8e9 / config.fifoRateHz());
        this.samplePeriodNanos = Math.round(1e9 / config.fifoRateHz());
        this.stallNanos = Math.max(200_000_000L, Math.round(20e9 / config.fifoRateHz()));
    }

    /** PPG stream: channels red and ir in ADC counts (18-bit scale) at the FIFO rate. */
    public static StreamDescriptor describe(Max30102Config config) {
        return new StreamDescriptor(config.streamId(), "MAX30102", Modality.PPG,
                List.of(new Channel("red", "counts"), new Channel("ir", "counts")), config.fifoRateHz());
    }

    /** FIFO overflows seen (any thread). */
    public long overflows() {
        return overflows;
    }

    @Override
    protected void configure() throws BusException, ChipFault, InterruptedException {
        i2c.writeRegister(MODE_CONFIG, MODE_RESET);
        time.sleepUntil(time.nanoTime() + 1_000_000L);
        int part = i2c.readRegister(PART_ID);
        if (part != PART_ID_VALUE) {
            throw new ChipFault(TechnicalEventType.DEVICE_ID_MISMATCH, String.format(
                    "PART_ID reads 0x%02X, expected 0x%02X (MAX30102/MAX30101)", part, PART_ID_VALUE));
        }
        int[][] writes = {
            {FIFO_CONFIG, config.fifoConfig()},
            {SPO2_CONFIG, config.spo2Config()},
            {LED1_PA, Max30102Config.ledCode(config.redCurrentMa())},
            {LED2_PA, Max30102Config.ledCode(config.irCurrentMa())},
            {FIFO_WR_PTR, 0},
            {OVF_COUNTER, 0},
            {FIFO_RD_PTR, 0},
        };
        for (int[] w : writes) {
            i2c.writeRegister(w[0], w[1]);
        }
        for (int[] w : writes) {
            int v = i2c.readRegister(w[0]);
            if (v != w[1]) {
                throw new ChipFault(TechnicalEventType.CONFIG_VERIFY_FAILED, String.format(
                        "register 0x%02X reads back 0x%02X after writing 0x%02X", w[0], v, w[1]));
            }
        }
        nextSeq = resumeSequence();
        i2c.writeRegister(MODE_CONFIG, MODE_SPO2);
    }

    @Override
    protected void acquire() throws BusException, ChipFault, InterruptedException {
        int bits = config.resolutionBits();
        long lastData = time.nanoTime();
        long next = time.nanoTime() + pollNanos;
        while (running()) {
            time.sleepUntil(next);
            // dither the poll by +-half a sample so its phase against the sample clock does not lock, which would
            // quantise every drift observation the same way
            dither = dither * 6364136223846793005L + 1442695040888963407L;
            next += pollNanos + (long) (((dither >>> 11) * 0x1.0p-53 - 0.5) * samplePeriodNanos);
            int ovf = i2c.readRegister(OVF_COUNTER);
            int wr = i2c.readRegister(FIFO_WR_PTR);
            int rd = i2c.readRegister(FIFO_RD_PTR);
            int n = (wr - rd) & 0x1F;
            if (n == 0 && ovf > 0) {
                n = FIFO_DEPTH;
            }
            long now = time.nanoTime();
            if (n == 0) {
                if (now - lastData > stallNanos) {
                    throw new ChipFault(TechnicalEventType.DATA_READY_STALL, "no FIFO sample for "
                            + (now - lastData) / 1_000_000 + " ms");
                }
                continue;
            }
            lastData = now;
            i2c.readRegisters(FIFO_DATA, burst, 0, n * 6);
            // the newest entry was taken uniformly within the last period before this read: half a period earlier on average
            observe(nextSeq + n - 1, now - samplePeriodNanos / 2);
            for (int s = 0; s < n; s++) {
                for (int led = 0; led < 2; led++) {
                    int o = s * 6 + led * 3;
                    int v = ((burst[o] & 0x03) << 16) | ((burst[o + 1] & 0xFF) << 8) | (burst[o + 2] & 0xFF);
                    frame[led] = v;
                }
                emit(nextSeq++, frame);
            }
            if (ovf > 0) {
                overflows++;
                nextSeq += ovf;
                report(TechnicalEventType.FIFO_OVERFLOW, (ovf == OVF_MAX ? "at least " : "") + ovf
                        + " sample(s) lost to a full FIFO (" + bits + "-bit, " + config.fifoRateHz() + " Hz)");
            }
        }
    }

    @Override
    protected void quiesce() {
        try {
            i2c.writeRegister(MODE_CONFIG, MODE_SHUTDOWN);
        } catch (BusException e) {
            // shutting down anyway
        }
    }

    @Override
    protected void releaseBuses() {
        i2c.close();
    }
}
