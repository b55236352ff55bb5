package org.cardiogate.gateway.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.edf.EdfRecordingSpec;
import org.cardiogate.signal.edf.EdfSignalSpec;
import org.cardiogate.signal.edf.EdfWriter;

/**
 * One EDF+C file of a recording: a continuous stretch of some of the service's streams, all starting at the same
 * instant. Samples are buffered here per stream and handed to the {@link EdfWriter} one whole data record at a time,
 * so the file only ever grows by complete records and this class decides where a file ends.
 *
 * <p>Writer thread only.
 */
final class EdfSegment {
    final String id;
    final Path file;
    final Instant start;
    /** Monotonic time of the first sample of every stream in the file. */
    final long t0Nanos;
    final int recordSeconds;
    final long recordLimit;
    /** Global stream index to local index, or -1 when the stream is not in this file. */
    final int[] local;
    final StreamDescriptor[] streams;
    final long[] startSeq;
    private final int[] sigBase;
    private final int[] spr;
    private final double[][][] buf;
    private final int[] count;
    private final long[] clipped;
    private final double[][] lo;
    private final double[][] hi;
    private final EdfWriter writer;
    private long records;
    private boolean finished;
    /** Retired segments: monotonic time after which they are finished; new annotations may still arrive until then. */
    long retireDeadlineNanos = Long.MAX_VALUE;
    /** The first file of a recording: annotations before its start precede the recording and are left out. */
    boolean firstOfSession;

    /**
     * @param streamsInFile global indices of the streams in this file, ascending
     * @param startSeq      per global index, the sequence number of each stream's first sample in the file
     */
    EdfSegment(String id, Path file, Instant start, long t0Nanos, List<StreamDescriptor> all, int[] streamsInFile,
               long[] startSeq, long recordLimitSeconds, long maxBytes, String label, String user, String equipment,
               int forceEveryRecords) throws IOException {
        this.id = id;
        this.file = file;
        this.start = start;
        this.t0Nanos = t0Nanos;
        this.local = new int[all.size()];
        Arrays.fill(local, -1);
        this.streams = new StreamDescriptor[streamsInFile.length];
        this.startSeq = new long[streamsInFile.length];
        for (int l = 0; l < streamsInFile.length; l++) {
            local[streamsInFile[l]] = l;
            streams[l] = all.get(streamsInFile[l]);
            this.startSeq[l] = startSeq[streamsInFile[l]];
        }
        List<StreamDescriptor> in = Arrays.asList(streams);
        this.recordSeconds = RecordingLayout.recordSeconds(in);
        List<EdfSignalSpec> signals = RecordingLayout.signals(in, recordSeconds);
        int n = streams.length;
        sigBase = new int[n];
        spr = new int[n];
        buf = new double[n][][];
        count = new int[n];
        clipped = new long[n];
        lo = new double[n][];
        hi = new double[n][];
        int sig = 0;
        for (int l = 0; l < n; l++) {
            sigBase[l] = sig;
            spr[l] = RecordingLayout.samplesPerRecord(streams[l], recordSeconds);
            int ch = streams[l].channelCount();
            buf[l] = new double[ch][4 * spr[l]];
            lo[l] = new double[ch];
            hi[l] = new double[ch];
            for (int c = 0; c < ch; c++) {
                EdfSignalSpec s = signals.get(sig + c);
                lo[l][c] = Math.min(s.physicalMin(), s.physicalMax());
                hi[l][c] = Math.max(s.physicalMin(), s.physicalMax());
            }
            sig += ch;
        }
        int annotationBytes = Math.min(32766, 512 * recordSeconds);
        EdfRecordingSpec spec = new EdfRecordingSpec("X X X X", RecordingLayout.ascii(label, 24),
                RecordingLayout.ascii(user, 16), RecordingLayout.ascii(equipment, 24),
                java.time.LocalDateTime.ofInstant(start, java.time.ZoneOffset.UTC), recordSeconds, signals,
                annotationBytes);
        long recordBytes = annotationBytes;
        for (EdfSignalSpec s : signals) {
            recordBytes += 2L * s.samplesPerRecord();
        }
        long header = 256L * (signals.size() + 2);
        long bySize = Math.max(1, (maxBytes - header) / recordBytes);
        long byTime = Math.max(1, (recordLimitSeconds + recordSeconds - 1) / recordSeconds);
        this.recordLimit = Math.min(bySize, byTime);
        this.writer = EdfWriter.create(file, spec, forceEveryRecords);
    }

    boolean contains(int global) {
        return local[global] >= 0;
    }

    double rate(int l) {
        return streams[l].nominalRateHz();
    }

    /** Seconds from the file start of a sample of a stream in this file. */
    double onsetOf(int global, long sample) {
        int l = local[global];
        return (sample - startSeq[l]) / rate(l);
    }

    /** Seconds from the file start of a monotonic time. */
    double onsetOfNanos(long nanos) {
        return (nanos - t0Nanos) / 1e9;
    }

    /** Seconds of a stream held here (written and buffered). */
    double endSeconds(int l) {
        return (records * spr[l] + count[l]) / rate(l);
    }

    /** The least {@link #endSeconds(int)} over the streams. */
    double minEndSeconds() {
        double m = Double.POSITIVE_INFINITY;
        for (int l = 0; l < streams.length; l++) {
            m = Math.min(m, endSeconds(l));
        }
        return m;
    }

    double maxEndSeconds() {
        double m = 0;
        for (int l = 0; l < streams.length; l++) {
            m = Math.max(m, endSeconds(l));
        }
        return m;
    }

    /** Index of the stream that is furthest behind. */
    int laggingStream() {
        int best = 0;
        for (int l = 1; l < streams.length; l++) {
            if (endSeconds(l) < endSeconds(best)) {
                best = l;
            }
        }
        return best;
    }

    /** Appends the block's samples from the file's first sample of that stream on. */
    void append(int global, SampleBlock b) {
        int l = local[global];
        long from = Math.max(0, startSeq[l] + records * (long) spr[l] + count[l] - b.firstSequence());
        if (from >= b.length()) {
            return;
        }
        int len = b.length() - (int) from;
        append(l, b, (int) from, len);
    }

    private void append(int l, SampleBlock b, int from, int len) {
        ensure(l, count[l] + len);
        double[][] dst = buf[l];
        double[] lol = lo[l];
        double[] hil = hi[l];
        int at = count[l];
        long clip = 0;
        for (int c = 0; c < dst.length; c++) {
            double[] src = b.channel(c);
            double[] d = dst[c];
            double lc = lol[c];
            double hc = hil[c];
            for (int i = 0; i < len; i++) {
                double v = src[from + i];
                if (v < lc || v > hc) {
                    clip++;
                }
                d[at + i] = v;
            }
        }
        clipped[l] += clip;
        count[l] = at + len;
    }

    private void ensure(int l, int capacity) {
        if (buf[l][0].length < capacity) {
            for (int c = 0; c < buf[l].length; c++) {
                buf[l][c] = Arrays.copyOf(buf[l][c], Math.max(capacity, 2 * buf[l][c].length));
            }
        }
    }

    /** Whether every stream has samples through the end of record {@code n - 1}. */
    boolean holds(long n) {
        for (int l = 0; l < streams.length; l++) {
            if (records * spr[l] + count[l] < n * spr[l]) {
                return false;
            }
        }
        return true;
    }

    /** Writes complete records while there are any, up to {@code maxRecords} in the file. */
    void writeReady(long maxRecords) throws IOException {
        while (records < maxRecords && holds(records + 1)) {
            writeRecord();
        }
    }

    private void writeRecord() throws IOException {
        for (int l = 0; l < streams.length; l++) {
            if (clipped[l] > 0) {
                // counted per stream while appending; reported on the record they were written in (approximately)
                writer.annotate(records * recordSeconds, recordSeconds, "CLIPPED " + streams[l].streamId() + " "
                        + clipped[l] + " samples outside the physical range");
                clipped[l] = 0;
            }
            int n = spr[l];
            double[][] b = buf[l];
            for (int c = 0; c < b.length; c++) {
                writer.writeSamples(sigBase[l] + c, b[c], 0, n);
                System.arraycopy(b[c], n, b[c], 0, count[l] - n);
            }
            count[l] -= n;
        }
        records++;
    }

    long records() {
        return records;
    }

    boolean atLimit() {
        return holds(recordLimit);
    }

    /**
     * Moves every sample after the file's last record ({@link #recordLimit}) into {@code next}, whose streams start
     * where this file ends.
     */
    void handOverTail(EdfSegment next) {
        for (int l = 0; l < streams.length; l++) {
            int keep = (int) (recordLimit * spr[l] - records * spr[l]);
            int extra = count[l] - keep;
            if (extra > 0) {
                int nl = next.local[indexOf(next, streams[l])];
                next.ensure(nl, next.count[nl] + extra);
                for (int c = 0; c < buf[l].length; c++) {
                    System.arraycopy(buf[l][c], keep, next.buf[nl][c], next.count[nl], extra);
                }
                next.count[nl] += extra;
                count[l] = keep;
            }
        }
    }

    private static int indexOf(EdfSegment seg, StreamDescriptor s) {
        for (int g = 0; g < seg.local.length; g++) {
            int l = seg.local[g];
            if (l >= 0 && seg.streams[l] == s) {
                return g;
            }
        }
        throw new IllegalStateException("stream " + s.streamId() + " is not in " + seg.id);
    }

    /** Monotonic time of the file's end if all its records were written ({@link #recordLimit}). */
    long limitNanos() {
        return t0Nanos + recordLimit * recordSeconds * 1_000_000_000L;
    }

    void annotate(double onsetSeconds, double durationSeconds, String text) {
        if (!finished) {
            writer.annotate(onsetSeconds, durationSeconds, text);
        }
    }

    /**
     * Ends the file where the stream that ends first ends, rounded up to a whole data record. Samples of other
     * streams beyond that record are not written; a stream that ends inside the last record is padded there by
     * repeating its last sample, and each such padding is annotated {@code PADDING <stream>} with its span.
     */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        try {
            double end = minEndSeconds();
            long lastRecords = Math.max(records, (long) Math.ceil(end / recordSeconds - 1e-9));
            double fileEnd = lastRecords * recordSeconds;
            for (int l = 0; l < streams.length; l++) {
                int keep = (int) Math.min(count[l], lastRecords * spr[l] - records * spr[l]);
                count[l] = keep;
                double e = endSeconds(l);
                if (e < fileEnd - 1e-9) {
                    writer.annotate(e, fileEnd - e, "PADDING " + streams[l].streamId() + " (last sample repeated)");
                }
            }
            for (int l = 0; l < streams.length; l++) {
                for (int c = 0; c < buf[l].length; c++) {
                    writer.writeSamples(sigBase[l] + c, buf[l][c], 0, count[l]);
                }
                count[l] = 0;
            }
        } finally {
            finished = true;
            writer.close();
        }
    }

    boolean finished() {
        return finished;
    }
}
