package org.cardiogate.sensor.lsm6dso;

import static org.cardiogate.sensor.lsm6dso.Lsm6dsoRegisters.*;

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
 * Driver for the ST LSM6DSO accelerometer on I2C (address 0x6A or 0x6B), producing a seismocardiogram: the
 * acceleration along the body's dorso-ventral axis in mg at 833, 1667 or 3333 Hz.
 *
 * <p>Configuration (at start and after every fault): software reset, WHO_AM_I (0x6C), FIFO to bypass (empties it),
 * CTRL3_C BDU and auto-increment, CTRL10_C timestamp on, FIFO_CTRL1/2 watermark, FIFO_CTRL3 BDR_XL = ODR, CTRL1_XL
 * ODR and full scale (gyroscope stays off), all read back and compared, then FIFO_CTRL4 continuous mode with a
 * timestamp word batched at every sample (DEC_TS_BATCH = 1).
 *
 * <p>Acquisition polls every 50 ms (dithered by half a sample): FIFO_STATUS1/2 give the word count (DIFF_FIFO) and
 * the overrun flag, then one burst read of all words from FIFO_DATA_OUT_TAG (the address wraps every 7 bytes). Each
 * timestamp word dates the accelerometer word after it: the sample's sequence number is the timestamp difference
 * divided by the sample period in timestamp LSBs (both on the chip's oscillator, so exact), which makes every
 * overrun (the oldest samples overwritten in continuous mode) an exact gap. An accelerometer word whose timestamp was
 * overwritten is discarded (it falls inside the gap). FIFO_OVR raises FIFO_OVERFLOW; an I2C NACK raises I2C_NACK;
 * no new word for {@code max(200 ms, 20 periods)} raises DATA_READY_STALL; all recover with backoff. Each burst's
 * newest sample is observed half a sample period (its mean age) before the read time for the drift estimate (window
 * 60 s).
 *
 * <p>Threading: see {@link ChipSource}. The per-poll path allocates nothing.
 */
public final class Lsm6dsoDriver extends ChipSource {
    private static final long POLL_NANOS = 50_000_000L;
    private static final int WATERMARK_WORDS = 128;

    private final Lsm6dsoConfig config;
    private final I2cBus i2c;
    private final byte[] status = new byte[2];
    private final byte[] burst = new byte[FIFO_WORDS * WORD_BYTES];
    private final long[] seqs = new long[FIFO_WORDS];
    private final double[] values = new double[FIFO_WORDS];
    private final double[] frame = new double[1];
    private final int axis;
    private final double scale;
    private final int ticks;
    private final long samplePeriodNanos;
    private final long stallNanos;
    private long dither = 0x9E3779B97F4A7C15L;
    private boolean timestampKnown;
    private long refTimestamp;
    private long refSeq;
    private volatile long overflows;
    private volatile long orphanWords;
    private volatile int[] registers = new int[0];

    public Lsm6dsoDriver(Lsm6dsoConfig config, I2cBus i2c, HostTime time, TechnicalEventListener listener) {
        super(describe(config), config.ringSlots(), config.blockSamples(), time, listener, 60.0);
        this.config = config;
        this.i2c = Objects.requireNonNull(i2c, "i2c");
        this.axis = config.dorsoVentralAxis().ordinal();
        this.scale = config.sensitivityMg() * (config.inverted() ? -1 : 1);
        this.ticks = config.ticksPerSample();
        this.samplePeriodNanos = Math.round(1e9 / config.rateHz());
        this.stallNanos = Math.max(200_000_000L, 20 * samplePeriodNanos);
    }

    /** SCG stream: one channel {@code z} (dorso-ventral, positive out of the chest) in mg, gravity included. */
    public static StreamDescriptor describe(Lsm6dsoConfig config) {
        return new StreamDescriptor(config.streamId(), "LSM6DSO", Modality.SCG, List.of(new Channel("z", "mg")),
                config.rateHz());
    }

    /** FIFO overruns seen (any thread). */
    public long overflows() {
        return overflows;
    }

    /** Accelerometer words discarded because their timestamp word had been overwritten (any thread). */
    public long orphanWords() {
        return orphanWords;
    }

    /** Registers read back at the last configuration, indexed by address (any thread). */
    public int[] registers() {
        return registers.clone();
    }

    @Override
    protected void configure() throws BusException, ChipFault, InterruptedException {
        i2c.writeRegister(CTRL3_C, CTRL3_SW_RESET | CTRL3_IF_INC);
        time.sleepUntil(time.nanoTime() + 1_000_000L);
        int id = i2c.readRegister(WHO_AM_I);
        if (id != WHO_AM_I_VALUE) {
            throw new ChipFault(TechnicalEventType.DEVICE_ID_MISMATCH, String.format(
                    "WHO_AM_I reads 0x%02X, expected 0x%02X (LSM6DSO)%s", id, WHO_AM_I_VALUE,
                    id == 0x6A ? " - this is an LSM6DSL" : id == 0x69 ? " - this is an LSM6DS3" : ""));
        }
        int[][] writes = {
            {FIFO_CTRL4, FIFO_MODE_BYPASS},
            {CTRL3_C, CTRL3_BDU | CTRL3_IF_INC},
            {CTRL10_C, CTRL10_TIMESTAMP_EN},
            {FIFO_CTRL1, WATERMARK_WORDS & 0xFF},
            {FIFO_CTRL2, WATERMARK_WORDS >> 8},
            {FIFO_CTRL3, config.fifoCtrl3()},
            {CTRL2_G, 0},
            {CTRL1_XL, config.ctrl1Xl()},
        };
        for (int[] w : writes) {
            i2c.writeRegister(w[0], w[1]);
        }
        int[] read = new int[0x80];
        for (int[] w : writes) {
            int v = i2c.readRegister(w[0]);
            read[w[0]] = v;
            if (v != w[1]) {
                throw new ChipFault(TechnicalEventType.CONFIG_VERIFY_FAILED, String.format(
                        "register 0x%02X reads back 0x%02X after writing 0x%02X", w[0], v, w[1]));
            }
        }
        read[WHO_AM_I] = id;
        timestampKnown = false;
        refSeq = resumeSequence();
        i2c.writeRegister(FIFO_CTRL4, DEC_TS_BATCH_1 | FIFO_MODE_CONTINUOUS);
        read[FIFO_CTRL4] = i2c.readRegister(FIFO_CTRL4);
        registers = read;
    }

    @Override
    protected void acquire() throws BusException, ChipFault, InterruptedException {
        long lastData = time.nanoTime();
        long next = lastData + POLL_NANOS;
        boolean haveTimestamp = false;
        long seq = 0;
        while (running()) {
            time.sleepUntil(next);
            dither = dither * 6364136223846793005L + 1442695040888963407L;
            next += POLL_NANOS + (long) (((dither >>> 11) * 0x1.0p-53 - 0.5) * samplePeriodNanos);
            i2c.readRegisters(FIFO_STATUS1, status, 0, 2);
            int words = (status[0] & 0xFF) | ((status[1] & 0x03) << 8);
            boolean overrun = (status[1] & STATUS2_FIFO_OVR_IA) != 0;
            long now = time.nanoTime();
            if (words == 0) {
                if (now - lastData > stallNanos) {
                    throw new ChipFault(TechnicalEventType.DATA_READY_STALL, "no FIFO word for "
                            + (now - lastData) / 1_000_000 + " ms");
                }
                continue;
            }
            lastData = now;
            words = Math.min(words, FIFO_WORDS);
            i2c.readRegisters(FIFO_DATA_OUT_TAG, burst, 0, words * WORD_BYTES);
            if (overrun) {
                // the oldest words were overwritten: the first accelerometer word may have lost its timestamp
                haveTimestamp = false;
                overflows++;
            }
            int n = 0;
            for (int w = 0; w < words; w++) {
                int o = w * WORD_BYTES;
                int tag = (burst[o] & 0xFF) >>> 3;
                if (tag == TAG_TIMESTAMP) {
                    long ts = (burst[o + 1] & 0xFFL) | (burst[o + 2] & 0xFFL) << 8 | (burst[o + 3] & 0xFFL) << 16
                            | (burst[o + 4] & 0xFFL) << 24;
                    if (!timestampKnown) {
                        timestampKnown = true;
                        refTimestamp = ts;
                    }
                    long dt = (ts - refTimestamp) & 0xFFFF_FFFFL;
                    seq = refSeq + Math.round((double) dt / ticks);
                    refSeq = seq;
                    refTimestamp = ts;
                    haveTimestamp = true;
                } else if (tag == TAG_ACCELEROMETER) {
                    if (!haveTimestamp) {
                        orphanWords++;
                        continue;
                    }
                    int a = o + 1 + 2 * axis;
                    short code = (short) ((burst[a] & 0xFF) | (burst[a + 1] << 8));
                    seqs[n] = seq;
                    values[n] = code * scale;
                    n++;
                    haveTimestamp = false;
                }
            }
            if (n == 0) {
                continue;
            }
            // the newest sample was taken uniformly within the last period before this read: half a period earlier on average
            observe(seqs[n - 1], now - samplePeriodNanos / 2);
            for (int i = 0; i < n; i++) {
                frame[0] = values[i];
                emit(seqs[i], frame);
            }
            if (overrun) {
                report(TechnicalEventType.FIFO_OVERFLOW, "FIFO overrun at " + config.odrHz()
                        + " Hz: the oldest samples were overwritten (the gap before sequence " + seqs[0]
                        + " is exact, from the FIFO timestamps)");
            }
        }
    }

    @Override
    protected void quiesce() {
        try {
            i2c.writeRegister(CTRL1_XL, 0);
            i2c.writeRegister(FIFO_CTRL4, FIFO_MODE_BYPASS);
        } catch (BusException e) {
            // shutting down anyway
        }
    }

    @Override
    protected void releaseBuses() {
        i2c.close();
    }
}
