package org.cardiogate.dsp.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EcgFiltersTest {

    /** Runs a sine through the filter and returns the steady-state output amplitude over input amplitude. */
    private static double measuredGain(BiquadCascade f, double hz) {
        double fs = f.sampleRateHz();
        f.reset();
        int settle = (int) (fs * 20);
        int measure = (int) (fs * 4);
        double peak = 0;
        for (int i = 0; i < settle + measure; i++) {
            double y = f.process(Math.sin(2 * Math.PI * hz * i / fs));
            if (i >= settle) {
                peak = Math.max(peak, Math.abs(y));
            }
        }
        return peak;
    }

    @ParameterizedTest
    @ValueSource(doubles = {125, 250, 360, 500, 1000, 2000})
    void baselineHighPassPassesQrsBandAndRemovesWander(double fs) {
        BiquadCascade hp = EcgFilters.baselineHighPass(fs);
        assertThat(hp.magnitudeAt(10)).isCloseTo(1, within(0.01));
        assertThat(hp.magnitudeAt(0.5)).isCloseTo(Math.sqrt(0.5), within(0.01));
        assertThat(hp.gainDbAt(0.05)).isLessThan(-35);
        assertThat(measuredGain(hp, 10)).isCloseTo(1, within(0.01));
        assertThat(measuredGain(hp, 0.1)).isLessThan(0.05);
    }

    @ParameterizedTest
    @ValueSource(doubles = {125, 250, 360, 500, 1000, 2000})
    void lowPassKeepsQrsAndCutsAboveFortyHertz(double fs) {
        BiquadCascade lp = EcgFilters.diagnosticLowPass(fs);
        assertThat(lp.magnitudeAt(5)).isCloseTo(1, within(0.01));
        assertThat(lp.magnitudeAt(40)).isCloseTo(Math.sqrt(0.5), within(0.01));
        assertThat(lp.gainDbAt(Math.min(fs / 2 * 0.95, 200))).isLessThan(-10);
        assertThat(measuredGain(lp, 5)).isCloseTo(1, within(0.01));
    }

    @ParameterizedTest
    @ValueSource(doubles = {125, 250, 360, 500, 1000, 2000})
    void qrsBandPassPeaksBetweenItsEdges(double fs) {
        BiquadCascade bp = EcgFilters.qrsBandPass(fs);
        assertThat(bp.magnitudeAt(Math.sqrt(5 * 15))).isGreaterThan(0.85).isLessThan(1.01);
        assertThat(bp.gainDbAt(1)).isLessThan(-25);
        assertThat(bp.gainDbAt(50)).isLessThan(-15);
        assertThat(measuredGain(bp, 10)).isCloseTo(bp.magnitudeAt(10), within(0.01));
    }

    @ParameterizedTest
    @ValueSource(doubles = {125, 250, 360, 500, 1000, 2000})
    void powerLineNotchAttenuatesMainsByAtLeastThirtyDecibels(double fs) {
        for (double mains : new double[] {50, 60}) {
            BiquadCascade notch = EcgFilters.powerLineNotch(fs, mains);
            assertThat(notch.gainDbAt(mains)).as("%s Hz at fs %s", mains, fs).isLessThan(-30);
            assertThat(measuredGain(notch, mains)).as("measured %s Hz at fs %s", mains, fs).isLessThan(0.0316);
            if (2 * mains < fs / 2) {
                assertThat(notch.gainDbAt(2 * mains)).isLessThan(-30);
                assertThat(notch.sections()).hasSize(2);
            } else {
                assertThat(notch.sections()).hasSize(1);
            }
            assertThat(notch.magnitudeAt(10)).isCloseTo(1, within(0.01));
            assertThat(notch.magnitudeAt(mains * 0.8)).isGreaterThan(0.9);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {125, 250, 360, 500, 1000, 2000})
    void everyFilterIsStableItsImpulseResponseDiesOut(double fs) {
        BiquadCascade[] filters = {EcgFilters.baselineHighPass(fs), EcgFilters.diagnosticLowPass(fs),
            EcgFilters.qrsBandPass(fs), EcgFilters.powerLineNotch(fs, 50), EcgFilters.powerLineNotch(fs, 60),
            EcgFilters.lowPass(fs, 30, 4), EcgFilters.highPass(fs, 1, 4)};
        for (BiquadCascade f : filters) {
            f.reset();
            f.process(1);
            int n = (int) (fs * 60);
            for (int i = 0; i < n; i++) {
                f.process(0);
            }
            double tail = 0;
            for (int i = 0; i < 100; i++) {
                tail = Math.max(tail, Math.abs(f.process(0)));
            }
            assertThat(tail).as(f.sections().toString()).isLessThan(1e-9);
        }
    }

    @Test
    void fourthOrderButterworthIsThreeDecibelsDownAtCutoffAndFlatBelow() {
        BiquadCascade lp = EcgFilters.lowPass(500, 40, 4);
        assertThat(lp.gainDbAt(40)).isCloseTo(-3.01, within(0.05));
        assertThat(lp.magnitudeAt(10)).isCloseTo(1, within(0.001));
        // an analog fourth order is 48 dB down at four times the cut-off; the bilinear transform only adds to that
        assertThat(lp.gainDbAt(160)).isLessThan(-46);
    }

    @Test
    void startingInSteadyStateRemovesTheStepOfAnOffset() {
        BiquadCascade hp = EcgFilters.baselineHighPass(360);
        hp.reset(-1.5);
        double max = 0;
        for (int i = 0; i < 360; i++) {
            max = Math.max(max, Math.abs(hp.process(-1.5)));
        }
        assertThat(max).isLessThan(1e-9);
        BiquadCascade lp = EcgFilters.diagnosticLowPass(360);
        lp.reset(2.0);
        assertThat(lp.process(2.0)).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void groupDelayOfLowPassMatchesTheDelayOfASlowPulse() {
        double fs = 1000;
        BiquadCascade lp = EcgFilters.diagnosticLowPass(fs);
        double delay = lp.groupDelaySamplesAt(10);
        // a Gaussian pulse of sigma 10 ms: its peak comes out late by about the group delay
        int peakIn = 500;
        int argmax = 0;
        double max = -1;
        for (int i = 0; i < 1500; i++) {
            double x = Math.exp(-0.5 * Math.pow((i - peakIn) / 10.0, 2));
            double y = lp.process(x);
            if (y > max) {
                max = y;
                argmax = i;
            }
        }
        assertThat(delay).isBetween(4.0, 7.0);
        assertThat((double) (argmax - peakIn)).isCloseTo(delay, within(1.5));
    }

    @Test
    void rejectsCutoffsAtOrAboveNyquist() {
        assertThatThrownBy(() -> EcgFilters.diagnosticLowPass(80)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Nyquist");
        assertThatThrownBy(() -> Biquad.notch(100, 50, 2)).hasMessageContaining("Nyquist");
        assertThat(EcgFilters.powerLineNotch(100, 60).sections()).isEmpty();
    }

    @Test
    void blockCallGivesTheSameOutputAsSampleCalls() {
        BiquadCascade a = EcgFilters.qrsBandPass(250);
        BiquadCascade b = EcgFilters.qrsBandPass(250);
        double[] in = new double[300];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.sin(i * 0.3) + (i % 17 == 0 ? 1 : 0);
        }
        double[] out = new double[in.length];
        b.process(in, out, 0, in.length);
        for (int i = 0; i < in.length; i++) {
            assertThat(out[i]).isEqualTo(a.process(in[i]));
        }
    }
}
