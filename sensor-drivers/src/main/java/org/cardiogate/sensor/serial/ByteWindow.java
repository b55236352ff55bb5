package org.cardiogate.sensor.serial;

/** The byte buffer behind the decoders: bytes {@code [start, end)} are pending. Allocation-free. */
final class ByteWindow {
    final byte[] buf;
    int start;
    int end;

    ByteWindow(int capacity) {
        this.buf = new byte[capacity];
    }

    int available() {
        return end - start;
    }

    int u8(int i) {
        return buf[start + i] & 0xFF;
    }

    int feed(byte[] src, int off, int len) {
        if (end + len > buf.length && start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = Math.min(len, buf.length - end);
        System.arraycopy(src, off, buf, end, n);
        end += n;
        return n;
    }

    void skip(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    void clear() {
        start = 0;
        end = 0;
    }
}
