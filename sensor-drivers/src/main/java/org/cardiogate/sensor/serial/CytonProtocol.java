package org.cardiogate.sensor.serial;

/**
 * The OpenBCI Cyton (ADS1299, 8 channels, 250 Hz) 33-byte packet stream, as documented by OpenBCI ("Cyton Data
 * Format"):
 * <pre>
 * byte 0       0xA0 header
 * byte 1       sample number, 0..255, wrapping
 * bytes 2..25  8 channels x 24-bit big-endian two's complement ADS1299 codes
 * bytes 26..31 6 aux bytes (with footer 0xC0: accelerometer X, Y, Z as int16 big-endian, else board-specific)
 * byte 32      footer 0xC0..0xC6 (0xC0 = standard accelerometer aux data)
 * </pre>
 * A code becomes volts as {@code code * 4.5 V / gain / (2^23 - 1)} (gain 24 by default). The board starts streaming on
 * the command {@code 'b'} and stops on {@code 's'}; the link runs at 115200 baud.
 *
 * <p>The stream has no checksum, so the decoder locks only on structure: out of lock it accepts a packet when a
 * header and a valid footer sit 32 bytes apart and the next packet's header and footer follow directly (false-lock
 * probability about 3e-6 per garbage byte); in lock it accepts a packet with a valid footer once the next header
 * byte has arrived (one packet, 4 ms, of latency, which keeps a packet cut short from passing as whole) or the link
 * has gone idle ({@link PacketDecoder#idle()}); anything else drops the lock and the decoder scans byte by byte.
 * The 8-bit sample number tells lost packets apart from contiguous ones up to 255 lost packets (about 1 s); a packet
 * that repeats the previous number is a duplicate.
 */
public final class CytonProtocol {
    public static final int PACKET_LENGTH = 33;
    public static final int HEADER = 0xA0;
    public static final int FOOTER_MIN = 0xC0;
    public static final int FOOTER_MAX = 0xC6;
    public static final int CHANNELS = 8;
    public static final double RATE_HZ = 250.0;
    public static final double VREF_VOLTS = 4.5;
    public static final int DEFAULT_GAIN = 24;
    /** ADS1299 PGA gains. */
    public static final int[] GAINS = {1, 2, 4, 6, 8, 12, 24};
    public static final byte START_STREAMING = 'b';
    public static final byte STOP_STREAMING = 's';

    private CytonProtocol() {
    }

    /** Millivolts per code at this PGA gain: 4500 mV / gain / (2^23 - 1). */
    public static double lsbMillivolts(int gain) {
        boolean ok = false;
        for (int g : GAINS) {
            ok |= g == gain;
        }
        if (!ok) {
            throw new IllegalArgumentException("Cyton gain " + gain + " is not an ADS1299 gain; use one of "
                    + java.util.Arrays.toString(GAINS));
        }
        return VREF_VOLTS * 1000.0 / gain / ((1 << 23) - 1);
    }

    /**
     * Writes one packet: header, sample number (low 8 bits), 8 codes, accelerometer aux (int16, may be null for
     * zeros), footer 0xC0.
     *
     * @return {@link #PACKET_LENGTH}
     */
    public static int encode(int sampleNumber, int[] codes, int codeOffset, short[] accel, byte[] dst, int off) {
        dst[off] = (byte) HEADER;
        dst[off + 1] = (byte) sampleNumber;
        for (int c = 0; c < CHANNELS; c++) {
            int v = codes[codeOffset + c];
            if (v < -(1 << 23) || v > (1 << 23) - 1) {
                throw new IllegalArgumentException("Cyton code " + v + " of channel " + c + " does not fit 24 bits");
            }
            int o = off + 2 + 3 * c;
            dst[o] = (byte) (v >> 16);
            dst[o + 1] = (byte) (v >> 8);
            dst[o + 2] = (byte) v;
        }
        for (int a = 0; a < 3; a++) {
            short v = accel == null ? 0 : accel[a];
            dst[off + 26 + 2 * a] = (byte) (v >> 8);
            dst[off + 27 + 2 * a] = (byte) v;
        }
        dst[off + 32] = (byte) FOOTER_MIN;
        return PACKET_LENGTH;
    }

    /** A new decoder. */
    public static Decoder newDecoder() {
        return new Decoder();
    }

    /** Cyton stream decoder; see the class comment for its lock rules. Allocation-free; one thread. */
    public static final class Decoder implements PacketDecoder {
        private final ByteWindow in = new ByteWindow(64 * PACKET_LENGTH);
        private final int[] codes = new int[CHANNELS];
        private boolean locked;
        private boolean idle;
        private int sequence;
        private long skipped;
        private long rejected;
        private long packets;

        @Override
        public int channels() {
            return CHANNELS;
        }

        @Override
        public int maxSamples() {
            return 1;
        }

        @Override
        public long sequenceModulus() {
            return 256;
        }

        @Override
        public int feed(byte[] src, int off, int len) {
            if (len > 0) {
                idle = false;
            }
            return in.feed(src, off, len);
        }

        @Override
        public void idle() {
            idle = true;
        }

        private boolean framed(int at) {
            int footer = in.u8(at + 32);
            return in.u8(at) == HEADER && footer >= FOOTER_MIN && footer <= FOOTER_MAX;
        }

        @Override
        public boolean next() {
            while (in.available() >= PACKET_LENGTH) {
                if (!framed(0)) {
                    if (in.u8(0) == HEADER) {
                        rejected++;
                    }
                    locked = false;
                    skipped++;
                    in.skip(1);
                    continue;
                }
                boolean releaseIdle = locked && idle && in.available() == PACKET_LENGTH;
                int need = releaseIdle ? PACKET_LENGTH : locked ? PACKET_LENGTH + 1 : 2 * PACKET_LENGTH;
                if (in.available() < need) {
                    return false;
                }
                if (!releaseIdle && (locked ? in.u8(PACKET_LENGTH) != HEADER : !framed(PACKET_LENGTH))) {
                    locked = false;
                    skipped++;
                    in.skip(1);
                    continue;
                }
                locked = true;
                sequence = in.u8(1);
                for (int c = 0; c < CHANNELS; c++) {
                    int o = 2 + 3 * c;
                    codes[c] = ((in.u8(o) << 16) | (in.u8(o + 1) << 8) | in.u8(o + 2)) << 8 >> 8;
                }
                packets++;
                in.skip(PACKET_LENGTH);
                return true;
            }
            return false;
        }

        @Override
        public long sequence() {
            return sequence;
        }

        @Override
        public int samples() {
            return 1;
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
            locked = false;
        }
    }
}
