package org.cardiogate.dsp.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BeatMatcherTest {
    private final BeatMatcher matcher = new BeatMatcher(1000);

    @Test
    void countsMatchesMissesAndExtrasWithinOneHundredFiftyMilliseconds() {
        long[] ref = {1000, 2000, 3000, 4000};
        long[] det = {1010, 2150, 3500, 3990, 4100};
        MatchResult m = matcher.match(ref, det);
        assertThat(m.truePositives()).isEqualTo(3);
        assertThat(m.falseNegatives()).isEqualTo(1);
        assertThat(m.falsePositives()).isEqualTo(2);
        assertThat(m.sensitivityPercent()).isCloseTo(75, within(1e-9));
        assertThat(m.positivePredictivityPercent()).isCloseTo(60, within(1e-9));
        assertThat(m.offsetsSeconds()).containsExactly(0.010, 0.150, -0.010);
        assertThat(m.medianOffsetSeconds()).isCloseTo(0.010, within(1e-12));
    }

    @Test
    void pairsEachReferenceBeatWithTheClosestDetection() {
        MatchResult m = matcher.match(new long[] {1000, 1200}, new long[] {1090, 1110});
        assertThat(m.truePositives()).isEqualTo(2);
        assertThat(m.offsetsSeconds()).containsExactly(0.090, -0.090);
        MatchResult n = matcher.match(new long[] {1000}, new long[] {950, 1005});
        assertThat(n.truePositives()).isEqualTo(1);
        assertThat(n.falsePositives()).isEqualTo(1);
        assertThat(n.offsetsSeconds()).containsExactly(0.005);
    }

    @Test
    void leavesOutEverythingInsideFlutterEpisodes() {
        long[][] vf = BeatMatcher.flutterEpisodes(new long[] {500, 1500, 2500, 3500},
                new String[] {"N", "[", "]", "N"});
        assertThat(vf[0]).containsExactly(1500);
        assertThat(vf[1]).containsExactly(2500);
        MatchResult m = matcher.match(new long[] {500, 1800, 2200, 3500}, new long[] {500, 1700, 3500}, vf[0], vf[1]);
        assertThat(m.truePositives()).isEqualTo(2);
        assertThat(m.falseNegatives()).isZero();
        assertThat(m.falsePositives()).isZero();
    }

    @Test
    void addsResultsForGrossTotals() {
        MatchResult a = new MatchResult(10, 1, 2, new double[] {0.001, 0.003});
        MatchResult b = new MatchResult(5, 0, 1, new double[] {0.002});
        MatchResult s = a.plus(b);
        assertThat(s.truePositives()).isEqualTo(15);
        assertThat(s.falseNegatives()).isEqualTo(1);
        assertThat(s.falsePositives()).isEqualTo(3);
        assertThat(s.medianOffsetSeconds()).isCloseTo(0.002, within(1e-12));
        assertThat(MatchResult.empty().sensitivityPercent()).isNaN();
    }
}
