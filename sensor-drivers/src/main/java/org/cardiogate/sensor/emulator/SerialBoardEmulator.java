package org.cardiogate.sensor.emulator;

import java.util.Objects;

import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.SerialLink;
import org.cardiogate.sensor.serial.CytonProtocol;
import org.cardiogate.sensor.serial.FramedProtocol;
import org.cardiogate.sensor.timing.HostTime;

/**
 * The board end of a serial link: samples an {@link AnalogFeed} on a drifting {@link ChipOscillator}, packs the
 * codes into the {@link FramedProtocol} or {@link CytonProtocol} and writes each packet when its last sample is
 * complete, on its own thread. Usually the link is one end of a {@code socat} pty pair and the driver opens the other.
 *
 * <p>Like a real board it keeps sampling when nobody listens: while no link is attached (or after a write failed,
 * when the pty vanished) packets are produced and discarded ({@link #unsentSamples()}), and {@link #attach} resumes
 * output on a new link with the counter continuing. Faults for tests: {@link #injectGarbage}, {@link #dropPackets}
 * (the samples are counted as {@link #droppedSamples()}, the truth a driver's gap count is checked against) and
 * {@link #duplicateNextPacket}. Sample {@code n} takes frame {@code n} of the feed, converted to the code
 * {@code round(value / lsb)} clipped to the sample width.
 *
 * <p>Threading: the control methods are safe from any thread; the board thread is a party of the {@link HostTime}.
 */
public final class SerialBoardEmulator implements AutoCloseable {
    private final HostTime time;
    private final AnalogFeed feed;
    private final ChipOscillator oscillator;
    private final double rateHz;
    private final int samplesPerPacket;
    private final int channels;
    private final double lsb;
    private final int minCode;
    private final int maxCode;
    private final FramedProtocol framed;
    private final int[] codes;
    private final double[] frame;
    private final byte[] packet;
    private volatile SerialLink link;
    private volatile byte[] garbage;
    private volatile int dropRemaining;
    private volatile boolean duplicate;
    private volatile boolean running;
    private Thread thread;
    private volatile long producedSamples;
    private volatile long droppedSamples;
    private volatile long unsentSamples;
    private volatile long packetsWritten;

    private SerialBoardEmulator(HostTime time, AnalogFeed feed, double driftPpm, double rateHz, int samplesPerPacket,
                                int channels, double lsb, int minCode, int maxCode, FramedProtocol framed) {
        this.time = Objects.requireNonNull(time, "time");
        this.feed = Objects.requireNonNull(feed, "feed");
        if (feed.channels() != channels) {
            throw new IllegalArgumentException("serial board emulator: the feed has " + feed.channels()
                    + " channels, the protocol carries " + channels);
        }
        this.oscillator = new ChipOscillator(driftPpm);
        this.rateHz = rateHz;
        this.samplesPerPacket = samplesPerPacket;
        this.channels = channels;
        this.lsb = lsb;
        this.minCode = minCode;
        this.maxCode = maxCode;
        this.framed = framed;
        this.codes = new int[samplesPerPacket * channels];
        this.frame = new double[channels];
        this.packet = new byte[framed != null ? framed.packetLength(samplesPerPacket) : CytonProtocol.PACKET_LENGTH];
    }

    /**
     * A board speaking the framed protocol.
     *
     * @param samplesPerPacket frames per packet, 1..64
     * @param unitsPerLsb      feed value of one code
     */
    public static SerialBoardEmulator framed(FramedProtocol protocol, int samplesPerPacket, double unitsPerLsb,
                                             double rateHz, AnalogFeed feed, HostTime time, double driftPpm) {
        if (samplesPerPacket < 1 || samplesPerPacket > FramedProtocol.MAX_SAMPLES) {
            throw new IllegalArgumentException("framed board emulator: samplesPerPacket must be 1.."
                    + FramedProtocol.MAX_SAMPLES + ", got " + samplesPerPacket);
        }
        return new SerialBoardEmulator(time, feed, driftPpm, rateHz, samplesPerPacket, protocol.channels(),
                unitsPerLsb, protocol.minCode(), protocol.maxCode(), protocol);
    }

    /** An OpenBCI Cyton: 8 channels of the feed in mV at 250 Hz, ADS1299 codes at this gain. */
    public static SerialBoardEmulator cyton(int gain, AnalogFeed feed, HostTime time, double driftPpm) {
        return new SerialBoardEmulator(time, feed, driftPpm, CytonProtocol.RATE_HZ, 1, CytonProtocol.CHANNELS,
                CytonProtocol.lsbMillivolts(gain), -(1 << 23), (1 << 23) - 1, null);
    }

    /** Connects the board to a link (replacing a dead one); output resumes with the next packet. */
    public void attach(SerialLink newLink) {
        this.link = newLink;
    }

    /** Writes these bytes before the next packet. */
    public void injectGarbage(byte[] bytes) {
        this.garbage = bytes.clone();
    }

    /** Leaves out the next {@code n} packets (the radio lost them). */
    public void dropPackets(int n) {
        this.dropRemaining = n;
    }

    /** Sends the next packet twice. */
    public void duplicateNextPacket() {
        this.duplicate = true;
    }

    /** Starts sampling now. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("serial board emulator already started");
        }
        running = true;
        oscillator.start(rateHz, time.nanoTime());
        time.register();
        thread = Thread.ofPlatform().name("board-emulator").daemon(true).unstarted(this::run);
        thread.start();
    }

    private void run() {
        try {
            long n = 0;
            while (running) {
                time.sleepUntil(oscillator.completionNanos(n + samplesPerPacket - 1));
                for (int s = 0; s < samplesPerPacket; s++) {
                    feed.next(frame);
                    for (int c = 0; c < channels; c++) {
                        long code = Math.round(frame[c] / lsb);
                        codes[s * channels + c] = (int) Math.max(minCode, Math.min(maxCode, code));
                    }
                }
                int len = framed != null ? framed.encode(n, codes, samplesPerPacket, packet, 0)
                        : CytonProtocol.encode((int) n, codes, 0, null, packet, 0);
                send(len);
                n += samplesPerPacket;
                producedSamples = n;
            }
        } catch (InterruptedException e) {
            // close() stops us
        } finally {
            time.deregister();
        }
    }

    private void send(int len) {
        if (dropRemaining > 0) {
            dropRemaining--;
            droppedSamples += samplesPerPacket;
            return;
        }
        SerialLink l = link;
        if (l == null) {
            unsentSamples += samplesPerPacket;
            return;
        }
        try {
            byte[] g = garbage;
            if (g != null) {
                garbage = null;
                l.write(g, 0, g.length);
            }
            l.write(packet, 0, len);
            if (duplicate) {
                duplicate = false;
                l.write(packet, 0, len);
            }
            packetsWritten++;
        } catch (BusException e) {
            link = null;
            l.close();
            unsentSamples += samplesPerPacket;
        }
    }

    /** Samples produced so far (any thread). */
    public long producedSamples() {
        return producedSamples;
    }

    /** Samples in packets left out by {@link #dropPackets} (any thread). */
    public long droppedSamples() {
        return droppedSamples;
    }

    /** Samples produced while no link was attached or the link failed (any thread). */
    public long unsentSamples() {
        return unsentSamples;
    }

    public long packetsWritten() {
        return packetsWritten;
    }

    /** Host time at which sample {@code n} was taken. */
    public long sampleNanos(long n) {
        return oscillator.completionNanos(n);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        SerialLink l = link;
        if (l != null) {
            l.close();
        }
    }
}
