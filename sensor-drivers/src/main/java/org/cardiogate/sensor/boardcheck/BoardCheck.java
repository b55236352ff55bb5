package org.cardiogate.sensor.boardcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.ads129x.Ads129xDriver;
import org.cardiogate.sensor.ads129x.Ads129xInput;
import org.cardiogate.sensor.fault.TechnicalEvent;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.SampleBlock;

/**
 * Bring-up check of an ADS1292R / ADS1298 board, emulated or real, in three phases with the production driver:
 * <ol>
 *   <li><b>shorted inputs</b>: identity and registers, input-referred noise per channel (µV rms and peak-to-peak,
 *       mean removed) and the real sample rate against nominal (ppm, from the driver's drift estimate);</li>
 *   <li><b>internal test signal</b>: the square wave's amplitude against the datasheet's {@code Vref / 2400};</li>
 *   <li><b>electrodes</b> (normal inputs, lead-off detection on): the waveform, its spectrum and which electrodes
 *       the lead-off comparators report off.</li>
 * </ol>
 * Each phase builds a new driver through the {@link DriverFactory} (real buses are re-opened per phase). The check
 * runs on the calling thread, which must not be an acquisition thread; with a virtual host time the calling thread
 * takes part in it.
 */
public final class BoardCheck {
    /** Creates a driver for a configuration, on fresh (or reusable) buses. */
    @FunctionalInterface
    public interface DriverFactory {
        Ads129xDriver create(Ads129xConfig config, TechnicalEventListener listener);
    }

    /** Datasheet noise limits are a few µV; above this the board or its supply is suspect. */
    public static final double NOISE_LIMIT_MICROVOLTS_RMS = 10.0;
    /** Largest believable oscillator error (the ADS1292R's internal oscillator is specified to about +-2 %). */
    public static final double RATE_LIMIT_PPM = 25_000;

    private final DriverFactory factory;
    private final HostTime time;
    private final double phaseSeconds;

    /**
     * @param phaseSeconds host seconds per phase (at least 2: the first second is discarded while filters and the
     *                     drift estimate settle)
     */
    public BoardCheck(DriverFactory factory, HostTime time, double phaseSeconds) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.time = Objects.requireNonNull(time, "time");
        if (!(phaseSeconds >= 2)) {
            throw new IllegalArgumentException("board-check phase must last at least 2 s, got " + phaseSeconds);
        }
        this.phaseSeconds = phaseSeconds;
    }

    /** Runs the three phases on a board configured like {@code base} (its stream id, rate, gain, names). */
    public BoardReport run(Ads129xConfig base) throws InterruptedException {
        List<TechnicalEvent> events = new ArrayList<>();
        TechnicalEventListener log = e -> {
            synchronized (events) {
                events.add(e);
            }
        };
        List<String> failures = new ArrayList<>();
        time.register();
        try {
            Ads129xConfig shortedCfg = base.withAllInputs(Ads129xInput.SHORTED).withLeadOff(false,
                    base.leadOffCurrentNanoAmps(), base.comparatorPercent());
            Phase shorted = record(shortedCfg, log);
            int channels = base.model().channels();
            double[] rms = new double[channels];
            double[] pp = new double[channels];
            for (int c = 0; c < channels; c++) {
                double[] x = shorted.settled(c);
                double mean = 0;
                for (double v : x) {
                    mean += v;
                }
                mean /= Math.max(1, x.length);
                double ss = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (double v : x) {
                    ss += (v - mean) * (v - mean);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                rms[c] = Math.sqrt(ss / Math.max(1, x.length)) * 1000;
                pp[c] = (max - min) * 1000;
                if (x.length == 0) {
                    failures.add("no samples with shorted inputs");
                } else if (rms[c] > NOISE_LIMIT_MICROVOLTS_RMS) {
                    failures.add(String.format("channel %s noise %.2f uV rms exceeds %.0f uV",
                            base.channelNames().get(c), rms[c], NOISE_LIMIT_MICROVOLTS_RMS));
                }
            }
            if (shorted.registers.length == 0) {
                failures.add("the chip was never configured (see events)");
            }
            if (Math.abs(shorted.driftPpm) > RATE_LIMIT_PPM) {
                failures.add(String.format("sample rate off by %.0f ppm", shorted.driftPpm));
            }

            Phase test = record(base.withTestSignal(Ads129xConfig.TestSignal.SQUARE_SLOW), log);
            double expected = base.model().testSignalMillivolts();
            double[] amplitude = new double[channels];
            for (int c = 0; c < channels; c++) {
                double[] x = test.settled(c);
                double pos = 0;
                double neg = 0;
                int np = 0;
                int nn = 0;
                for (double v : x) {
                    if (v > 0) {
                        pos += v;
                        np++;
                    } else {
                        neg += v;
                        nn++;
                    }
                }
                amplitude[c] = np > 0 && nn > 0 ? (pos / np - neg / nn) / 2 : Double.NaN;
                if (!(Math.abs(amplitude[c] - expected) <= 0.05 * expected)) {
                    failures.add(String.format("channel %s test signal amplitude %.4f mV, datasheet %.4f mV",
                            base.channelNames().get(c), amplitude[c], expected));
                }
            }

            Phase electrodes = record(base.withAllInputs(Ads129xInput.NORMAL)
                    .withLeadOff(true, base.leadOffCurrentNanoAmps(), base.comparatorPercent()), log);
            List<TechnicalEvent> copy;
            synchronized (events) {
                copy = List.copyOf(events);
            }
            for (TechnicalEvent e : copy) {
                if (e.type() != TechnicalEventType.LEAD_OFF && e.type() != TechnicalEventType.LEAD_ON
                        && e.type() != TechnicalEventType.RECOVERED) {
                    failures.add("technical event " + e.type() + ": " + e.detail());
                }
            }
            return new BoardReport(base, shorted.registers, shorted.nominalRate, shorted.measuredRate,
                    shorted.driftPpm, rms, pp, expected, amplitude, test.settled(0), electrodes.settled(0),
                    electrodes.leadOffMask, base.model().electrodeNames(electrodes.leadOffMask), copy, failures);
        } finally {
            time.deregister();
        }
    }

    private Phase record(Ads129xConfig config, TechnicalEventListener log) throws InterruptedException {
        Phase p = new Phase(config.model().channels(), (int) Math.ceil(phaseSeconds * config.rateSps() * 1.05) + 64);
        Ads129xDriver driver = factory.create(config, log);
        BlockRing ring = driver.ring(config.streamId());
        driver.start();
        try {
            long end = time.nanoTime() + Math.round(phaseSeconds * 1e9);
            long settle = (long) config.rateSps();
            while (time.nanoTime() < end) {
                time.sleepUntil(Math.min(end, time.nanoTime() + 20_000_000L));
                SampleBlock b;
                while ((b = ring.peek()) != null) {
                    for (int i = 0; i < b.length(); i++) {
                        if (b.firstSequence() + i >= settle) {
                            p.add(b, i);
                        }
                    }
                    ring.release();
                }
                p.leadOffMask |= driver.leadOffMask();
            }
            p.registers = driver.registers();
            p.nominalRate = config.rateSps();
            p.measuredRate = driver.streamClock().rateHz();
            p.driftPpm = driver.streamClock().driftPpm();
        } finally {
            driver.close();
        }
        return p;
    }

    private static final class Phase {
        final double[][] data;
        int n;
        int[] registers = new int[0];
        double nominalRate;
        double measuredRate;
        double driftPpm;
        int leadOffMask;

        Phase(int channels, int capacity) {
            data = new double[channels][capacity];
        }

        void add(SampleBlock b, int i) {
            if (n == data[0].length) {
                return;
            }
            for (int c = 0; c < data.length; c++) {
                data[c][n] = b.get(c, i);
            }
            n++;
        }

        double[] settled(int c) {
            return java.util.Arrays.copyOf(data[c], n);
        }
    }
}
