package org.cardiogate.sensor.serial;

/**
 * Finds and checks packets in a serial byte stream. Bytes go in with {@link #feed}; each {@link #next()} that returns
 * true exposes one checked packet through {@link #sequence()}, {@link #samples()} and {@link #codes()} until the next
 * call. Bytes that do not belong to a valid packet are skipped one at a time (a packet's claimed length is never
 * trusted before its check passes), so a decoder finds the next packet after any garbage.
 *
 * <p>Allocation-free after construction; owned by one thread.
 */
public interface PacketDecoder {

    /** Channels per sample frame. */
    int channels();

    /** Largest number of samples (frames) one packet can carry. */
    int maxSamples();

    /** Modulus of the packet's sequence counter: {@code 2^bits}. */
    long sequenceModulus();

    /**
     * Appends bytes to the decoder's buffer, as many as fit.
     *
     * @return how many of the {@code len} bytes were taken; call {@link #next()} until false, then feed the rest
     */
    int feed(byte[] src, int off, int len);

    /** Decodes the next complete, valid packet in the buffer; false when more bytes are needed. */
    boolean next();

    /**
     * Tells the decoder that no byte arrived for a read timeout, so a packet it holds back until the next byte
     * confirms its end may be released by the following {@link #next()}. Cleared by the next {@link #feed}.
     */
    default void idle() {
    }

    /** The current packet's sequence counter as sent (modulo {@link #sequenceModulus()}): its first sample's number. */
    long sequence();

    /** Samples (frames) in the current packet. */
    int samples();

    /** The current packet's raw ADC codes, frame-major: {@code codes()[s * channels() + c]}. */
    int[] codes();

    /** Bytes skipped so far because they did not start a valid packet. */
    long skippedBytes();

    /** Candidate packets rejected by their check (CRC, footer) so far. */
    long rejectedPackets();

    /** Valid packets decoded so far. */
    long packets();

    /** Forgets buffered bytes and lock (after the port was reopened). Counters are kept. */
    void clear();
}
