package org.cardiogate.signal.wfdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A whole single-segment WFDB record in memory: its header and every sample of every signal as digital (ADC) values.
 *
 * <p>{@link #read(Path)} reads each signal file with one bulk read, decodes formats 212, 16, 61, 80, 160, 24 and 32,
 * and verifies the file sizes against the header's sample count and each signal's 16-bit checksum against the header.
 * Signals may share a file (interleaved frames) or live in separate files. Only one sample per frame and zero skew are
 * supported.
 *
 * <p>Immutable and thread-safe: accessors return copies.
 */
public final class WfdbRecord {
    private final WfdbHeader header;
    private final int[][] samples;

    private WfdbRecord(WfdbHeader header, int[][] samples) {
        this.header = header;
        this.samples = samples;
    }

    /**
     * Reads a record.
     *
     * @param recordPath the record's path without extension, e.g. {@code /data/mitdb/100}; a path ending in
     *                   {@code .hea} is accepted too
     * @throws WfdbFormatException when the header is malformed, a signal file is truncated or odd-sized, a format is
     *                             not supported, or a checksum does not match
     */
    public static WfdbRecord read(Path recordPath) throws IOException {
        Path hea = headerPath(recordPath);
        WfdbHeader header = WfdbHeader.parse(hea);
        int nsig = header.signalCount();
        int[][] samples = new int[nsig][];
        if (nsig == 0) {
            return new WfdbRecord(header, samples);
        }
        // signals sharing a file form a group of adjacent header lines
        int[] groupStart = new int[nsig + 1];
        int groups = 0;
        for (int i = 0; i < nsig; i++) {
            if (i == 0 || !header.signal(i).fileName().equals(header.signal(i - 1).fileName())) {
                for (int g = 0; g < groups; g++) {
                    if (header.signal(groupStart[g]).fileName().equals(header.signal(i).fileName())) {
                        throw new WfdbFormatException(hea + ": signals " + groupStart[g] + " and " + i + " share file "
                                + header.signal(i).fileName() + " but are not on adjacent lines");
                    }
                }
                groupStart[groups++] = i;
            }
        }
        groupStart[groups] = nsig;

        byte[][] data = new byte[groups][];
        Path[] files = new Path[groups];
        long length = header.sampleCount();
        for (int g = 0; g < groups; g++) {
            int first = groupStart[g];
            int n = groupStart[g + 1] - first;
            WfdbSignalSpec spec = header.signal(first);
            checkReadable(hea, header, first, groupStart[g + 1]);
            files[g] = hea.resolveSibling(spec.fileName());
            data[g] = Files.readAllBytes(files[g]);
            long available = data[g].length - spec.byteOffset();
            if (available < 0) {
                throw new WfdbFormatException(files[g] + ": truncated, " + data[g].length
                        + " bytes are fewer than the byte offset " + spec.byteOffset() + " the header gives");
            }
            long frames = samplesIn(spec.format(), available) / n;
            if (header.sampleCount() > 0) {
                long needed = bytesFor(spec.format(), header.sampleCount() * n);
                if (available < needed) {
                    throw new WfdbFormatException(files[g] + ": truncated, expected " + (needed + spec.byteOffset())
                            + " bytes for " + header.sampleCount() + " samples of " + n + " signal(s) in format "
                            + spec.format() + describeOffset(spec) + ", found " + data[g].length);
                }
            } else {
                length = g == 0 ? frames : Math.min(length, frames);
            }
            if (bytesFor(spec.format(), frames * n) != available) {
                throw new WfdbFormatException(files[g] + ": odd-sized, " + available + " bytes" + describeOffset(spec)
                        + " are not a whole number of frames of " + n + " signal(s) in format " + spec.format()
                        + " (" + frames + " whole frames take " + bytesFor(spec.format(), frames * n) + " bytes)");
            }
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new WfdbFormatException(hea + ": " + length + " samples per signal are too many to hold in memory");
        }
        int len = (int) length;
        for (int g = 0; g < groups; g++) {
            int first = groupStart[g];
            int n = groupStart[g + 1] - first;
            for (int s = first; s < first + n; s++) {
                samples[s] = new int[len];
            }
            WfdbSignalSpec spec = header.signal(first);
            decode(data[g], (int) spec.byteOffset(), spec.format(), samples, first, n, len);
            data[g] = null;
        }
        if (header.sampleCount() > 0) {
            for (int g = 0; g < groups; g++) {
                for (int s = groupStart[g]; s < groupStart[g + 1]; s++) {
                    verifyChecksum(files[g], s, header.signal(s), samples[s]);
                }
            }
        }
        return new WfdbRecord(header, samples);
    }

    private static Path headerPath(Path recordPath) {
        Objects.requireNonNull(recordPath, "recordPath");
        String name = recordPath.getFileName().toString();
        return name.endsWith(".hea") ? recordPath : recordPath.resolveSibling(name + ".hea");
    }

    private static void checkReadable(Path hea, WfdbHeader header, int from, int to) throws WfdbFormatException {
        WfdbSignalSpec first = header.signal(from);
        for (int s = from; s < to; s++) {
            WfdbSignalSpec spec = header.signal(s);
            String which = hea + ": signal " + s + " (" + spec.description() + ") ";
            if (!isSupportedFormat(spec.format())) {
                throw new WfdbFormatException(which + "uses format " + spec.format()
                        + ", which is not supported (supported: 212, 16, 61, 80, 160, 24, 32)");
            }
            if (spec.fileName().equals("~")) {
                throw new WfdbFormatException(which + "is a null signal ('~') with no samples to read");
            }
            if (spec.samplesPerFrame() != 1) {
                throw new WfdbFormatException(which + "has " + spec.samplesPerFrame()
                        + " samples per frame; only 1 is supported");
            }
            if (spec.skew() != 0) {
                throw new WfdbFormatException(which + "has skew " + spec.skew() + "; only 0 is supported");
            }
            if (spec.format() != first.format()) {
                throw new WfdbFormatException(which + "uses format " + spec.format() + " but shares file "
                        + spec.fileName() + " with signal " + from + " in format " + first.format());
            }
            if (spec.byteOffset() > Integer.MAX_VALUE) {
                throw new WfdbFormatException(which + "byte offset " + spec.byteOffset() + " is too large");
            }
        }
    }

    static boolean isSupportedFormat(int format) {
        return switch (format) {
            case 212, 16, 61, 80, 160, 24, 32 -> true;
            default -> false;
        };
    }

    /** Bytes taken by {@code count} consecutive samples (all signals of a file, frame after frame). */
    static long bytesFor(int format, long count) {
        return switch (format) {
            case 212 -> (3 * count + 1) / 2;
            case 16, 61, 160 -> 2 * count;
            case 80 -> count;
            case 24 -> 3 * count;
            case 32 -> 4 * count;
            default -> throw new IllegalArgumentException("format " + format);
        };
    }

    /** Whole samples that fit in {@code bytes}. */
    static long samplesIn(int format, long bytes) {
        return switch (format) {
            case 212 -> bytes / 3 * 2 + (bytes % 3 == 2 ? 1 : 0);
            case 16, 61, 160 -> bytes / 2;
            case 80 -> bytes;
            case 24 -> bytes / 3;
            case 32 -> bytes / 4;
            default -> throw new IllegalArgumentException("format " + format);
        };
    }

    private static String describeOffset(WfdbSignalSpec spec) {
        return spec.byteOffset() == 0 ? "" : " after a " + spec.byteOffset() + "-byte offset";
    }

    private static void decode(byte[] b, int off, int format, int[][] dst, int first, int n, int len) {
        int p = off;
        switch (format) {
            case 212 -> {
                boolean odd = false;
                for (int t = 0; t < len; t++) {
                    for (int s = first; s < first + n; s++) {
                        int v;
                        if (!odd) {
                            v = (b[p] & 0xff) | ((b[p + 1] & 0x0f) << 8);
                        } else {
                            v = (b[p + 2] & 0xff) | ((b[p + 1] & 0xf0) << 4);
                            p += 3;
                        }
                        odd = !odd;
                        dst[s][t] = (v << 20) >> 20;
                    }
                }
            }
            case 16 -> {
                for (int t = 0; t < len; t++) {
                    for (int s = first; s < first + n; s++) {
                        dst[s][t] = (short) ((b[p] & 0xff) | (b[p + 1] << 8));
                        p += 2;
                    }
                }
            }
            case 61 -> {
                for (int t = 0; t < len; t++) {
                    for (int s = first; s < first + n; s++) {
                        dst[s][t] = (short) ((b[p + 1] & 0xff) | (b[p] << 8));
                        p += 2;
                    }
                }
            }
            case 160 -> {
                for (int t = 0; t < len; t++) {
                    for (int s = first; s < first + n; s++) {
                        dst[s][t] = ((b[p] & 0xff) | ((b[p + 1] & 0xff) << 8)) - 32768;
                        p += 2;
                    }
                }
            }
            case 80 -> {
                for (int t = 0; t < len; t++) {
                    for (int s = first; s < first + n; s++) {
                        dst[s][t] = (b[p++] & 0xff) - 128;
                    }
                }
            }
            case 24 -> {
                for (int t = 0; t < len; t++) {
                    for (int s = first; s < first + n; s++) {
                        dst[s][t] = (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | (b[p + 2] << 16);
                        p += 3;
                    }
                }
            }
            case 32 -> {
                for (int t = 0; t < len; t++) {
                    for (int s = first; s < first + n; s++) {
                        dst[s][t] = (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | ((b[p + 2] & 0xff) << 16)
                                | (b[p + 3] << 24);
                        p += 4;
                    }
                }
            }
            default -> throw new IllegalArgumentException("format " + format);
        }
    }

    /** The WFDB checksum: the sum of all samples, truncated to a signed 16-bit value. */
    static int checksum(int[] samples) {
        int sum = 0;
        for (int v : samples) {
            sum += v;
        }
        return (short) sum;
    }

    private static void verifyChecksum(Path file, int signal, WfdbSignalSpec spec, int[] samples)
            throws WfdbFormatException {
        if (!spec.checksumPresent()) {
            return;
        }
        int actual = checksum(samples);
        if (actual != (short) spec.checksum()) {
            throw new WfdbFormatException(file + ": signal " + signal + " (" + spec.description()
                    + ") checksum mismatch: header says " + spec.checksum() + ", samples sum to " + actual);
        }
    }

    public WfdbHeader header() {
        return header;
    }

    /** The record name from the header. */
    public String name() {
        return header.recordName();
    }

    public int signalCount() {
        return samples.length;
    }

    /** Samples per signal. */
    public long length() {
        return samples.length == 0 ? 0 : samples[0].length;
    }

    /** Samples per second per signal, in Hz. */
    public double samplingFrequency() {
        return header.samplingFrequency();
    }

    public WfdbSignalSpec signal(int signal) {
        return header.signal(signal);
    }

    /** Index of the first signal described as {@code description} (e.g. {@code "MLII"}), or -1. */
    public int signalIndex(String description) {
        return header.signalIndex(description);
    }

    /** A copy of all digital (ADC) samples of one signal. */
    public int[] digital(int signal) {
        return samples[signal].clone();
    }

    /** One digital sample. */
    public int digital(int signal, int index) {
        return samples[signal][index];
    }

    /** Copies {@code count} digital samples of one signal starting at {@code from} into {@code dst}; allocates nothing. */
    public void copyDigital(int signal, int from, int[] dst, int dstOffset, int count) {
        System.arraycopy(samples[signal], from, dst, dstOffset, count);
    }

    /** All samples of one signal in physical units ({@link WfdbSignalSpec#units()}, usually mV), newly computed. */
    public double[] physical(int signal) {
        int[] d = samples[signal];
        WfdbSignalSpec spec = header.signal(signal);
        double gain = spec.adcGain();
        int baseline = spec.baseline();
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (d[i] - baseline) / gain;
        }
        return out;
    }

    /** One sample in physical units. */
    public double physical(int signal, int index) {
        return header.signal(signal).toPhysical(samples[signal][index]);
    }

    @Override
    public String toString() {
        return "WfdbRecord[" + name() + ", " + signalCount() + " signals, " + length() + " samples at "
                + samplingFrequency() + " Hz]";
    }
}
