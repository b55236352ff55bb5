package org.cardiogate.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HeartRateMeterTest {

    @Test
    void givesRrOfEachBeatAndNanForTheFirst() {
        HeartRateMeter m = new HeartRateMeter(250);
        assertThat(m.onBeat(1000)).isNaN();
        assertThat(m.heartRateBpm()).isNaN();
        assertThat(m.onBeat(1200)).isEqualTo(0.8);
        assertThat(m.heartRateBpm()).isCloseTo(75, within(1e-9));
    }

    @Test
    void oneEctopicBeatDoesNotMoveTheDisplayedRate() {
        HeartRateMeter m = new HeartRateMeter(1000);
        long t = 0;
        m.onBeat(t);
        for (int i = 0; i < 10; i++) {
            t += 1000;
            m.onBeat(t);
        }
        assertThat(m.heartRateBpm()).isCloseTo(60, within(1e-9));
        t += 500;
        m.onBeat(t);
        t += 1500;
        m.onBeat(t);
        assertThat(m.lastRrSeconds()).isEqualTo(1.5);
        assertThat(m.heartRateBpm()).isCloseTo(60, within(1e-9));
    }

    @Test
    void followsARateChangeWithinTheHistory() {
        HeartRateMeter m = new HeartRateMeter(1000);
        long t = 0;
        m.onBeat(t);
        for (int i = 0; i < 10; i++) {
            t += 1000;
            m.onBeat(t);
        }
        for (int i = 0; i < 10; i++) {
            t += 500;
            m.onBeat(t);
        }
        assertThat(m.heartRateBpm()).isCloseTo(120, within(1e-9));
    }

    @Test
    void ignoresImpossibleIntervalsAndForgetsOnReset() {
        HeartRateMeter m = new HeartRateMeter(100);
        m.onBeat(0);
        m.onBeat(100);
        m.onBeat(110);
        assertThat(m.lastRrSeconds()).isCloseTo(0.1, within(1e-12));
        assertThat(m.heartRateBpm()).isCloseTo(60, within(1e-9));
        m.reset();
        assertThat(m.heartRateBpm()).isNaN();
        assertThat(m.onBeat(500)).isNaN();
    }
}
