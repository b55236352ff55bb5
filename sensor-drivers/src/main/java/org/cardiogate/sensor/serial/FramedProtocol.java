package org.cardiogate.sensor.serial;

/**
 * The gateway's own framed serial protocol, for boards whose firmware the lab writes (an MCU sampling an ADC and
 * streaming over UART or USB CDC). One instance fixes the wire format of one stream: channel count, sample width and
 * sequence counter width. It encodes packets (for emulators and as the reference for firmware authors) and makes
 * decoders.
 *
 * <h2>Packet layout (version 1), all multi-byte fields big-endian</h2>
 * <pre>
 * offset      size       field
 * 0           1          0xA5  sync
 * 1           1          0x5A  sync
 * 2           1          version = 0x01
 * 3           1          flags: bit 0 = 1: 32-bit sequence counter, 0: 16-bit
 *                               bit 1 = 1: int16 samples,            0: int24 samples; bits 7..2 are 0
 * 4           1          C = channels per frame, 1..32
 * 5           1          N = frames (samples per channel) in this packet, 1..64
 * 6           Q = 2|4    S = sequence counter: number of the packet's first sample since the board started,
 *                            modulo 2^16 or 2^32 (unsigned); the next packet starts at S + N
 * 6+Q         N*C*B      payload: N frames in time order, each C channel codes of B = 2 or 3 bytes,
 *                            two's complement
 * 6+Q+N*C*B   2          CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR) over bytes
 *                            0 .. 6+Q+N*C*B-1 (sync, header and payload)
 * </pre>
 * Example: 2 channels, int24, 16-bit counter, S = 0x1234, one frame (0x000001, 0xFFFFFF):
 * {@code A5 5A 01 00 02 01 12 34 00 00 01 FF FF FF} followed by the CRC of those 14 bytes.
 *
 * <h2>Receiver rules</h2>
 * The decoder scans for the sync bytes, checks version, flags, C (must equal the configured channel count) and
 * N, and only then waits for the claimed length; a CRC mismatch discards one byte and scans again, so a corrupted
 * length field can delay (by at most one largest packet, 6 KB) but never swallow the packets behind it. Counter arithmetic is modulo 2^16 or 2^32: a packet
 * that starts ahead of the expected number means the samples in between were lost (a counted gap, never filled); one
 * that starts behind it (by less than half the modulus) is a duplicate and is dropped. A 16-bit counter is ambiguous
 * after 32768 lost samples (65 s at 500 Hz); use the 32-bit counter when outages may be long.
 *
 * <p>Immutable and thread-safe; the decoders it makes are not.
 */
public final class FramedProtocol {
    public static final int SYNC0 = 0xA5;
    public static final int SYNC1 = 0x5A;
    public static final int VERSION = 1;
    public static final int FLAG_SEQ32 = 0x01;
    public static final int FLAG_INT16 = 0x02;
    public static final int MAX_CHANNELS = 32;
    public static final int MAX_SAMPLES = 64;

    private final int channels;
    private final int sampleBytes;
    private final int sequenceBits;

    /**
     * @param channels     codes per frame, 1..32
     * @param sampleBytes  2 (int16) or 3 (int24)
     * @param sequenceBits 16 or 32
     */
    public FramedProtocol(int channels, int sampleBytes, int sequenceBits) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("framed protocol: channels must be 1.." + MAX_CHANNELS + ", got "
                    + channels);
        }
        if (sampleBytes != 2 && sampleBytes != 3) {
            throw new IllegalArgumentException("framed protocol: sampleBytes must be 2 (int16) or 3 (int24), got "
                    + sampleBytes);
        }
        if (sequenceBits != 16 && sequenceBits != 32) {
            throw new IllegalArgumentException("framed protocol: sequenceBits must be 16 or 32, got " + sequenceBits);
        }
        this.channels = channels;
        this.sampleBytes = sampleBytes;
        this.sequenceBits = sequenceBits;
    }

    public int channels() {
        return channels;
    }

    public int sampleBytes() {
        return sampleBytes;
    }

    public int sequenceBits() {
        return sequenceBits;
    }

    /** The flags byte of this format. */
    public int flags() {
        return (sequenceBits == 32 ? FLAG_SEQ32 : 0) | (sampleBytes == 2 ? FLAG_INT16 : 0);
    }

    /** Bytes before the payload. */
    public int headerLength() {
        return 6 + sequenceBits / 8;
    }

    /** Total length of a packet of {@code samples} frames. */
    public int packetLength(int samples) {
        return headerLength() + samples * channels * sampleBytes + 2;
    }

    /** Smallest and largest code a sample can carry. */
    public int minCode() {
        return -(1 << (8 * sampleBytes - 1));
    }

    public int maxCode() {
        return (1 << (8 * sampleBytes - 1)) - 1;
    }

    /**
     * Writes one packet.
     *
     * @param sequence number of the first sample (reduced modulo the counter width)
     * @param codes    frame-major codes, {@code samples * channels} of them, each within {@link #minCode()} ..
     *                 {@link #maxCode()}
     * @param samples  frames, 1..64
     * @return bytes written at {@code dst[off..]}
     */
    public int encode(long sequence, int[] codes, int samples, byte[] dst, int off) {
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("framed protocol: a packet carries 1.." + MAX_SAMPLES
                    + " samples, got " + samples);
        }
        int p = off;
        dst[p++] = (byte) SYNC0;
        dst[p++] = (byte) SYNC1;
        dst[p++] = (byte) VERSION;
        dst[p++] = (byte) flags();
        dst[p++] = (byte) channels;
        dst[p++] = (byte) samples;
        for (int shift = sequenceBits - 8; shift >= 0; shift -= 8) {
            dst[p++] = (byte) (sequence >>> shift);
        }
        int min = minCode();
        int max = maxCode();
        for (int i = 0; i < samples * channels; i++) {
            int v = codes[i];
            if (v < min || v > max) {
                throw new IllegalArgumentException("framed protocol: code " + v + " at index " + i
                        + " does not fit " + 8 * sampleBytes + " bits");
            }
            for (int shift = 8 * sampleBytes - 8; shift >= 0; shift -= 8) {
                dst[p++] = (byte) (v >> shift);
            }
        }
        int crc = Crc16.ccittFalse(dst, off, p - off);
        dst[p++] = (byte) (crc >>> 8);
        dst[p++] = (byte) crc;
        return p - off;
    }

    /** A new decoder for this format. */
    public Decoder newDecoder() {
        return new Decoder();
    }

    /** Decoder of this format; see the class comment for its rules. Allocation-free; one thread. */
    public final class Decoder implements PacketDecoder {
        private final ByteWindow in = new ByteWindow(4 * packetLength(MAX_SAMPLES));
        private final int[] codes = new int[MAX_SAMPLES * channels];
        private long sequence;
        private int samples;
        private long skipped;
        private long rejected;
        private long packets;

        @Override
        public int channels() {
            return channels;
        }

        @Override
        public int maxSamples() {
            return MAX_SAMPLES;
        }

        @Override
        public long sequenceModulus() {
            return 1L << sequenceBits;
        }

        @Override
        public int feed(byte[] src, int off, int len) {
            return in.feed(src, off, len);
        }

        @Override
        public boolean next() {
            int header = headerLength();
            while (in.available() >= header) {
                if (in.u8(0) != SYNC0 || in.u8(1) != SYNC1 || in.u8(2) != VERSION || in.u8(3) != flags()
                        || in.u8(4) != channels || in.u8(5) < 1 || in.u8(5) > MAX_SAMPLES) {
                    skipOne();
                    continue;
                }
                int n = in.u8(5);
                int len = packetLength(n);
                if (in.available() < len) {
                    return false;
                }
                int crc = (in.u8(len - 2) << 8) | in.u8(len - 1);
                if (Crc16.ccittFalse(in.buf, in.start, len - 2) != crc) {
                    rejected++;
                    skipOne();
                    continue;
                }
                long s = 0;
                for (int i = 6; i < header; i++) {
                    s = (s << 8) | in.u8(i);
                }
                int p = header;
                int total = n * channels;
                for (int i = 0; i < total; i++) {
                    int v = 0;
                    for (int b = 0; b < sampleBytes; b++) {
                        v = (v << 8) | in.u8(p++);
                    }
                    int unused = 32 - 8 * sampleBytes;
                    codes[i] = v << unused >> unused;
                }
                sequence = s;
                samples = n;
                packets++;
                in.skip(len);
                return true;
            }
            return false;
        }

        private void skipOne() {
            skipped++;
            in.skip(1);
        }

        @Override
        public long sequence() {
            return sequence;
        }

        @Override
        public int samples() {
            return samples;
        }

        @Override
        public int[] codes() {
            return codes;
        }

        @Override
        public long skippedBytes() {
            return skipped;
        }

        @Override
        public long rejectedPackets() {
            return rejected;
        }

        @Override
        public long packets() {
            return packets;
        }

        @Override
        public void clear() {
            in.clear();
        }
    }

    @Override
    public String toString() {
        return "framed v1 (" + channels + " ch, int" + 8 * sampleBytes + ", " + sequenceBits + "-bit counter)";
    }
}
