package org.cardiogate.signal.edf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads EDF and EDF+ (continuous or discontinuous) files into an {@link EdfFile}.
 *
 * <p>The header is checked field by field. A "number of data records" of -1 (a writer that never finished) or larger
 * than the file holds is replaced by the number of complete records in the file, and trailing bytes of a partial
 * record are ignored; both are reported in {@link EdfFile#warnings()}. Annotations are decoded from every {@value
 * EdfSignalSpec#ANNOTATIONS_LABEL} signal (UTF-8 TALs).
 *
 * <p>Stateless and thread-safe.
 */
public final class EdfReader {
    private static final Pattern ONSET = Pattern.compile("[+-]\\d+(\\.\\d*)?");
    private static final Pattern DURATION = Pattern.compile("\\d+(\\.\\d*)?");
    private static final Pattern STARTDATE = Pattern.compile("Startdate (\\d{2})-([A-Z]{3})-(\\d{4})(\\s.*)?");
    private static final int RECORDS_PER_READ = 64;
    private static final int MAX_RECORD_BYTES = 16 << 20;

    private EdfReader() {
    }

    /**
     * Reads a whole file.
     *
     * @throws EdfFormatException when a header field is malformed, the file is shorter than its header, or an
     *                            annotation (TAL) is malformed
     */
    public static EdfFile read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 256) {
                throw new EdfFormatException(path + ": file is " + size + " bytes, shorter than the 256-byte EDF"
                        + " header");
            }
            byte[] fixed = readAt(ch, 0, 256);
            Header h = new Header(path, fixed);
            String version = h.text(0, 8);
            if (!version.equals("0")) {
                throw new EdfFormatException(path + ": version field '" + version + "' is not '0'; not an EDF file");
            }
            String patient = h.text(8, 80);
            String recording = h.text(88, 80);
            int headerBytes = h.integer("header size", 184, 8);
            String reserved = h.text(192, 44);
            long declared = h.integer("number of data records", 236, 8);
            double duration = h.decimal("data record duration", 244, 8);
            int ns = h.integer("number of signals", 252, 4);
            if (ns < 1) {
                throw new EdfFormatException(path + ": number of signals is " + ns + ", must be at least 1");
            }
            if (headerBytes != 256 * (ns + 1)) {
                throw new EdfFormatException(path + ": header size field is " + headerBytes + " bytes but " + ns
                        + " signals need " + 256 * (ns + 1));
            }
            if (declared < -1) {
                throw new EdfFormatException(path + ": number of data records is " + declared);
            }
            if (duration < 0) {
                throw new EdfFormatException(path + ": data record duration is negative (" + duration + ")");
            }
            if (size < headerBytes) {
                throw new EdfFormatException(path + ": file is " + size + " bytes, shorter than its " + headerBytes
                        + "-byte header for " + ns + " signals");
            }
            LocalDateTime start = startDateTime(h, recording);
            Header sh = new Header(path, readAt(ch, 256, 256 * ns));
            List<EdfSignalSpec> all = new ArrayList<>(ns);
            for (int i = 0; i < ns; i++) {
                String label = sh.text(16 * i, 16);
                String which = "signal " + i + " ('" + label + "') ";
                int spr = sh.integer(which + "samples per data record", 216 * ns + 8 * i, 8);
                if (spr < 0) {
                    throw new EdfFormatException(path + ": " + which + "samples per data record is " + spr);
                }
                try {
                    all.add(new EdfSignalSpec(label, sh.text(16 * ns + 80 * i, 80), sh.text(96 * ns + 8 * i, 8),
                            sh.decimal(which + "physical minimum", 104 * ns + 8 * i, 8),
                            sh.decimal(which + "physical maximum", 112 * ns + 8 * i, 8),
                            sh.integer(which + "digital minimum", 120 * ns + 8 * i, 8),
                            sh.integer(which + "digital maximum", 128 * ns + 8 * i, 8),
                            sh.text(136 * ns + 80 * i, 80), spr));
                } catch (IllegalArgumentException e) {
                    throw new EdfFormatException(path + ": " + e.getMessage(), e);
                }
            }
            boolean plus = reserved.startsWith("EDF+C") || reserved.startsWith("EDF+D");
            return readRecords(ch, path, size, patient, recording, start, reserved, declared, duration, all, plus);
        }
    }

    private static EdfFile readRecords(FileChannel ch, Path path, long size, String patient, String recording,
                                       LocalDateTime start, String reserved, long declared, double duration,
                                       List<EdfSignalSpec> all, boolean plus) throws IOException {
        int ns = all.size();
        long headerBytes = 256L * (ns + 1);
        int[] offset = new int[ns];
        long size64 = 0;
        for (int i = 0; i < ns; i++) {
            offset[i] = (int) Math.min(size64, Integer.MAX_VALUE);
            size64 += 2L * all.get(i).samplesPerRecord();
        }
        if (size64 > MAX_RECORD_BYTES) {
            throw new EdfFormatException(path + ": data records of " + size64 + " bytes (from the samples per data"
                    + " record) exceed the " + MAX_RECORD_BYTES + " bytes this reader accepts");
        }
        int recordSize = (int) size64;
        if (recordSize == 0) {
            throw new EdfFormatException(path + ": no signal has any samples per data record");
        }
        boolean hasAnnotations = all.stream().anyMatch(EdfSignalSpec::isAnnotations);
        if (plus && !hasAnnotations) {
            throw new EdfFormatException(path + ": EDF+ file (" + reserved + ") without an "
                    + EdfSignalSpec.ANNOTATIONS_LABEL + " signal");
        }
        long dataBytes = size - headerBytes;
        long available = dataBytes / recordSize;
        List<String> warnings = new ArrayList<>();
        long n = declared;
        boolean repaired = false;
        if (declared == -1) {
            n = available;
            repaired = true;
            warnings.add("header says -1 data records; " + available + " complete records found from the file size");
        } else if (declared > available) {
            n = available;
            repaired = true;
            warnings.add("header says " + declared + " data records but the file holds only " + available
                    + " complete records");
        }
        long extra = dataBytes - n * recordSize;
        if (extra > 0) {
            warnings.add(extra + " bytes after data record " + n + " ignored (" + (extra / recordSize)
                    + " complete and " + (extra % recordSize) + " bytes of a partial record)");
        }
        if (n > Integer.MAX_VALUE / 2) {
            throw new EdfFormatException(path + ": " + n + " data records are too many to read into memory");
        }
        int records = (int) n;

        List<EdfSignalSpec> sampled = new ArrayList<>();
        List<Integer> sampledIndex = new ArrayList<>();
        List<Integer> annotationIndex = new ArrayList<>();
        for (int i = 0; i < ns; i++) {
            if (all.get(i).isAnnotations()) {
                annotationIndex.add(i);
            } else {
                sampled.add(all.get(i));
                sampledIndex.add(i);
            }
        }
        short[][] digital = new short[sampled.size()][];
        for (int k = 0; k < sampled.size(); k++) {
            digital[k] = new short[Math.multiplyExact(sampled.get(k).samplesPerRecord(), records)];
        }
        double[] onsets = new double[records];
        List<EdfAnnotation> annotations = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(recordSize * Math.max(1, Math.min(RECORDS_PER_READ, records)))
                .order(ByteOrder.LITTLE_ENDIAN);
        int r = 0;
        while (r < records) {
            int batch = Math.min(RECORDS_PER_READ, records - r);
            buf.clear().limit(batch * recordSize);
            long pos = headerBytes + (long) r * recordSize;
            while (buf.hasRemaining()) {
                int got = ch.read(buf, pos);
                if (got < 0) {
                    throw new EdfFormatException(path + ": file ended inside data record " + r);
                }
                pos += got;
            }
            byte[] b = buf.array();
            for (int j = 0; j < batch; j++, r++) {
                int base = j * recordSize;
                for (int k = 0; k < digital.length; k++) {
                    int spr = sampled.get(k).samplesPerRecord();
                    int p = base + offset[sampledIndex.get(k)];
                    short[] dst = digital[k];
                    int d = r * spr;
                    for (int i = 0; i < spr; i++, p += 2) {
                        dst[d + i] = (short) ((b[p] & 0xff) | (b[p + 1] << 8));
                    }
                }
                onsets[r] = r * duration;
                for (int a = 0; a < annotationIndex.size(); a++) {
                    int sig = annotationIndex.get(a);
                    int from = base + offset[sig];
                    int to = from + 2 * all.get(sig).samplesPerRecord();
                    double tk = parseTals(path, r, b, from, to, a == 0 && plus, annotations);
                    if (a == 0 && plus) {
                        onsets[r] = tk;
                    }
                }
            }
        }
        return new EdfFile(path, patient, recording, start, reserved, declared, records, duration, sampled, digital,
                onsets, annotations, warnings, repaired);
    }

    /**
     * Parses the TALs of one annotations signal in one data record, adding its annotations. Returns the onset of the
     * time-keeping TAL when {@code timekeeping} is set (it must be the first TAL), NaN otherwise.
     */
    private static double parseTals(Path path, int record, byte[] b, int from, int to, boolean timekeeping,
                                    List<EdfAnnotation> out) throws EdfFormatException {
        double recordOnset = Double.NaN;
        boolean first = true;
        int p = from;
        while (p < to) {
            if (b[p] == 0) {
                p++;
                continue;
            }
            int talStart = p;
            String where = path + ": data record " + record + ", annotation byte " + (talStart - from) + ": ";
            while (p < to && b[p] != 0x14 && b[p] != 0x15 && b[p] != 0) {
                p++;
            }
            String onsetText = new String(b, talStart, p - talStart, StandardCharsets.US_ASCII);
            if (!ONSET.matcher(onsetText).matches()) {
                throw new EdfFormatException(where + "TAL onset '" + printable(onsetText)
                        + "' is not a signed decimal number");
            }
            double onset = Double.parseDouble(onsetText);
            double dur = Double.NaN;
            if (p < to && b[p] == 0x15) {
                int ds = ++p;
                while (p < to && b[p] != 0x14 && b[p] != 0x15 && b[p] != 0) {
                    p++;
                }
                String durText = new String(b, ds, p - ds, StandardCharsets.US_ASCII);
                if (!DURATION.matcher(durText).matches()) {
                    throw new EdfFormatException(where + "TAL duration '" + printable(durText)
                            + "' is not an unsigned decimal number");
                }
                dur = Double.parseDouble(durText);
            }
            if (p >= to || b[p] != 0x14) {
                throw new EdfFormatException(where + "TAL onset" + (Double.isNaN(dur) ? "" : " and duration")
                        + " not followed by 0x14");
            }
            p++;
            boolean firstText = true;
            while (true) {
                if (p >= to) {
                    throw new EdfFormatException(where + "TAL not terminated by a 0 byte before the end of the"
                            + " annotations signal");
                }
                if (b[p] == 0) {
                    p++;
                    break;
                }
                int ts = p;
                while (p < to && b[p] != 0x14 && b[p] != 0) {
                    p++;
                }
                if (p >= to || b[p] != 0x14) {
                    throw new EdfFormatException(where + "annotation text not terminated by 0x14");
                }
                String text = new String(b, ts, p - ts, StandardCharsets.UTF_8);
                p++;
                if (first && firstText && timekeeping && text.isEmpty()) {
                    recordOnset = onset;
                } else if (!text.isEmpty()) {
                    out.add(new EdfAnnotation(onset, dur, text));
                }
                firstText = false;
            }
            if (first && timekeeping && Double.isNaN(recordOnset)) {
                throw new EdfFormatException(path + ": data record " + record + " does not start with a time-keeping"
                        + " TAL (onset followed by an empty annotation)");
            }
            first = false;
        }
        if (timekeeping && first) {
            throw new EdfFormatException(path + ": data record " + record + " has no time-keeping TAL");
        }
        return recordOnset;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 32 || c > 126) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static LocalDateTime startDateTime(Header h, String recording) throws EdfFormatException {
        String date = h.text(168, 8);
        String time = h.text(176, 8);
        Path path = h.path;
        if (date.length() != 8 || !Character.isDigit(date.charAt(0)) || !Character.isDigit(date.charAt(1))
                || !Character.isDigit(date.charAt(3)) || !Character.isDigit(date.charAt(4))) {
            throw new EdfFormatException(path + ": start date '" + date + "' is not dd.mm.yy");
        }
        if (time.length() != 8 || !time.matches("\\d\\d.\\d\\d.\\d\\d")) {
            throw new EdfFormatException(path + ": start time '" + time + "' is not hh.mm.ss");
        }
        int day = Integer.parseInt(date.substring(0, 2));
        int month = Integer.parseInt(date.substring(3, 5));
        String yy = date.substring(6, 8);
        int year;
        Matcher m = STARTDATE.matcher(recording);
        if (yy.equals("yy")) {
            if (!m.matches()) {
                throw new EdfFormatException(path + ": start date '" + date + "' has year 'yy' but the recording field"
                        + " has no 'Startdate dd-MMM-yyyy'");
            }
            year = Integer.parseInt(m.group(3));
        } else if (yy.chars().allMatch(Character::isDigit)) {
            int y = Integer.parseInt(yy);
            year = y >= 85 ? 1900 + y : 2000 + y;
        } else {
            throw new EdfFormatException(path + ": start date '" + date + "' has year '" + yy + "'");
        }
        try {
            return LocalDateTime.of(year, month, day, Integer.parseInt(time.substring(0, 2)),
                    Integer.parseInt(time.substring(3, 5)), Integer.parseInt(time.substring(6, 8)));
        } catch (DateTimeException e) {
            throw new EdfFormatException(path + ": start date '" + date + "' time '" + time + "': " + e.getMessage(),
                    e);
        }
    }

    private static byte[] readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Fixed-width ASCII fields of a header block, with errors naming the file and field. */
    private static final class Header {
        final Path path;
        final byte[] bytes;

        Header(Path path, byte[] bytes) {
            this.path = path;
            this.bytes = bytes;
        }

        String text(int pos, int width) {
            return new String(bytes, pos, width, StandardCharsets.ISO_8859_1).strip();
        }

        int integer(String field, int pos, int width) throws EdfFormatException {
            String t = text(pos, width);
            try {
                return Integer.parseInt(t.startsWith("+") ? t.substring(1) : t);
            } catch (NumberFormatException e) {
                throw new EdfFormatException(path + ": " + field + " '" + t + "' is not an integer", e);
            }
        }

        double decimal(String field, int pos, int width) throws EdfFormatException {
            String t = text(pos, width);
            if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                throw new EdfFormatException(path + ": " + field + " '" + t + "' is not a number");
            }
            return Double.parseDouble(t);
        }
    }
}
