package org.cardiogate.sensor.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FramedProtocolTest {

    @Test
    void crcMatchesTheCcittFalseCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc16.ccittFalse(check, 0, check.length)).isEqualTo(0x29B1);
    }

    @Test
    void encodesTheDocumentedExampleByteForByte() {
        FramedProtocol p = new FramedProtocol(2, 3, 16);
        byte[] out = new byte[64];
        int n = p.encode(0x1234, new int[] {1, -1}, 1, out, 0);
        byte[] head = {(byte) 0xA5, 0x5A, 0x01, 0x00, 0x02, 0x01, 0x12, 0x34, 0x00, 0x00, 0x01, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF};
        assertThat(n).isEqualTo(16);
        for (int i = 0; i < head.length; i++) {
            assertThat(out[i]).as("byte %d", i).isEqualTo(head[i]);
        }
        int crc = Crc16.ccittFalse(head, 0, head.length);
        assertThat(out[14] & 0xFF).isEqualTo(crc >>> 8);
        assertThat(out[15] & 0xFF).isEqualTo(crc & 0xFF);
    }

    @Test
    void decodesInt24AndInt16CodesBitExactlyIncludingTheExtremes() {
        for (int bytes = 2; bytes <= 3; bytes++) {
            FramedProtocol p = new FramedProtocol(3, bytes, 32);
            int[] codes = {p.minCode(), p.maxCode(), 0, -1, 1, 12345 % p.maxCode()};
            byte[] out = new byte[64];
            int n = p.encode(0xFFFF_FFFEL, codes, 2, out, 0);
            FramedProtocol.Decoder d = p.newDecoder();
            assertThat(d.feed(out, 0, n)).isEqualTo(n);
            assertThat(d.next()).isTrue();
            assertThat(d.sequence()).isEqualTo(0xFFFF_FFFEL);
            assertThat(d.samples()).isEqualTo(2);
            for (int i = 0; i < codes.length; i++) {
                assertThat(d.codes()[i]).isEqualTo(codes[i]);
            }
            assertThat(d.next()).isFalse();
        }
    }

    @Test
    void rejectsAPacketWithOneFlippedBitAndKeepsTheNextOne() {
        FramedProtocol p = new FramedProtocol(2, 3, 16);
        byte[] out = new byte[128];
        int a = p.encode(10, new int[] {5, 6, 7, 8}, 2, out, 0);
        int b = p.encode(12, new int[] {9, 10, 11, 12}, 2, out, a);
        out[a - 5] ^= 0x10;
        FramedProtocol.Decoder d = p.newDecoder();
        d.feed(out, 0, a + b);
        assertThat(d.next()).isTrue();
        assertThat(d.sequence()).isEqualTo(12);
        assertThat(d.codes()[0]).isEqualTo(9);
        assertThat(d.rejectedPackets()).isEqualTo(1);
        assertThat(d.skippedBytes()).isEqualTo(a);
    }

    @Test
    void resynchronisesAfterGarbageThatContainsFakeSyncAndAHugeClaimedLength() throws Exception {
        FramedProtocol p = new FramedProtocol(2, 3, 16);
        Random r = new Random(7);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        byte[] pkt = new byte[64];
        int[][] sent = new int[80][4];
        for (int k = 0; k < 80; k++) {
            for (int i = 0; i < 4; i++) {
                sent[k][i] = r.nextInt(1 << 24) - (1 << 23);
            }
            if (k % 5 == 2 && k < 50) {
                byte[] garbage = new byte[1 + r.nextInt(300)];
                r.nextBytes(garbage);
                s.write(garbage);
                // a fake header claiming the largest packet, right before a real one
                s.write(new byte[] {(byte) 0xA5, 0x5A, 1, 0, 2, 64, 0, 0});
            }
            s.write(pkt, 0, p.encode(2L * k, sent[k], 2, pkt, 0));
        }
        byte[] stream = s.toByteArray();
        FramedProtocol.Decoder d = p.newDecoder();
        int got = 0;
        // feed in odd-sized pieces, as a serial port delivers them
        for (int off = 0; off < stream.length; ) {
            int len = Math.min(stream.length - off, 1 + r.nextInt(40));
            int fed = 0;
            while (fed < len) {
                fed += d.feed(stream, off + fed, len - fed);
                while (d.next()) {
                    assertThat(d.sequence()).isEqualTo(2L * got);
                    for (int i = 0; i < 4; i++) {
                        assertThat(d.codes()[i]).isEqualTo(sent[got][i]);
                    }
                    got++;
                }
            }
            off += len;
        }
        // a fake header holds the packets behind it until its claimed length has arrived, then lets them all through
        assertThat(got).isEqualTo(80);
        assertThat(d.skippedBytes()).isEqualTo(stream.length - 80L * p.packetLength(2));
    }

    @Test
    void refusesCodesThatDoNotFitTheSampleWidth() {
        FramedProtocol p = new FramedProtocol(1, 2, 16);
        assertThatThrownBy(() -> p.encode(0, new int[] {40_000}, 1, new byte[32], 0))
                .hasMessageContaining("40000").hasMessageContaining("16 bits");
        assertThatThrownBy(() -> new FramedProtocol(0, 3, 16)).hasMessageContaining("channels");
        assertThatThrownBy(() -> new FramedProtocol(2, 4, 16)).hasMessageContaining("sampleBytes");
        assertThatThrownBy(() -> new FramedProtocol(2, 3, 24)).hasMessageContaining("sequenceBits");
    }
}
