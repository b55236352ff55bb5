package org.cardiogate.mqtt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.cardiogate.signal.SampleBlock;

/**
 * A block of waveform samples as published on {@code streams/<streamId>/waveform}: the binary encoding of contract
 * v1 and its decoder. All numbers are big-endian.
 *
 * <pre>
 * offset size  field
 *  0     2     magic 'C' 'W' (0x43 0x57)
 *  2     1     version, 1
 *  3     1     encoding, 1 = int16 per channel with offset and scale
 *  4     8     seq            int64, per-topic sequence number (as in the JSON messages)
 * 12     8     first sample   int64, the stream's sample counter of sample 0 of the block
 * 20     8     t_ns           int64, monotonic time of sample 0 in ns (the gateway's sample clock)
 * 28     8     ts_ms          int64, wall-clock time the block was handed to the publisher, ms since 1970 UTC
 * 36     8     rate_hz        float64, nominal sample rate
 * 44     1     C              channel count, 1..255
 * 45     2     N              samples per channel, 0..65535
 * 47     1+g   gatewayId      length byte, then UTF-8
 *  .     1+s   streamId       length byte, then UTF-8
 *  .     16*C  per channel:   float64 offset, float64 scale
 *  .     2*C*N samples:       int16, channel-major (all N samples of channel 0, then channel 1, ...)
 * </pre>
 * A sample's value in the stream's physical unit is {@code offset + scale * raw}; {@code raw = -32768} means no value
 * ({@code NaN}: lead off, gap). Offset and scale are chosen per block and channel to span the block's finite values,
 * so the quantisation error is at most {@code scale / 2} = (max - min) / 131068 of that block's channel.
 */
public record WaveformMessage(String gatewayId, String streamId, long seq, long firstSample, long timestampNanos,
                              long wallMillis, double sampleRateHz, double[][] samples) {
    public static final byte MAGIC_0 = 'C';
    public static final byte MAGIC_1 = 'W';
    public static final int VERSION = 1;
    public static final int ENCODING_INT16_OFFSET_SCALE = 1;
    /** Byte offset of {@code seq}, which the outbox fills in when it numbers the message. */
    static final int SEQ_OFFSET = 4;
    private static final int FIXED = 47;
    private static final short NO_VALUE = Short.MIN_VALUE;

    /** Number of samples per channel. */
    public int length() {
        return samples.length == 0 ? 0 : samples[0].length;
    }

    public int channelCount() {
        return samples.length;
    }

    /**
     * Encodes a block with {@code seq} 0 (set later by {@link #setSeq}). Allocates the message only; nothing per
     * sample.
     *
     * @param gatewayIdUtf8 the gateway id, UTF-8, at most 255 bytes
     */
    static byte[] encode(byte[] gatewayIdUtf8, SampleBlock block, long wallMillis) {
        byte[] stream = block.stream().streamId().getBytes(StandardCharsets.UTF_8);
        int channels = block.channelCount();
        int n = block.length();
        if (channels > 255 || n > 65535 || stream.length > 255 || gatewayIdUtf8.length > 255) {
            throw new IllegalArgumentException("waveform block of " + block.stream().streamId() + " is " + channels
                    + " channels x " + n + " samples; the encoding takes at most 255 channels x 65535 samples");
        }
        ByteBuffer b = ByteBuffer.allocate(FIXED + 2 + gatewayIdUtf8.length + stream.length + 16 * channels + 2 * channels * n);
        b.put(MAGIC_0).put(MAGIC_1).put((byte) VERSION).put((byte) ENCODING_INT16_OFFSET_SCALE);
        b.putLong(0).putLong(block.firstSequence()).putLong(block.timestampNanos()).putLong(wallMillis)
                .putDouble(block.stream().nominalRateHz()).put((byte) channels).putShort((short) n);
        b.put((byte) gatewayIdUtf8.length).put(gatewayIdUtf8).put((byte) stream.length).put(stream);
        int scales = b.position();
        int data = scales + 16 * channels;
        for (int c = 0; c < channels; c++) {
            double[] x = block.channel(c);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double v = x[i];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            double offset = min <= max ? 0.5 * (min + max) : 0.0;
            double scale = min < max ? (max - min) / 65534.0 : 0.0;
            b.putDouble(scales + 16 * c, offset).putDouble(scales + 16 * c + 8, scale);
            int at = data + 2 * n * c;
            for (int i = 0; i < n; i++) {
                double v = x[i];
                short raw;
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    raw = NO_VALUE;
                } else if (scale == 0.0) {
                    raw = 0;
                } else {
                    long r = Math.round((v - offset) / scale);
                    raw = (short) Math.max(-32767, Math.min(32767, r));
                }
                b.putShort(at + 2 * i, raw);
            }
        }
        return b.array();
    }

    static void setSeq(byte[] message, long seq) {
        ByteBuffer.wrap(message).putLong(SEQ_OFFSET, seq);
    }

    /**
     * Decodes a waveform message.
     *
     * @throws IllegalArgumentException naming the field, if the bytes are not a waveform message of this version
     */
    public static WaveformMessage decode(byte[] message) {
        if (message.length < FIXED + 2) {
            throw new IllegalArgumentException("waveform message is " + message.length + " bytes, shorter than its "
                    + (FIXED + 2) + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(message);
        if (b.get(0) != MAGIC_0 || b.get(1) != MAGIC_1) {
            throw new IllegalArgumentException("waveform message does not start with magic 'CW'");
        }
        if (b.get(2) != VERSION) {
            throw new IllegalArgumentException("waveform message version " + b.get(2) + " is not supported (expected "
                    + VERSION + ")");
        }
        if (b.get(3) != ENCODING_INT16_OFFSET_SCALE) {
            throw new IllegalArgumentException("waveform encoding " + b.get(3) + " is not supported (expected "
                    + ENCODING_INT16_OFFSET_SCALE + ")");
        }
        long seq = b.getLong(4);
        long first = b.getLong(12);
        long tNs = b.getLong(20);
        long ts = b.getLong(28);
        double rate = b.getDouble(36);
        int channels = b.get(44) & 0xFF;
        int n = b.getShort(45) & 0xFFFF;
        b.position(47);
        String gateway = string(b, "gatewayId");
        String stream = string(b, "streamId");
        int scales = b.position();
        int data = scales + 16 * channels;
        int expected = data + 2 * channels * n;
        if (message.length != expected) {
            throw new IllegalArgumentException("waveform message of " + channels + " channels x " + n + " samples must be "
                    + expected + " bytes, got " + message.length);
        }
        double[][] samples = new double[channels][n];
        for (int c = 0; c < channels; c++) {
            double offset = b.getDouble(scales + 16 * c);
            double scale = b.getDouble(scales + 16 * c + 8);
            int at = data + 2 * n * c;
            for (int i = 0; i < n; i++) {
                short raw = b.getShort(at + 2 * i);
                samples[c][i] = raw == NO_VALUE ? Double.NaN : offset + scale * raw;
            }
        }
        return new WaveformMessage(gateway, stream, seq, first, tNs, ts, rate, samples);
    }

    private static String string(ByteBuffer b, String field) {
        if (!b.hasRemaining()) {
            throw new IllegalArgumentException("waveform message ends before its " + field);
        }
        int length = b.get() & 0xFF;
        if (b.remaining() < length) {
            throw new IllegalArgumentException("waveform message ends inside its " + field);
        }
        String s = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
        b.position(b.position() + length);
        return s;
    }
}
