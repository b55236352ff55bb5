package org.cardiogate.signal.wfdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Writes MIT-format WFDB annotation files that {@link AnnotationReader} and the WFDB tools read back unchanged, the
 * same way the WFDB library's {@code putann} does: {@code SKIP} for intervals above 1023 samples or backwards,
 * {@code SUB} for a non-zero subtype, {@code CHN} and {@code NUM} only when they change, {@code AUX} for text, and a
 * zero word at the end.
 *
 * <p>Stateless and thread-safe.
 */
public final class AnnotationWriter {
    private static final int MAX_INTERVAL = 1023;
    private static final int MAX_AUX = 255;

    private AnnotationWriter() {
    }

    /**
     * Writes {@code annotations} to {@code file}, replacing it.
     *
     * @throws IllegalArgumentException for a negative sample time, an aux text longer than 255 bytes or with
     *                                  characters outside ISO-8859-1 or NUL
     */
    public static void write(Path file, List<Annotation> annotations) throws IOException {
        Files.write(file, encode(annotations));
    }

    /** The bytes of an MIT-format annotation file holding {@code annotations}. */
    public static byte[] encode(List<Annotation> annotations) {
        Buffer out = new Buffer(annotations.size() * 2 + 16);
        long prevTime = 0;
        int prevChan = 0;
        int prevNum = 0;
        for (int i = 0; i < annotations.size(); i++) {
            Annotation a = annotations.get(i);
            if (a.sample() < 0) {
                throw new IllegalArgumentException("annotation " + i + " has negative sample time " + a.sample());
            }
            long delta = a.sample() - prevTime;
            if (a.code() == 0) {
                // a zero word would read as the end of the file, so step back one sample and come forward by one
                out.skip(delta - 1, i);
                delta = 1;
            } else if (delta > MAX_INTERVAL || delta < 0) {
                out.skip(delta, i);
                delta = 0;
            }
            out.word((a.code() << 10) | (int) delta);
            if (a.subtype() != 0) {
                out.word((AnnotationReader.SUB << 10) | (a.subtype() & 0x3ff));
            }
            if (a.channel() != prevChan) {
                out.word((AnnotationReader.CHN << 10) | a.channel());
            }
            if (a.num() != prevNum) {
                out.word((AnnotationReader.NUM << 10) | (a.num() & 0x3ff));
            }
            if (a.aux() != null) {
                String aux = a.aux();
                if (aux.length() > MAX_AUX) {
                    throw new IllegalArgumentException("annotation " + i + " aux text has " + aux.length()
                            + " characters, at most " + MAX_AUX + " fit");
                }
                out.word((AnnotationReader.AUX << 10) | aux.length());
                for (int k = 0; k < aux.length(); k++) {
                    char c = aux.charAt(k);
                    if (c == 0 || c > 0xff) {
                        throw new IllegalArgumentException("annotation " + i + " aux text has character U+"
                                + String.format("%04X", (int) c) + " at " + k + ", only ISO-8859-1 without NUL fits");
                    }
                    out.add((byte) c);
                }
                if ((aux.length() & 1) != 0) {
                    out.add((byte) 0);
                }
            }
            prevTime = a.sample();
            prevChan = a.channel();
            prevNum = a.num();
        }
        out.word(0);
        return out.toArray();
    }

    private static final class Buffer {
        private byte[] b;
        private int n;

        Buffer(int capacity) {
            b = new byte[Math.max(16, capacity)];
        }

        void add(byte v) {
            if (n == b.length) {
                b = Arrays.copyOf(b, b.length * 2);
            }
            b[n++] = v;
        }

        void word(int w) {
            add((byte) w);
            add((byte) (w >>> 8));
        }

        void skip(long interval, int index) {
            if (interval < Integer.MIN_VALUE || interval > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("annotation " + index + " is " + interval
                        + " samples from the previous one, more than a 32-bit SKIP can hold");
            }
            int v = (int) interval;
            word(AnnotationReader.SKIP << 10);
            word(v >>> 16);
            word(v & 0xffff);
        }

        byte[] toArray() {
            return Arrays.copyOf(b, n);
        }
    }
}
