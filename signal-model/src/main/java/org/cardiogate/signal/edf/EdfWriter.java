package org.cardiogate.signal.edf;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Streams an EDF+C recording to a new file, appending one data record at a time.
 *
 * <p>Samples of each signal are buffered until every signal has a full data record, which is then appended with one
 * write. Signals may have different sampling rates and may arrive in blocks of any size and in any interleaving; a
 * signal that runs ahead of the others is buffered (the buffer grows as needed and is reused, so steady-state writing
 * allocates nothing per sample).
 *
 * <p>Crash safety: the header is written first with 0 data records. After each data record is appended, the header's
 * "number of data records" field is rewritten in place, so the header never claims a record that is not completely in
 * the file. A process killed at any point (SIGKILL) leaves a file that standard readers open, with the header counting
 * every complete record except possibly the very last one written; buffered samples not yet forming a complete record
 * are lost. Against power loss the channel is forced to the storage device every {@code forceEveryRecords} data
 * records (and on close); records after the last force may be lost, and {@link EdfReader} repairs a header count that
 * reached the disk before its data.
 *
 * <p>Not thread-safe: one thread writes samples, annotates and closes.
 */
public final class EdfWriter implements AutoCloseable {
    private static final int COUNT_FIELD_OFFSET = 236;
    private static final int MAX_TIMEKEEPING_TAL = 24;
    private static final long MAX_RECORDS = 99_999_999;

    private final Path file;
    private final EdfRecordingSpec spec;
    private final FileChannel channel;
    private final int forceEveryRecords;
    private final int nsig;
    private final int[] samplesPerRecord;
    private final int[] signalByteOffset;
    private final double[] clipLo;
    private final double[] clipHi;
    private final double[] physicalMin;
    private final double[] stepsPerUnit;
    private final int[] digitalMin;
    private final int[] digitalMax;
    private final short[][] pending;
    private final int[] pendingCount;
    private final short[] lastDigital;
    private final byte[] record;
    private final ByteBuffer recordBuffer;
    private final int annotationOffset;
    private final int annotationBytes;
    private final long durationUnscaled;
    private final int durationScale;
    private final List<PendingTal> tals = new ArrayList<>();
    private final byte[] countField = new byte[8];
    private final ByteBuffer countBuffer = ByteBuffer.wrap(countField);
    private long recordsWritten;
    private int recordsSinceForce;
    private boolean closed;

    private record PendingTal(long targetRecord, byte[] bytes) {
    }

    private EdfWriter(Path file, EdfRecordingSpec spec, FileChannel channel, int forceEveryRecords) {
        this.file = file;
        this.spec = spec;
        this.channel = channel;
        this.forceEveryRecords = forceEveryRecords;
        List<EdfSignalSpec> signals = spec.signals();
        nsig = signals.size();
        samplesPerRecord = new int[nsig];
        signalByteOffset = new int[nsig];
        clipLo = new double[nsig];
        clipHi = new double[nsig];
        physicalMin = new double[nsig];
        stepsPerUnit = new double[nsig];
        digitalMin = new int[nsig];
        digitalMax = new int[nsig];
        pending = new short[nsig][];
        pendingCount = new int[nsig];
        lastDigital = new short[nsig];
        int offset = 0;
        for (int s = 0; s < nsig; s++) {
            EdfSignalSpec sig = signals.get(s);
            samplesPerRecord[s] = sig.samplesPerRecord();
            signalByteOffset[s] = offset;
            offset += 2 * sig.samplesPerRecord();
            clipLo[s] = Math.min(sig.physicalMin(), sig.physicalMax());
            clipHi[s] = Math.max(sig.physicalMin(), sig.physicalMax());
            physicalMin[s] = sig.physicalMin();
            stepsPerUnit[s] = 1.0 / sig.resolution();
            digitalMin[s] = sig.digitalMin();
            digitalMax[s] = sig.digitalMax();
            pending[s] = new short[2 * sig.samplesPerRecord()];
            lastDigital[s] = (short) sig.toDigital(Math.max(clipLo[s], Math.min(clipHi[s], 0.0)));
        }
        annotationOffset = offset;
        annotationBytes = spec.annotationBytesPerRecord();
        record = new byte[offset + annotationBytes];
        recordBuffer = ByteBuffer.wrap(record);
        BigDecimal duration = new BigDecimal(EdfFields.plain(spec.recordDurationSeconds()));
        durationUnscaled = duration.unscaledValue().longValueExact();
        durationScale = duration.scale();
    }

    /**
     * Creates the file and writes its header (with 0 data records).
     *
     * @param file              the new file; an existing file is never overwritten
     * @param spec              identification, start, record duration and signals
     * @param forceEveryRecords force the file to the storage device after this many data records; 0 forces only on
     *                          close
     * @throws java.nio.file.FileAlreadyExistsException when the file exists
     */
    public static EdfWriter create(Path file, EdfRecordingSpec spec, int forceEveryRecords) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(spec, "spec");
        if (forceEveryRecords < 0) {
            throw new IllegalArgumentException("forceEveryRecords must not be negative, got " + forceEveryRecords);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            EdfWriter w = new EdfWriter(file, spec, ch, forceEveryRecords);
            w.writeFully(ByteBuffer.wrap(header(spec)), 0);
            if (forceEveryRecords > 0) {
                ch.force(true);
            }
            return w;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static byte[] header(EdfRecordingSpec spec) {
        List<EdfSignalSpec> signals = new ArrayList<>(spec.signals());
        signals.add(new EdfSignalSpec(EdfSignalSpec.ANNOTATIONS_LABEL, "", "", -1, 1, -32768, 32767, "",
                spec.annotationBytesPerRecord() / 2));
        int ns = signals.size();
        byte[] h = new byte[256 * (ns + 1)];
        LocalDateTime t = spec.start();
        int year = t.getYear();
        String yy = year >= 2085 ? "yy" : String.format("%02d", year % 100);
        EdfFields.put(h, 0, 8, "0");
        EdfFields.put(h, 8, 80, spec.patientIdentification());
        EdfFields.put(h, 88, 80, spec.recordingIdentification());
        EdfFields.put(h, 168, 8, String.format("%02d.%02d.%s", t.getDayOfMonth(), t.getMonthValue(), yy));
        EdfFields.put(h, 176, 8, String.format("%02d.%02d.%02d", t.getHour(), t.getMinute(), t.getSecond()));
        EdfFields.put(h, 184, 8, Integer.toString(h.length));
        EdfFields.put(h, 192, 44, "EDF+C");
        EdfFields.put(h, 236, 8, "0");
        EdfFields.put(h, 244, 8, EdfFields.plain(spec.recordDurationSeconds()));
        EdfFields.put(h, 252, 4, Integer.toString(ns));
        int base = 256;
        for (int i = 0; i < ns; i++) {
            EdfSignalSpec s = signals.get(i);
            EdfFields.put(h, base + 16 * i, 16, s.label());
            EdfFields.put(h, base + 16 * ns + 80 * i, 80, s.transducer());
            EdfFields.put(h, base + 96 * ns + 8 * i, 8, s.physicalDimension());
            EdfFields.put(h, base + 104 * ns + 8 * i, 8, EdfFields.plain(s.physicalMin()));
            EdfFields.put(h, base + 112 * ns + 8 * i, 8, EdfFields.plain(s.physicalMax()));
            EdfFields.put(h, base + 120 * ns + 8 * i, 8, Integer.toString(s.digitalMin()));
            EdfFields.put(h, base + 128 * ns + 8 * i, 8, Integer.toString(s.digitalMax()));
            EdfFields.put(h, base + 136 * ns + 80 * i, 80, s.prefilter());
            EdfFields.put(h, base + 216 * ns + 8 * i, 8, Integer.toString(s.samplesPerRecord()));
            EdfFields.put(h, base + 224 * ns + 32 * i, 32, "");
        }
        return h;
    }

    /**
     * Appends samples of one signal, converting physical values to digital ones (clipped to the physical range,
     * rounded to the nearest digital value). Every data record completed by these samples is written before this
     * returns.
     *
     * @param signal   index into {@link EdfRecordingSpec#signals()}
     * @param physical values in the signal's physical dimension, at its sampling rate
     * @throws IllegalArgumentException when a value is NaN (samples before it are kept)
     */
    public void writeSamples(int signal, double[] physical, int off, int len) throws IOException {
        ensureOpen();
        Objects.checkIndex(signal, nsig);
        Objects.checkFromIndexSize(off, len, physical.length);
        int count = pendingCount[signal];
        if (count + len > pending[signal].length) {
            pending[signal] = Arrays.copyOf(pending[signal], Math.max(count + len, 2 * pending[signal].length));
        }
        short[] buf = pending[signal];
        double lo = clipLo[signal];
        double hi = clipHi[signal];
        double pmin = physicalMin[signal];
        double scale = stepsPerUnit[signal];
        int dmin = digitalMin[signal];
        int dmax = digitalMax[signal];
        for (int i = 0; i < len; i++) {
            double p = physical[off + i];
            if (Double.isNaN(p)) {
                pendingCount[signal] = count;
                throw new IllegalArgumentException(file + ": signal " + signal + " ('"
                        + spec.signals().get(signal).label() + "') sample " + (off + i) + " is NaN");
            }
            p = p < lo ? lo : Math.min(p, hi);
            long d = Math.round((p - pmin) * scale + dmin);
            buf[count++] = (short) (d < dmin ? dmin : Math.min(d, dmax));
        }
        pendingCount[signal] = count;
        while (recordComplete()) {
            writeRecord(false);
        }
    }

    /**
     * Queues an annotation. It is written into the data record whose time span covers {@code onsetSeconds}, or into
     * the next record to be written when that one is already in the file (or full of annotations).
     *
     * @param onsetSeconds    seconds from the first sample (the header's start time)
     * @param durationSeconds duration in seconds, or {@code NaN} for none
     * @param text            UTF-8 text without NUL, 0x14 or 0x15 characters
     * @throws IllegalArgumentException when the text is too long for one data record's annotation space
     */
    public void annotate(double onsetSeconds, double durationSeconds, String text) {
        ensureOpen();
        new EdfAnnotation(onsetSeconds, durationSeconds, text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || c == 0x14 || c == 0x15) {
                throw new IllegalArgumentException(file + ": annotation text '" + text + "' contains the reserved"
                        + " character 0x" + Integer.toHexString(c));
            }
        }
        StringBuilder sb = new StringBuilder(text.length() + 24);
        sb.append(onsetSeconds < 0 ? '-' : '+').append(EdfFields.plain(Math.abs(onsetSeconds)));
        if (!Double.isNaN(durationSeconds)) {
            sb.append('\u0015').append(EdfFields.plain(durationSeconds));
        }
        sb.append('\u0014').append(text).append('\u0014').append('\0');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length + MAX_TIMEKEEPING_TAL > annotationBytes) {
            throw new IllegalArgumentException(file + ": annotation '" + text + "' needs " + bytes.length
                    + " bytes; the data record's annotation space of " + annotationBytes + " bytes holds at most "
                    + (annotationBytes - MAX_TIMEKEEPING_TAL));
        }
        long target = onsetSeconds <= 0 ? 0 : (long) Math.floor(onsetSeconds / spec.recordDurationSeconds());
        tals.add(new PendingTal(target, bytes));
    }

    /** Complete data records in the file and counted in its header. */
    public long dataRecordsWritten() {
        return recordsWritten;
    }

    public Path file() {
        return file;
    }

    public EdfRecordingSpec spec() {
        return spec;
    }

    /**
     * Writes any buffered samples and annotations, forces the file to the device and closes it. A final incomplete
     * data record is completed by repeating each signal's last sample (a signal with no sample yet gets the digital
     * value nearest 0 physical units), so at most one data record at the end contains padding; annotations still
     * queued go into the last records whatever their onset.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            while (anyPending() || !tals.isEmpty()) {
                for (int s = 0; s < nsig; s++) {
                    int c = pendingCount[s];
                    short fill = c > 0 ? pending[s][c - 1] : lastDigital[s];
                    if (c < samplesPerRecord[s]) {
                        Arrays.fill(pending[s], c, samplesPerRecord[s], fill);
                        pendingCount[s] = samplesPerRecord[s];
                    }
                }
                writeRecord(true);
            }
            channel.force(true);
        } finally {
            closed = true;
            channel.close();
        }
    }

    private boolean anyPending() {
        for (int s = 0; s < nsig; s++) {
            if (pendingCount[s] > 0) {
                return true;
            }
        }
        return false;
    }

    private boolean recordComplete() {
        for (int s = 0; s < nsig; s++) {
            if (pendingCount[s] < samplesPerRecord[s]) {
                return false;
            }
        }
        return true;
    }

    private void writeRecord(boolean closing) throws IOException {
        if (recordsWritten >= MAX_RECORDS) {
            throw new IllegalStateException(file + ": " + MAX_RECORDS + " data records is the most an EDF header can"
                    + " count; start a new file");
        }
        for (int s = 0; s < nsig; s++) {
            short[] buf = pending[s];
            int n = samplesPerRecord[s];
            int p = signalByteOffset[s];
            for (int i = 0; i < n; i++) {
                short v = buf[i];
                record[p++] = (byte) v;
                record[p++] = (byte) (v >> 8);
            }
            lastDigital[s] = buf[n - 1];
            int rest = pendingCount[s] - n;
            System.arraycopy(buf, n, buf, 0, rest);
            pendingCount[s] = rest;
        }
        Arrays.fill(record, annotationOffset, record.length, (byte) 0);
        int p = annotationOffset;
        record[p++] = '+';
        p = putDecimal(record, p, Math.multiplyExact(recordsWritten, durationUnscaled), durationScale);
        record[p++] = 0x14;
        record[p++] = 0x14;
        record[p++] = 0;
        int end = record.length;
        int i = 0;
        while (i < tals.size()) {
            PendingTal tal = tals.get(i);
            if (tal.targetRecord() <= recordsWritten || closing) {
                if (p + tal.bytes().length > end) {
                    break;
                }
                System.arraycopy(tal.bytes(), 0, record, p, tal.bytes().length);
                p += tal.bytes().length;
                tals.remove(i);
            } else {
                i++;
            }
        }
        recordBuffer.clear();
        writeFully(recordBuffer, 256L * (nsig + 2) + recordsWritten * record.length);
        recordsWritten++;
        Arrays.fill(countField, (byte) ' ');
        putDecimal(countField, 0, recordsWritten, 0);
        countBuffer.clear();
        writeFully(countBuffer, COUNT_FIELD_OFFSET);
        if (forceEveryRecords > 0 && ++recordsSinceForce >= forceEveryRecords) {
            channel.force(true);
            recordsSinceForce = 0;
        }
    }

    /**
     * Writes {@code unscaled * 10^-scale} (not negative) as plain decimal ASCII without trailing fractional zeros;
     * returns the position after it. Allocation-free, for the per-record path.
     */
    static int putDecimal(byte[] b, int pos, long unscaled, int scale) {
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        int digits = 1;
        for (long v = unscaled / 10; v > 0; v /= 10) {
            digits++;
        }
        int intDigits = Math.max(1, digits - scale);
        int len = scale > 0 ? intDigits + 1 + scale : digits;
        int p = pos + len;
        long v = unscaled;
        for (int k = 0; k < scale; k++) {
            b[--p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        if (scale > 0) {
            b[--p] = '.';
        }
        for (int k = 0; k < intDigits; k++) {
            b[--p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return pos + len;
    }

    private void writeFully(ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": the EDF writer is closed");
        }
    }
}
