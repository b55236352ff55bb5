package org.cardiogate.dsp.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cardiogate.dsp.SyntheticEcg;
import org.cardiogate.dsp.eval.BeatMatcher;
import org.cardiogate.dsp.eval.MatchResult;
import org.cardiogate.dsp.qrs.QrsDetector;
import org.junit.jupiter.api.Test;

class SignalQualityMonitorTest {
    private static final double FS = 360;

    record Window(long start, long end, QualityClass quality, int flags) {
    }

    /** Runs the monitor with the main detector's beats over {@code x}; the windows it judged. */
    private static List<Window> judge(double[] x, SignalQualityConfig config, int leadOffFrom, int leadOffTo) {
        List<Window> windows = new ArrayList<>();
        SignalQualityMonitor m = new SignalQualityMonitor(FS, config,
                (s, e, q, f) -> windows.add(new Window(s, e, q, f)));
        QrsDetector d = new QrsDetector(FS, (r, a) -> m.onPrimaryBeat(r));
        for (int i = 0; i < x.length; i++) {
            m.setLeadOff(i >= leadOffFrom && i < leadOffTo);
            d.process(x[i]);
            m.process(x[i]);
        }
        d.finish();
        m.finish();
        return windows;
    }

    private static List<Window> within(List<Window> w, double fromSeconds, double toSeconds) {
        return w.stream().filter(v -> v.start() >= fromSeconds * FS && v.end() < toSeconds * FS).toList();
    }

    @Test
    void judgesACleanEcgGoodInEveryWindowAfterTheFirstSeconds() {
        double[] x = SyntheticEcg.generate(FS, 120, 0.8, 1, 0.02, 1).signal;
        List<Window> w = judge(x, SignalQualityConfig.defaults(), -1, -1);
        assertThat(w).hasSize(120);
        assertThat(w.get(0).start()).isZero();
        assertThat(w.get(119).end()).isEqualTo(x.length - 1);
        // the last window holds no complete beat
        assertThat(within(w, 12, 118)).allMatch(v -> v.quality() == QualityClass.GOOD && v.flags() == 0);
    }

    @Test
    void marksFlatClippedNoisyAndLeadOffStretchesUnusableWithTheirReason() {
        double[] x = SyntheticEcg.generate(FS, 120, 0.8, 1, 0.02, 2).signal;
        Random rnd = new Random(7);
        for (int i = (int) (20 * FS); i < 30 * FS; i++) {
            x[i] = 0.3;
        }
        for (int i = (int) (45 * FS); i < 55 * FS; i++) {
            // an electrode offset drives the amplifier into saturation for most of each beat cycle
            x[i] = Math.min(x[i] + 2.0, 1.5);
        }
        for (int i = (int) (70 * FS); i < 80 * FS; i++) {
            x[i] += 1.0 * rnd.nextGaussian();
        }
        List<Window> w = judge(x, SignalQualityConfig.defaults(), (int) (95 * FS), (int) (105 * FS));
        assertThat(within(w, 21, 30)).allMatch(v -> v.quality() == QualityClass.UNUSABLE
                && (v.flags() & QualityFlags.FLAT) != 0);
        // railed for a whole window reads as a lead-off
        assertThat(within(w, 46, 55)).allMatch(v -> v.quality() == QualityClass.UNUSABLE
                && (v.flags() & (QualityFlags.CLIPPED | QualityFlags.LEAD_OFF)) != 0);
        assertThat(within(w, 46, 55)).anyMatch(v -> (v.flags() & QualityFlags.CLIPPED) != 0);
        assertThat(within(w, 71, 80)).allMatch(v -> v.quality() == QualityClass.UNUSABLE
                && (v.flags() & QualityFlags.HIGH_FREQUENCY_NOISE) != 0);
        assertThat(within(w, 95, 105)).allMatch(v -> v.quality() == QualityClass.UNUSABLE
                && (v.flags() & QualityFlags.LEAD_OFF) != 0);
        assertThat(within(w, 12, 19)).allMatch(v -> v.quality() == QualityClass.GOOD);
        assertThat(within(w, 110, 118)).allMatch(v -> v.quality() != QualityClass.UNUSABLE);
    }

    @Test
    void recognisesTheConvertersRailsWhenTheRangeIsGiven() {
        double[] x = SyntheticEcg.generate(FS, 40, 0.8, 1, 0.02, 3).signal;
        for (int i = (int) (20 * FS); i < 30 * FS; i++) {
            x[i] = i % 100 < 60 ? 5.0 : x[i];
        }
        List<Window> w = judge(x, SignalQualityConfig.defaults().withAdcRange(-5, 5), -1, -1);
        assertThat(within(w, 20, 30)).allMatch(v -> (v.flags() & QualityFlags.LEAD_OFF) != 0);
        assertThat(within(w, 12, 19)).allMatch(v -> v.flags() == 0);
    }

    @Test
    void secondDetectorFindsTheBeatsOfACleanEcg() {
        SyntheticEcg ecg = SyntheticEcg.generate(FS, 120, 0.8, 1, 0.05, 4);
        long[] found = new long[400];
        int[] n = {0};
        TwoAverageDetector d = new TwoAverageDetector(FS, (r, a) -> found[n[0]++] = r);
        for (double v : ecg.signal) {
            d.process(v);
        }
        MatchResult m = new BeatMatcher(FS).match(ecg.rPeaks, java.util.Arrays.copyOf(found, n[0]));
        assertThat(m.sensitivityPercent()).as("%s", m).isGreaterThanOrEqualTo(99);
        assertThat(m.positivePredictivityPercent()).as("%s", m).isGreaterThanOrEqualTo(99);
        assertThat(Math.abs(m.medianOffsetSeconds())).isLessThan(0.03);
        assertThat(d.reportDelaySeconds()).isLessThan(SignalQualityConfig.defaults().decisionDelaySeconds());
    }

    @Test
    void rejectsADecisionDelayAsLongAsTheWindow() {
        assertThatThrownBy(() -> new SignalQualityConfig(1, 1, 10, 0.15, 0.02, 0.08, Double.NaN, Double.NaN, 0.5, 1.5,
                2, 4, 0.85, 0.7, 4, 0.05, 0.12)).hasMessageContaining("decisionDelaySeconds");
    }

    @Test
    void spellsOutFlags() {
        assertThat(QualityFlags.describe(QualityFlags.FLAT | QualityFlags.DETECTOR_DISAGREEMENT))
                .isEqualTo("FLAT|DETECTOR_DISAGREEMENT");
        assertThat(QualityFlags.describe(0)).isEmpty();
    }
}
