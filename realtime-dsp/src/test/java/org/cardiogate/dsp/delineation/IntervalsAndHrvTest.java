package org.cardiogate.dsp.delineation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IntervalsAndHrvTest {

    @Test
    void correctsQtByBazettAndFridericia() {
        assertEquals(0.4, BeatIntervals.qtcBazett(0.4, 1.0), 1e-12);
        assertEquals(0.4 / Math.sqrt(0.64), BeatIntervals.qtcBazett(0.4, 0.64), 1e-12);
        assertEquals(0.5, BeatIntervals.qtcBazett(0.4, 0.64), 1e-12);
        assertEquals(0.4 / 0.8, BeatIntervals.qtcFridericia(0.4, 0.512), 1e-12);
        assertTrue(Double.isNaN(BeatIntervals.qtcBazett(0.4, 0)));
        assertTrue(Double.isNaN(BeatIntervals.qtcFridericia(Double.NaN, 1)));
    }

    @Test
    void measuresIntervalsOfADelineatedBeat() {
        BeatDelineation b = new BeatDelineation();
        b.clear(500, 10_000, 0.8);
        b.pOnset = 10_000 - 100;
        b.qrsOnset = 10_000 - 25;
        b.qrsOffset = 10_000 + 25;
        b.tOffset = 10_000 + 175;
        BeatIntervals i = new BeatIntervals().update(b);
        assertEquals(0.150, i.prSeconds(), 1e-12);
        assertEquals(0.100, i.qrsSeconds(), 1e-12);
        assertEquals(0.400, i.qtSeconds(), 1e-12);
        assertEquals(0.8, i.rrSeconds(), 1e-12);
        assertEquals(0.4 / Math.sqrt(0.8), i.qtcBazettSeconds(), 1e-12);
        assertEquals(0.4 / Math.cbrt(0.8), i.qtcFridericiaSeconds(), 1e-12);
        b.pOnset = BeatDelineation.NONE;
        assertTrue(Double.isNaN(i.update(b, 5.0).prSeconds()));
        assertTrue(Double.isNaN(i.rrSeconds()), "an RR of 5 s is no basis for a correction");
        assertTrue(Double.isNaN(i.qtcBazettSeconds()));
    }

    @Test
    void computesSdnnRmssdAndPnn50OfAKnownSeries() {
        HrvWindow w = new HrvWindow(300, 100);
        double[] rr = {0.80, 0.86, 0.79, 0.81, 0.90, 0.84};
        for (double v : rr) {
            w.add(v);
        }
        // mean 0.8333..; SDNN with n-1; successive differences 60, -70, 20, 90, -60 ms
        double mean = 5.0 / 6;
        double ss = 0;
        for (double v : rr) {
            ss += (v - mean) * (v - mean);
        }
        assertEquals(Math.sqrt(ss / 5), w.sdnnSeconds(), 1e-12);
        assertEquals(Math.sqrt((0.0036 + 0.0049 + 0.0004 + 0.0081 + 0.0036) / 5), w.rmssdSeconds(), 1e-12);
        assertEquals(4.0 / 5, w.pnn50(), 1e-12);
        assertEquals(mean, w.meanNnSeconds(), 1e-12);
    }

    @Test
    void countsExactlyFiftyMillisecondsAsNotOverFifty() {
        HrvWindow w = new HrvWindow(300, 10);
        w.add(0.80);
        w.add(0.85);
        w.add(0.80);
        w.add(0.851);
        assertEquals(1.0 / 3, w.pnn50(), 1e-12);
    }

    @Test
    void slidesTheWindowByDurationAndTakesNoDifferenceAcrossABreak() {
        HrvWindow w = new HrvWindow(3.0, 100);
        w.add(1.0);
        w.add(1.0);
        w.add(1.0);
        w.add(0.5);
        assertEquals(3, w.size(), "the oldest second left the 3 s window");
        assertEquals(2.5, w.durationSeconds(), 1e-12);
        assertEquals(Math.sqrt((0 + 0.25) / 2), w.rmssdSeconds(), 1e-12);
        w.breakSequence();
        w.add(0.9);
        // 1.0, 1.0, 0.5 | 0.9 fits (2.9 s after dropping one): differences only 0 and -0.5, not across the break
        assertEquals(Math.sqrt(0.25 / 1), w.rmssdSeconds(), 1e-12);
        assertEquals(1.0, w.pnn50(), 1e-12);
        w.add(Double.NaN);
        w.add(0.9);
        // 0.5 | 0.9 | 0.9: the 1.0 left the window, and NaN broke the sequence like breakSequence()
        assertEquals(3, w.size());
        assertTrue(Double.isNaN(w.rmssdSeconds()), "no two successive intervals left");
    }

    @Test
    void keepsAtMostItsCapacity() {
        HrvWindow w = new HrvWindow(1e6, 4);
        for (int i = 0; i < 10; i++) {
            w.add(i % 2 == 0 ? 0.8 : 0.9);
        }
        assertEquals(4, w.size());
        assertEquals(0.1, w.rmssdSeconds(), 1e-12);
        assertEquals(1.0, w.pnn50(), 1e-12);
        w.clear();
        assertTrue(Double.isNaN(w.sdnnSeconds()));
    }
}
