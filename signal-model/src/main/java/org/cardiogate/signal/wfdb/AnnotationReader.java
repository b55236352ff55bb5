package org.cardiogate.signal.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads MIT-format WFDB annotation files ({@code .atr}, {@code .q1c}, {@code .pu0}, ...).
 *
 * <p>The file is a sequence of 16-bit little-endian words: 6 bits of type code and 10 bits of interval from the
 * previous annotation. Pseudo-codes follow the annotation they modify: {@code SKIP} (59) adds the 32-bit interval in
 * the next four bytes (high word first) to the time of the next annotation; {@code NUM} (60) and {@code CHN} (62) set
 * {@code num} and {@code chan} of this and all later annotations until changed; {@code SUB} (61) sets this annotation's
 * subtype; {@code AUX} (63) is followed by that many bytes of text, padded to an even count. A zero word ends the file.
 * Signed fields (num, subtype) are read as 10-bit two's complement, which agrees with the WFDB library for every value
 * it can write.
 *
 * <p>Stateless and thread-safe.
 */
public final class AnnotationReader {
    static final int SKIP = 59;
    static final int NUM = 60;
    static final int SUB = 61;
    static final int CHN = 62;
    static final int AUX = 63;

    private AnnotationReader() {
    }

    /** Reads the annotator {@code annotator} (e.g. {@code "atr"}) of the record at {@code record} (path without extension). */
    public static List<Annotation> read(Path record, String annotator) throws IOException {
        Objects.requireNonNull(annotator, "annotator");
        return read(record.resolveSibling(record.getFileName() + "." + annotator));
    }

    /**
     * Reads a whole annotation file.
     *
     * @param file the annotation file itself, e.g. {@code /data/mitdb/100.atr}
     * @throws WfdbFormatException when the file is truncated or malformed; the message names the file and byte offset
     */
    public static List<Annotation> read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses the bytes of an annotation file; {@code sourceName} names it in error messages. */
    public static List<Annotation> parse(byte[] b, String sourceName) throws WfdbFormatException {
        List<Annotation> out = new ArrayList<>(b.length / 2);
        long time = 0;
        int num = 0;
        int chan = 0;
        boolean pending = false;
        long pTime = 0;
        int pCode = 0;
        int pSub = 0;
        int pNum = 0;
        int pChan = 0;
        String pAux = null;
        int pos = 0;
        while (true) {
            if (pos + 2 > b.length) {
                throw new WfdbFormatException(sourceName + ": truncated at byte offset " + pos
                        + ", the file ends without the zero word that marks its end");
            }
            int wordOffset = pos;
            int w = (b[pos] & 0xff) | ((b[pos + 1] & 0xff) << 8);
            pos += 2;
            if (w == 0) {
                break;
            }
            int a = w >>> 10;
            int data = w & 0x3ff;
            switch (a) {
                case SKIP -> {
                    if (pos + 4 > b.length) {
                        throw new WfdbFormatException(sourceName + ": truncated at byte offset " + pos
                                + ", SKIP at byte offset " + wordOffset + " needs 4 more bytes, found " + (b.length - pos));
                    }
                    int hi = (b[pos] & 0xff) | ((b[pos + 1] & 0xff) << 8);
                    int lo = (b[pos + 2] & 0xff) | ((b[pos + 3] & 0xff) << 8);
                    pos += 4;
                    time += (hi << 16) | lo;
                }
                case NUM -> {
                    num = signed10(data);
                    pNum = num;
                }
                case CHN -> {
                    chan = data;
                    pChan = chan;
                }
                case SUB -> {
                    requirePending(pending, "SUB", wordOffset, sourceName);
                    pSub = signed10(data);
                }
                case AUX -> {
                    requirePending(pending, "AUX", wordOffset, sourceName);
                    int padded = (data + 1) & ~1;
                    if (pos + padded > b.length) {
                        throw new WfdbFormatException(sourceName + ": truncated at byte offset " + b.length
                                + ", AUX at byte offset " + wordOffset + " announces " + data + " bytes of text but only "
                                + (b.length - pos) + " remain");
                    }
                    int end = pos;
                    while (end < pos + data && b[end] != 0) {
                        end++;
                    }
                    pAux = new String(b, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos += padded;
                }
                default -> {
                    if (pending) {
                        out.add(Annotation.of(pTime, pCode, pSub, pChan, pNum, pAux));
                    }
                    time += data;
                    if (time < 0) {
                        throw new WfdbFormatException(sourceName + ": annotation at byte offset " + wordOffset
                                + " has negative time " + time + " (corrupt SKIP interval?)");
                    }
                    pending = true;
                    pTime = time;
                    pCode = a;
                    pSub = 0;
                    pNum = num;
                    pChan = chan;
                    pAux = null;
                }
            }
        }
        if (pending) {
            out.add(Annotation.of(pTime, pCode, pSub, pChan, pNum, pAux));
        }
        return out;
    }

    private static void requirePending(boolean pending, String what, int offset, String sourceName)
            throws WfdbFormatException {
        if (!pending) {
            throw new WfdbFormatException(sourceName + ": " + what + " at byte offset " + offset
                    + " comes before the first annotation it could belong to");
        }
    }

    private static int signed10(int v) {
        return v > 511 ? v - 1024 : v;
    }
}
