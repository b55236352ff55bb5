package org.cardiogate.inference.rhythm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.cardiogate.signal.wfdb.Annotation;
import org.junit.jupiter.api.Test;

class AfEvaluationTest {

    private static AfEvaluation.Score s(double ref, double det, double overlap) {
        return new AfEvaluation.Score(ref, det, overlap, 1, 1, 0);
    }

    @Test
    void leaveOneOutScoresEachRecordWithTheSettingChosenOnTheOthers() {
        // candidate 0 is perfect on records 0 and 1 and calls three times the AF of record 2; candidate 1 is 90 % on
        // all three
        AfEvaluation.Score[][] scores = {
            {s(100, 100, 100), s(100, 100, 100), s(100, 300, 100)},
            {s(100, 90, 90), s(100, 90, 90), s(100, 90, 90)},
        };
        assertThat(AfEvaluation.leaveOneOut(scores)).containsExactly(1, 1, 0);
        assertThat(AfEvaluation.bestOverall(scores)).isEqualTo(1);
    }

    @Test
    void referenceEpisodesRunFromAfibToTheNextRhythmOrTheEnd() {
        List<Annotation> a = List.of(
                Annotation.of(10, 28, 0, 0, 0, "(N"),
                Annotation.of(100, 28, 0, 0, 0, "(AFIB"),
                Annotation.of(150, 1, 0, 0, 0, null),
                Annotation.of(200, 28, 0, 0, 0, "(AFL"),
                Annotation.of(300, 28, 0, 0, 0, "(AFIB"));
        long[][] af = AfEvaluation.afIntervals(a, 400);
        assertThat(af).hasDimensions(2, 2);
        assertThat(af[0]).containsExactly(100, 200);
        assertThat(af[1]).containsExactly(300, 400);
    }
}
