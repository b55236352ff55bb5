package org.cardiogate.sensor.serial;

import java.util.Objects;

import org.cardiogate.sensor.acquisition.ChipFault;
import org.cardiogate.sensor.acquisition.ChipSource;
import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.SerialLink;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.StreamDescriptor;

/**
 * A board streaming packets over a serial link, on the {@link ChipSource} life cycle: configuration opens the port
 * through the {@link SerialLinkOpener} (and sends the board's start command), acquisition reads bytes, decodes
 * packets with the protocol's {@link PacketDecoder} and publishes every sample with its sequence number.
 *
 * <p>Sequence numbers come from the packets' counters through a {@link SequenceUnwrapper}: lost packets are counted
 * gaps (SAMPLES_LOST), duplicates are dropped and counted ({@link #duplicatePackets()}), and bytes skipped to find the
 * next packet raise one RESYNC event per resynchronisation. After a silence longer than a quarter of the counter's
 * span (Cyton: 256 ms), when the counter may have wrapped, the next packet is placed by elapsed time at the stream's
 * estimated rate and then at the counter value nearest to that. A port that fails (read error: the USB device or the pty
 * vanished) raises PORT_LOST; no valid packet for {@code max(500 ms, 20 sample periods)} raises DATA_READY_STALL;
 * either way the port is closed and reopened with backoff, and after reopening the board's counter places the first
 * packet exactly when it is consistent with the time elapsed (see {@link SequenceUnwrapper#resume}).
 *
 * <p>Timestamps: a packet is observed at the host time of the read that completed it, at most every 100 ms (drift
 * window 60 s: read latency on USB serial jitters by milliseconds, so the drift estimate needs tens of seconds). Threading: see {@link ChipSource}; the per-packet path allocates
 * nothing.
 */
public abstract class SerialBoardSource extends ChipSource {
    private static final int READ_TIMEOUT_MILLIS = 50;
    /** Serial read times jitter by milliseconds: observations closer than this add noise, not information. */
    private static final long OBSERVE_SPACING_NANOS = 100_000_000L;

    private final SerialLinkOpener opener;
    private final PacketDecoder decoder;
    private final double[] lsb;
    private final double[] frame;
    private final byte[] readBuffer = new byte[4096];
    private final SequenceUnwrapper unwrapper;
    private final long stallNanos;
    private final long resumeTolerance;
    private final long silenceNanos;
    private SerialLink link;
    private boolean started;
    private boolean observed;
    private long lastObservedNanos;
    private long lastPacketNanos;
    private long pendingTolerance = -1;
    private long lastSkipped;
    private volatile long resyncs;

    /**
     * @param lsb per channel, the physical value of one code (the stream's unit per LSB)
     */
    protected SerialBoardSource(StreamDescriptor stream, int ringSlots, int blockSamples, SerialLinkOpener opener,
                                PacketDecoder decoder, double[] lsb, long duplicateWindow, HostTime time,
                                TechnicalEventListener listener) {
        super(stream, ringSlots, blockSamples, time, listener, 60.0);
        this.opener = Objects.requireNonNull(opener, "opener");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        if (lsb.length != decoder.channels() || stream.channelCount() != decoder.channels()) {
            throw new IllegalArgumentException(stream.streamId() + ": the protocol carries " + decoder.channels()
                    + " channels, the stream has " + stream.channelCount() + " and " + lsb.length + " scales");
        }
        this.lsb = lsb.clone();
        this.frame = new double[lsb.length];
        this.unwrapper = new SequenceUnwrapper(decoder.sequenceModulus(), duplicateWindow);
        double rate = stream.nominalRateHz();
        this.stallNanos = Math.max(500_000_000L, Math.round(20e9 / rate));
        this.silenceNanos = Math.round(decoder.sequenceModulus() / 4.0 / rate * 1e9);
        this.resumeTolerance = Math.min(decoder.sequenceModulus() / 2,
                Math.max(Math.round(rate / 2), 2L * decoder.maxSamples()));
    }

    /** Sends the board's start command, if it needs one. */
    protected void startStreaming(SerialLink link) throws BusException {
    }

    /** Sends the board's stop command, if it has one; best effort at shutdown. */
    protected void stopStreaming(SerialLink link) throws BusException {
    }

    @Override
    protected final void configure() throws BusException, ChipFault, InterruptedException {
        closeLink();
        link = opener.open();
        decoder.clear();
        lastSkipped = decoder.skippedBytes();
        if (!started) {
            unwrapper.start(resumeSequence());
        } else {
            // placed when the first packet arrives, by the time elapsed until then
            pendingTolerance = resumeTolerance;
        }
        started = true;
        observed = false;
        startStreaming(link);
    }

    @Override
    protected final void acquire() throws BusException, ChipFault, InterruptedException {
        lastPacketNanos = time.nanoTime();
        while (running()) {
            int n = link.read(readBuffer, 0, readBuffer.length, READ_TIMEOUT_MILLIS);
            long now = time.nanoTime();
            if (n == 0) {
                decoder.idle();
                drainPackets(now);
            }
            int off = 0;
            while (off < n) {
                off += decoder.feed(readBuffer, off, n - off);
                drainPackets(now);
            }
            if (now - lastPacketNanos > stallNanos) {
                throw new ChipFault(TechnicalEventType.DATA_READY_STALL, "no valid packet on " + link.name()
                        + " for " + (now - lastPacketNanos) / 1_000_000 + " ms ("
                        + (decoder.skippedBytes() - lastSkipped)
                        + " byte(s) skipped: check the protocol settings and the baud rate)");
            }
        }
    }

    /** Publishes every packet the decoder can complete, read at host time {@code now}. */
    private void drainPackets(long now) {
        int channels = frame.length;
        while (decoder.next()) {
            long tolerance = pendingTolerance;
            pendingTolerance = -1;
            if (tolerance < 0 && now - lastPacketNanos > silenceNanos) {
                // the counter may have wrapped during the silence
                tolerance = decoder.sequenceModulus() / 2;
            }
            if (tolerance >= 0) {
                // place the packet by elapsed time, then at the counter value nearest to that
                long estimate = clock.sequenceAt(now) - decoder.samples() + 1;
                unwrapper.resume(unwrapper.expected(), Math.max(unwrapper.expected(), estimate), tolerance);
            }
            lastPacketNanos = now;
            long first = unwrapper.accept(decoder.sequence(), decoder.samples());
            if (first < 0) {
                continue;
            }
            long skipped = decoder.skippedBytes();
            if (skipped != lastSkipped) {
                resyncs++;
                report(TechnicalEventType.RESYNC, (skipped - lastSkipped) + " byte(s) skipped on "
                        + link.name() + " before the packet of sample " + first);
                lastSkipped = skipped;
            }
            int samples = decoder.samples();
            int[] codes = decoder.codes();
            if (!observed || now - lastObservedNanos >= OBSERVE_SPACING_NANOS) {
                observe(first + samples - 1, now);
                observed = true;
                lastObservedNanos = now;
            }
            for (int s = 0; s < samples; s++) {
                for (int c = 0; c < channels; c++) {
                    frame[c] = codes[s * channels + c] * lsb[c];
                }
                emit(first + s, frame);
            }
        }
    }

    @Override
    protected final void quiesce() {
        if (link != null) {
            try {
                stopStreaming(link);
            } catch (BusException e) {
                // shutting down anyway
            }
        }
    }

    @Override
    protected final void releaseBuses() {
        closeLink();
    }

    private void closeLink() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    /** Packets dropped because they repeated samples already published (any thread, informational). */
    public long duplicatePackets() {
        return unwrapper.duplicates();
    }

    /** Resynchronisations: runs of skipped bytes before a valid packet (any thread). */
    public long resyncs() {
        return resyncs;
    }

    /** Bytes skipped so far (any thread, informational). */
    public long skippedBytes() {
        return decoder.skippedBytes();
    }

    /** Candidate packets rejected by their CRC or footer check (any thread, informational). */
    public long rejectedPackets() {
        return decoder.rejectedPackets();
    }
}
