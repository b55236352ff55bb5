package org.cardiogate.sensor.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CytonProtocolTest {

    static int[] codes(Random r) {
        int[] c = new int[8];
        for (int i = 0; i < 8; i++) {
            c[i] = r.nextInt(1 << 24) - (1 << 23);
        }
        return c;
    }

    @Test
    void scalesCodesByFourPointFiveVoltsOverGainOverTwoToTheTwentyThreeMinusOne() {
        assertThat(CytonProtocol.lsbMillivolts(24)).isEqualTo(4500.0 / 24 / 8_388_607);
        assertThat(CytonProtocol.lsbMillivolts(1) * 8_388_607).isEqualTo(4500.0);
    }

    @Test
    void decodesBigEndianTwosComplementChannelsBitExactly() {
        int[] c = {-(1 << 23), (1 << 23) - 1, 0, -1, 1, 0x123456, -0x123456, 0x7F};
        byte[] pkt = new byte[66];
        CytonProtocol.encode(200, c, 0, null, pkt, 0);
        CytonProtocol.encode(201, c, 0, null, pkt, 33);
        assertThat(pkt[0] & 0xFF).isEqualTo(0xA0);
        assertThat(pkt[32] & 0xFF).isEqualTo(0xC0);
        assertThat(pkt[2] & 0xFF).isEqualTo(0x80);
        CytonProtocol.Decoder d = CytonProtocol.newDecoder();
        d.feed(pkt, 0, 66);
        assertThat(d.next()).isTrue();
        assertThat(d.sequence()).isEqualTo(200);
        assertThat(d.codes()).containsExactly(c);
        // the last packet is released when the next header byte confirms where it ends
        assertThat(d.next()).isFalse();
        d.feed(new byte[] {(byte) 0xA0}, 0, 1);
        assertThat(d.next()).isTrue();
        assertThat(d.sequence()).isEqualTo(201);
    }

    @Test
    void resynchronisesAfterGarbageAndAPacketCutShort() throws Exception {
        Random r = new Random(3);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        byte[] pkt = new byte[33];
        int[][] sent = new int[300][];
        boolean[] expected = new boolean[300];
        for (int k = 0; k < 300; k++) {
            sent[k] = codes(r);
            CytonProtocol.encode(k, sent[k], 0, null, pkt, 0);
            if (k % 37 == 5) {
                byte[] garbage = new byte[1 + r.nextInt(200)];
                r.nextBytes(garbage);
                s.write(garbage);
            }
            if (k % 53 == 20) {
                s.write(pkt, 0, 17); // the dongle dropped the rest of this packet
                continue;
            }
            s.write(pkt);
            expected[k] = true;
        }
        byte[] stream = s.toByteArray();
        CytonProtocol.Decoder d = CytonProtocol.newDecoder();
        int k = 0;
        int got = 0;
        for (int off = 0; off < stream.length; off += 25) {
            d.feed(stream, off, Math.min(25, stream.length - off));
            while (d.next()) {
                int sn = (int) d.sequence();
                while ((k & 0xFF) != sn) {
                    k++;
                }
                assertThat(expected[k]).as("packet %d", k).isTrue();
                assertThat(d.codes()).containsExactly(sent[k]);
                got++;
                k++;
            }
        }
        int sentWhole = 0;
        for (boolean e : expected) {
            sentWhole += e ? 1 : 0;
        }
        // a packet right before garbage or a cut can be lost from lock requirements, none more
        assertThat(got).isBetween(sentWhole - 12, sentWhole);
        assertThat(d.packets()).isEqualTo(got);
    }

    @Test
    void unwrapsTheEightBitSampleNumberAcrossWraparoundAndCountsLostPackets() {
        SequenceUnwrapper u = new SequenceUnwrapper(256, 1);
        u.start(0);
        assertThat(u.accept(250, 1)).isEqualTo(0);
        assertThat(u.accept(251, 1)).isEqualTo(1);
        assertThat(u.accept(255, 1)).isEqualTo(5); // 252..254 lost: a gap of 3
        assertThat(u.accept(0, 1)).isEqualTo(6);   // wraps
        assertThat(u.accept(0, 1)).isEqualTo(-1);  // repeated: duplicate
        assertThat(u.accept(200, 1)).isEqualTo(206); // 199 lost across no wrap
        assertThat(u.duplicates()).isEqualTo(1);
    }

    @Test
    void unwrapsASixteenBitCounterWithMultiSamplePacketsAndDropsDuplicates() {
        SequenceUnwrapper u = new SequenceUnwrapper(1 << 16, 1 << 15);
        u.start(0);
        assertThat(u.accept(65_530, 5)).isEqualTo(0);
        assertThat(u.accept(65_535, 5)).isEqualTo(5);
        assertThat(u.accept(4, 5)).isEqualTo(10);
        assertThat(u.accept(4, 5)).isEqualTo(-1);
        assertThat(u.accept(65_535, 5)).isEqualTo(-1);
        assertThat(u.accept(19, 5)).isEqualTo(25); // 9..18 lost
    }

    @Test
    void placesTheFirstPacketAfterAReconnectByItsCounterWhenItAgreesWithElapsedTime() {
        SequenceUnwrapper u = new SequenceUnwrapper(1L << 32, 1L << 31);
        u.start(0);
        u.accept(1000, 10);
        // board kept counting: 2000 samples later by its counter, 1990 by the host clock
        u.resume(10, 1990, 250);
        assertThat(u.accept(3010, 10)).isEqualTo(2010);
        // board restarted its counter: the time estimate is used
        u.resume(2020, 5000, 250);
        assertThat(u.accept(0, 10)).isEqualTo(5000);
        assertThat(u.accept(10, 10)).isEqualTo(5010);
    }
}
