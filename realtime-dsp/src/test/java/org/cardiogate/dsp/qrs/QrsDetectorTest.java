package org.cardiogate.dsp.qrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.cardiogate.dsp.SyntheticEcg;
import org.cardiogate.dsp.eval.BeatMatcher;
import org.cardiogate.dsp.eval.MatchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QrsDetectorTest {

    private static final class Collected implements BeatSink {
        long[] beats = new long[4096];
        double[] amplitudes = new double[4096];
        int count;

        @Override
        public void onBeat(long rPeakSample, double amplitude) {
            beats[count] = rPeakSample;
            amplitudes[count++] = amplitude;
        }

        long[] beats() {
            return Arrays.copyOf(beats, count);
        }
    }

    private static MatchResult run(double fs, SyntheticEcg ecg, Collected sink) {
        QrsDetector d = new QrsDetector(fs, sink);
        d.process(ecg.signal, 0, ecg.signal.length);
        d.finish();
        return new BeatMatcher(fs).match(ecg.rPeaks, sink.beats());
    }

    @ParameterizedTest
    @ValueSource(doubles = {125, 250, 360, 500, 1000, 2000})
    void findsEverySyntheticBeatOnItsPeakAtAnyRate(double fs) {
        SyntheticEcg ecg = SyntheticEcg.generate(fs, 120, 0.8, 1, 0.02, 7);
        Collected sink = new Collected();
        MatchResult m = run(fs, ecg, sink);
        assertThat(m.falseNegatives()).isZero();
        assertThat(m.falsePositives()).isZero();
        // within one sample period where that is coarser than 6 ms
        assertThat(Math.abs(m.medianOffsetSeconds())).isLessThanOrEqualTo(Math.max(0.006, 1.001 / fs));
        for (double o : m.offsetsSeconds()) {
            assertThat(Math.abs(o)).isLessThanOrEqualTo(Math.max(0.012, 2.001 / fs));
        }
    }

    @Test
    void placesInvertedComplexesOnTheirNegativePeak() {
        double fs = 360;
        SyntheticEcg ecg = SyntheticEcg.generate(fs, 90, 0.9, -1, 0.02, 11);
        Collected sink = new Collected();
        MatchResult m = run(fs, ecg, sink);
        assertThat(m.falseNegatives()).isZero();
        assertThat(m.falsePositives()).isZero();
        assertThat(Math.abs(m.medianOffsetSeconds())).isLessThanOrEqualTo(0.006);
        for (int i = 0; i < sink.count; i++) {
            assertThat(sink.amplitudes[i]).isNegative();
        }
    }

    @Test
    void keepsUpWithTachycardiaAndBradycardia() {
        for (double rr : new double[] {0.33, 1.6}) {
            SyntheticEcg ecg = SyntheticEcg.generate(250, 120, rr, 1, 0.02, 3);
            MatchResult m = run(250, ecg, new Collected());
            assertThat(m.sensitivityPercent()).as("RR %s s", rr).isEqualTo(100.0);
            assertThat(m.positivePredictivityPercent()).as("RR %s s", rr).isEqualTo(100.0);
        }
    }

    @Test
    void findsBeatsAfterTheAmplitudeDropsTenfold() {
        double fs = 360;
        SyntheticEcg ecg = SyntheticEcg.generate(fs, 120, 0.8, 1, 0.005, 5);
        int half = ecg.signal.length / 2;
        for (int i = half; i < ecg.signal.length; i++) {
            ecg.signal[i] *= 0.1;
        }
        Collected sink = new Collected();
        run(fs, ecg, sink);
        long lastHalf = Arrays.stream(sink.beats()).filter(b -> b > half + 10 * fs).count();
        long expected = Arrays.stream(ecg.rPeaks).filter(b -> b > half + 10 * fs).count();
        assertThat(lastHalf).isEqualTo(expected);
    }

    @Test
    void reportsThresholdBeatsWithinTheStatedDelayOfAtMostThreeHundredMilliseconds() {
        for (double fs : new double[] {125, 360, 1000}) {
            SyntheticEcg ecg = SyntheticEcg.generate(fs, 60, 0.7, 1, 0.05, 9);
            Collected sink = new Collected();
            QrsDetector d = new QrsDetector(fs, sink);
            long maxDelay = 0;
            int seen = 0;
            for (int i = 0; i < ecg.signal.length; i++) {
                d.process(ecg.signal[i]);
                while (seen < sink.count) {
                    if (i > 3 * fs) {
                        maxDelay = Math.max(maxDelay, i - sink.beats[seen]);
                    }
                    seen++;
                }
            }
            assertThat(d.maxReportDelaySeconds()).isLessThanOrEqualTo(0.3);
            assertThat(maxDelay / fs).isLessThanOrEqualTo(d.maxReportDelaySeconds());
            assertThat(d.searchBackCount()).isZero();
        }
    }

    @Test
    void reportsNothingOnAFlatLineOrPureNoise() {
        Collected sink = new Collected();
        QrsDetector d = new QrsDetector(250, sink);
        for (int i = 0; i < 250 * 30; i++) {
            d.process(0.5);
        }
        d.finish();
        assertThat(sink.count).isZero();
    }

    @Test
    void resetStartsCountingSamplesFromZeroAgain() {
        SyntheticEcg ecg = SyntheticEcg.generate(360, 20, 0.8, 1, 0.01, 2);
        Collected first = new Collected();
        QrsDetector d = new QrsDetector(360, first);
        d.process(ecg.signal, 0, ecg.signal.length);
        d.finish();
        d.reset();
        assertThat(d.samplesProcessed()).isZero();
        d.process(ecg.signal, 0, ecg.signal.length);
        d.finish();
        assertThat(first.count % 2).isZero();
        long[] all = first.beats();
        assertThat(Arrays.copyOfRange(all, all.length / 2, all.length)).containsExactly(
                Arrays.copyOfRange(all, 0, all.length / 2));
    }

    /** Defaults with another P-wave window and irregular-rhythm threshold factor. */
    private static QrsDetectorConfig with(double pWaveSeconds, double irregularThresholdFactor) {
        QrsDetectorConfig d = QrsDetectorConfig.defaults();
        return new QrsDetectorConfig(d.bandLowHz(), d.bandHighHz(), d.derivativeSeconds(), d.integrationSeconds(),
                d.refractorySeconds(), d.tWaveSeconds(), d.tWaveSlopeRatio(), d.searchBackRrFactor(),
                d.thresholdFraction(), d.learningSeconds(), d.rSearchSeconds(), d.peakTimeoutSeconds(),
                d.maxSearchBackSeconds(), pWaveSeconds, d.irregularRrTolerance(), irregularThresholdFactor,
                d.irregularMinSeconds(), d.irregularMaxHfRatio());
    }

    private static MatchResult run(double fs, double[] x, long[] reference, QrsDetectorConfig config) {
        Collected sink = new Collected();
        QrsDetector d = new QrsDetector(fs, config, sink);
        d.process(x, 0, x.length);
        d.finish();
        return new BeatMatcher(fs).match(reference, sink.beats());
    }

    @ParameterizedTest
    @ValueSource(doubles = {125, 360, 1000})
    void takesAPeakedPWaveTwoHundredTwentyMillisecondsBeforeTheQrsForNoBeat(double fs) {
        double[] x = new double[(int) (fs * 60)];
        long[] r = new long[70];
        int count = 0;
        for (double t = 0.6; t < 59; t += 0.9) {
            r[count++] = Math.round(t * fs);
            SyntheticEcg.addWave(x, fs, t - 0.22, 0.015, 0.6);
            SyntheticEcg.addWave(x, fs, t, 0.012, 1.0);
            SyntheticEcg.addWave(x, fs, t + 0.3, 0.05, 0.3);
        }
        long[] ref = Arrays.copyOf(r, count);
        MatchResult m = run(fs, x, ref, QrsDetectorConfig.defaults());
        assertThat(m.falseNegatives()).as("%s", m).isZero();
        assertThat(m.falsePositives()).as("%s", m).isZero();
        // the P wave is a beat of its own if only the 200 ms refractory period is looked at
        assertThat(run(fs, x, ref, with(0.2, 0.5)).falsePositives()).isGreaterThan(count / 2);
    }

    @ParameterizedTest
    @ValueSource(doubles = {125, 360, 1000})
    void findsSmallWidePrematureBeatsInAnIrregularRhythm(double fs) {
        java.util.Random rnd = new java.util.Random(5);
        double[] x = new double[(int) (fs * 90)];
        long[] r = new long[200];
        int count = 0;
        double t = 0.6;
        while (t < 89) {
            r[count] = Math.round(t * fs);
            if (count % 4 == 3) {
                SyntheticEcg.addWave(x, fs, t, 0.035, 0.75);
            } else {
                SyntheticEcg.addWave(x, fs, t, 0.012, 1.0);
                SyntheticEcg.addWave(x, fs, t + 0.3, 0.05, 0.25);
            }
            count++;
            t += count % 4 == 3 ? 0.45 : 0.6 + 0.5 * rnd.nextDouble();
        }
        long[] ref = Arrays.copyOf(r, count);
        MatchResult m = run(fs, x, ref, QrsDetectorConfig.defaults());
        assertThat(m.falseNegatives()).as("%s", m).isZero();
        assertThat(m.falsePositives()).as("%s", m).isZero();
        assertThat(run(fs, x, ref, with(0.25, 1)).falseNegatives()).isGreaterThan(count / 8);
    }

    @Test
    void rejectsAPWaveWindowShorterThanTheRefractoryPeriod() {
        assertThatThrownBy(() -> with(0.15, 0.5)).hasMessageContaining("pWaveSeconds");
        assertThatThrownBy(() -> with(0.25, 1.5)).hasMessageContaining("irregularThresholdFactor");
    }

    @Test
    void rejectsSampleRatesItCannotFilter() {
        assertThatThrownBy(() -> new QrsDetector(50, (s, a) -> { })).hasMessageContaining("sample rate");
    }
}
