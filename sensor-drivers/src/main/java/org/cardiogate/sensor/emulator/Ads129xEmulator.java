package org.cardiogate.sensor.emulator;

import java.util.SplittableRandom;

import org.cardiogate.sensor.ads129x.Ads129xInput;
import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.bus.DataReadyLine;
import org.cardiogate.sensor.bus.SpiBus;
import org.cardiogate.sensor.timing.HostTime;

/**
 * A register-level emulator of the ADS1292R / ADS1298 behind {@link SpiBus} and a counting {@link DataReadyLine}.
 *
 * <p>Modelled: the register map with power-on values and read-only bits; the opcodes WAKEUP, STANDBY, RESET, START,
 * STOP, RDATAC, SDATAC, RDATA, RREG and WREG (RREG/WREG ignored in RDATAC mode, as on the chip; after RESET the chip
 * is in RDATAC mode); conversions at the rate set in CONFIG1, from START, on an oscillator with a given drift; each
 * conversion takes one frame from the {@link AnalogFeed} (electrode voltages in mV) and quantises it with the
 * channel's gain and the chip's reference ({@code round(v / LSB)}, clipped to 24 bits); per-channel MUX (normal,
 * shorted = offset plus Gaussian input noise, supply, temperature sensor, internal test signal with the datasheet's
 * amplitude and frequency, power-down); DC lead-off: an electrode switched off drives its input to the rail and, when
 * its lead-off sensing and the comparators are enabled, sets its status bit. The DRDY line counts conversions and
 * reports each edge as observed at its completion time plus a deterministic pseudo-random latency.
 *
 * <p>Time comes from a {@link HostTime}: a {@link VirtualTime} for fast deterministic tests, or the system clock for
 * a real-time emulated board. Threading: the bus methods are called by the driver's acquisition thread; the fault and
 * electrode switches ({@link #setFault}, {@link #setElectrodesOff}) by any thread.
 */
public final class Ads129xEmulator implements SpiBus {
    private final Ads129xModel model;
    private final HostTime time;
    private final AnalogFeed feed;
    private final ChipOscillator oscillator;
    private final SplittableRandom noise;
    private final double[] input;
    private final int[] codes;
    private final int[] registers;
    private final Line line = new Line();

    private volatile EmulatorFault fault = EmulatorFault.NONE;
    private volatile int electrodesOff;
    private volatile double shortedNoiseMicrovoltsRms = 1.0;
    private volatile double shortedOffsetMicrovolts = 15.0;
    private long minLatencyNanos = 5_000;
    private long maxLatencyNanos = 60_000;

    private boolean powered = true;
    private boolean rdatac = true;
    private boolean converting;
    /** Conversions of earlier START epochs (edges counted before the current one). */
    private long epochEdges;
    /** Latest conversion of this epoch whose input was consumed, -1 before the first. */
    private long converted = -1;
    private int status;
    private long spiTransfers;

    /**
     * @param model     chip to emulate
     * @param time      host time
     * @param feed      electrode voltages in mV, {@code model.channels()} values per conversion
     * @param driftPpm  oscillator deviation from nominal (positive: faster)
     * @param seed      seed of the noise and latency generators
     */
    public Ads129xEmulator(Ads129xModel model, HostTime time, AnalogFeed feed, double driftPpm, long seed) {
        if (feed.channels() != model.channels()) {
            throw new IllegalArgumentException(model + " emulator needs a feed of " + model.channels()
                    + " channels, got " + feed.channels());
        }
        this.model = model;
        this.time = time;
        this.feed = feed;
        this.oscillator = new ChipOscillator(driftPpm);
        this.noise = new SplittableRandom(seed);
        this.input = new double[model.channels()];
        this.codes = new int[model.channels()];
        this.registers = model.resetValues();
        this.status = model.statusFor(0, 0);
    }

    /** The DRDY line of this chip. */
    public DataReadyLine dataReadyLine() {
        return line;
    }

    public Ads129xModel model() {
        return model;
    }

    /** Switches a fault on or off (any thread). Leaving UNPLUGGED power-cycles the chip. */
    public void setFault(EmulatorFault f) {
        this.fault = f;
    }

    /** Electrodes that are off, as a mask in the layout of {@link Ads129xModel#leadOffMask(int)} (any thread). */
    public void setElectrodesOff(int mask) {
        this.electrodesOff = mask;
    }

    /** Input-referred noise (rms) and offset of a shorted input, in microvolts. */
    public void setShortedInput(double noiseMicrovoltsRms, double offsetMicrovolts) {
        this.shortedNoiseMicrovoltsRms = noiseMicrovoltsRms;
        this.shortedOffsetMicrovolts = offsetMicrovolts;
    }

    /** Range of the delay between a conversion and the host seeing its DRDY edge. */
    public void setLatency(long minNanos, long maxNanos) {
        if (minNanos < 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("latency range must satisfy 0 <= min <= max");
        }
        this.minLatencyNanos = minNanos;
        this.maxLatencyNanos = maxNanos;
    }

    /** Current register contents (test inspection; call when the driver is idle or from its thread). */
    public synchronized int[] registers() {
        return registers.clone();
    }

    /** Host time at which conversion {@code n} of the current START epoch completed. */
    public synchronized long conversionNanos(long n) {
        return oscillator.completionNanos(n);
    }

    /** The oscillator (drift, real rate). */
    public ChipOscillator oscillator() {
        return oscillator;
    }

    /** SPI transfers served. */
    public synchronized long spiTransfers() {
        return spiTransfers;
    }

    @Override
    public synchronized void transfer(byte[] tx, byte[] rx, int len) {
        spiTransfers++;
        EmulatorFault f = fault;
        updatePower(f);
        if (!powered) {
            java.util.Arrays.fill(rx, 0, len, (byte) 0);
            return;
        }
        advance(time.nanoTime(), f);
        int i = 0;
        if (rdatac && converting) {
            // in RDATAC the frame shifts out on SCLK while MOSI is still decoded for commands
            int frameBytes = model.frameBytes();
            for (; i < len && i < frameBytes; i++) {
                rx[i] = frameByte(i);
                execute(tx[i] & 0xFF, f);
            }
        }
        while (i < len) {
            int op = tx[i] & 0xFF;
            rx[i++] = 0;
            if ((op & 0xE0) == Ads129xModel.RREG || (op & 0xE0) == Ads129xModel.WREG) {
                int address = op & 0x1F;
                int count = i < len ? (tx[i] & 0x1F) + 1 : 0;
                if (i < len) {
                    rx[i++] = 0;
                }
                boolean write = (op & 0xE0) == Ads129xModel.WREG;
                for (int k = 0; k < count && i < len; k++, i++) {
                    int a = address + k;
                    if (rdatac || a >= registers.length) {
                        rx[i] = 0;
                    } else if (write) {
                        int mask = model.writableMask(a);
                        registers[a] = (registers[a] & ~mask) | (tx[i] & 0xFF & mask);
                        rx[i] = 0;
                    } else {
                        rx[i] = (byte) registers[a];
                    }
                }
            } else if (op == Ads129xModel.RDATA) {
                int frameBytes = model.frameBytes();
                for (int k = 0; k < frameBytes && i < len; k++, i++) {
                    rx[i] = frameByte(k);
                }
            } else {
                execute(op, f);
            }
        }
        if (f == EmulatorFault.MISO_STUCK_HIGH) {
            java.util.Arrays.fill(rx, 0, len, (byte) 0xFF);
        } else if (f == EmulatorFault.MISO_STUCK_LOW) {
            java.util.Arrays.fill(rx, 0, len, (byte) 0);
        }
    }

    @Override
    public void close() {
    }

    private void execute(int op, EmulatorFault f) {
        switch (op) {
            case Ads129xModel.RESET -> {
                System.arraycopy(model.resetValues(), 0, registers, 0, registers.length);
                stopConversions();
                rdatac = true;
            }
            case Ads129xModel.START -> {
                if (f != EmulatorFault.DATA_READY_STALL && !converting) {
                    int rate = model.rateOf(registers[Ads129xModel.REG_CONFIG1]);
                    oscillator.start(rate, time.nanoTime());
                    converted = -1;
                    converting = true;
                }
            }
            case Ads129xModel.STOP, Ads129xModel.STANDBY -> stopConversions();
            case Ads129xModel.RDATAC -> rdatac = true;
            case Ads129xModel.SDATAC -> rdatac = false;
            default -> {
                // WAKEUP and NOP (0x00) change nothing here
            }
        }
    }

    private void stopConversions() {
        if (converting) {
            epochEdges += converted + 1;
            converting = false;
            converted = -1;
        }
    }

    private void updatePower(EmulatorFault f) {
        if (f == EmulatorFault.UNPLUGGED && powered) {
            stopConversions();
            powered = false;
        } else if (f != EmulatorFault.UNPLUGGED && !powered) {
            powered = true;
            System.arraycopy(model.resetValues(), 0, registers, 0, registers.length);
            rdatac = true;
        }
    }

    /** Consumes the feed up to the latest conversion completed by {@code now}. */
    private void advance(long now, EmulatorFault f) {
        if (!converting) {
            return;
        }
        if (f == EmulatorFault.DATA_READY_STALL) {
            return;
        }
        long target = oscillator.latestAt(now);
        while (converted < target) {
            converted++;
            feed.next(input);
            convert(converted);
        }
    }

    private void convert(long n) {
        boolean comparators = model.comparatorsOn(registers);
        int sensed = model.leadOffSensed(registers);
        int off = electrodesOff;
        int rate = model.rateOf(registers[Ads129xModel.REG_CONFIG1]);
        int config2 = registers[Ads129xModel.REG_CONFIG2];
        for (int c = 0; c < codes.length; c++) {
            int chSet = registers[model.chSetAddress(c)];
            int gain = Ads129xModel.gainOf(chSet);
            double lsb = model.lsbMillivolts(gain < 0 ? 6 : gain);
            if ((chSet & 0x80) != 0) {
                codes[c] = 0;
                continue;
            }
            Ads129xInput in = Ads129xInput.ofMux(chSet & 0x0F);
            double mv;
            if (in == null) {
                mv = 0;
            } else {
                mv = switch (in) {
                    case NORMAL -> input[c];
                    case SHORTED -> (shortedOffsetMicrovolts + shortedNoiseMicrovoltsRms * noise.nextGaussian()) / 1000.0;
                    case SUPPLY -> 1500.0;
                    case TEMPERATURE -> 145.3;
                    case TEST_SIGNAL -> testSignal(n, rate, config2);
                };
            }
            int pBit = 1 << (2 * c);
            int nBit = 1 << (2 * c + 1);
            if (in == Ads129xInput.NORMAL && (off & sensed & pBit) != 0) {
                mv = Double.POSITIVE_INFINITY;
            } else if (in == Ads129xInput.NORMAL && (off & sensed & nBit) != 0) {
                mv = Double.NEGATIVE_INFINITY;
            }
            codes[c] = quantise(mv, lsb);
        }
        int reported = comparators ? off & (sensed | (model == Ads129xModel.ADS1292R ? 0x10 : 0)) : 0;
        status = model.statusFor(reported, 0);
    }

    private double testSignal(long n, int rate, int config2) {
        double hz = model.testFrequencyHz(config2);
        if (Double.isNaN(hz)) {
            return 0;
        }
        double a = model.testSignalMillivolts();
        if (hz == 0) {
            return a;
        }
        long halfPeriod = Math.max(1, Math.round(rate / (2 * hz)));
        return ((n / halfPeriod) & 1) == 0 ? a : -a;
    }

    private static int quantise(double mv, double lsb) {
        double q = Math.rint(mv / lsb);
        if (q >= 8_388_607) {
            return 8_388_607;
        }
        if (q <= -8_388_608) {
            return -8_388_608;
        }
        return (int) q;
    }

    private byte frameByte(int k) {
        int word;
        int shift;
        if (k < 3) {
            word = status;
            shift = 16 - 8 * k;
        } else {
            word = codes[(k - 3) / 3];
            shift = 16 - 8 * ((k - 3) % 3);
        }
        return (byte) (word >>> shift);
    }

    private long latency(long n) {
        long span = maxLatencyNanos - minLatencyNanos;
        if (span == 0) {
            return minLatencyNanos;
        }
        long z = n * 0x9E3779B97F4A7C15L + epochEdges;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return minLatencyNanos + Math.floorMod(z, span + 1);
    }

    /** DRDY as the host sees it: one counted edge per completed conversion, after a latency. */
    private final class Line implements DataReadyLine {
        private long returned;
        private long lastEdgeNanos;

        @Override
        public long awaitEdge(long timeoutNanos) throws InterruptedException {
            long deadline = time.nanoTime() + timeoutNanos;
            while (true) {
                long now = time.nanoTime();
                long next;
                synchronized (Ads129xEmulator.this) {
                    EmulatorFault f = fault;
                    updatePower(f);
                    long seen = observedAt(now, f);
                    if (seen > returned) {
                        returned = seen;
                        return seen;
                    }
                    next = nextObservation(f);
                }
                if (next == Long.MAX_VALUE || next > deadline) {
                    if (now >= deadline) {
                        return -1;
                    }
                    time.sleepUntil(deadline);
                } else {
                    time.sleepUntil(next);
                }
            }
        }

        /** Edges observed by {@code now}; records the observation time of the latest. */
        private long observedAt(long now, EmulatorFault f) {
            advance(now, f);
            if (!converting) {
                return epochEdges;
            }
            long k = converted;
            while (k >= 0 && oscillator.completionNanos(k) + latency(k) > now) {
                k--;
            }
            if (k >= 0 && epochEdges + k + 1 > returned) {
                lastEdgeNanos = oscillator.completionNanos(k) + latency(k);
            }
            return epochEdges + k + 1;
        }

        private long nextObservation(EmulatorFault f) {
            if (!converting || f == EmulatorFault.DATA_READY_STALL || !powered) {
                return Long.MAX_VALUE;
            }
            long k = returned - epochEdges;
            return oscillator.completionNanos(k) + latency(k);
        }

        @Override
        public long edges() {
            synchronized (Ads129xEmulator.this) {
                returned = Math.max(returned, observedAt(time.nanoTime(), fault));
                return returned;
            }
        }

        @Override
        public long lastEdgeNanos() {
            return lastEdgeNanos;
        }

        @Override
        public void close() {
        }
    }
}
