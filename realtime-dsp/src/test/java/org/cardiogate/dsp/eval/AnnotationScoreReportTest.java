package org.cardiogate.dsp.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationCode;
import org.cardiogate.signal.wfdb.AnnotationWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationScoreReportTest {

    @Test
    void scoresAnotherAnnotatorsBeatsWithTheEc57MatcherAndIgnoresItsNotes(@TempDir Path dir) throws IOException {
        Path ref = dir.resolve("ref");
        Path test = dir.resolve("test");
        Files.createDirectories(ref);
        Files.createDirectories(test);
        Files.writeString(ref.resolve("r1.hea"), "r1 1 360 4000\nr1.dat 212 200 11 1024 0 0 0 MLII\n");
        // reference: beats at 100, 500, 900, 2000; a flutter episode [1200, 1500] with a beat inside
        AnnotationWriter.write(ref.resolve("r1.atr"), List.of(Annotation.of(100, "N"), Annotation.of(500, "V"),
                Annotation.of(900, "N"), Annotation.of(1200, "["), Annotation.of(1300, "!"), Annotation.of(1500, "]"),
                Annotation.of(2000, "N")));
        // test: a NOTE at 0 (as gqrs writes), +10, +20 samples early/late, 900 missed, an extra at 700,
        // one inside the excluded episode, and -5 samples at 2000
        AnnotationWriter.write(test.resolve("r1.gqrs"), List.of(
                Annotation.of(0, AnnotationCode.NOTE, 0, 0, 0, "gqrs -r r1 -o gqrs"), Annotation.of(110, "N"),
                Annotation.of(520, "N"), Annotation.of(700, "N"), Annotation.of(1320, "N"), Annotation.of(1995, "N")));

        MatchResult m = AnnotationScoreReport.score(ref.resolve("r1"), test.resolve("r1"), "gqrs");

        assertThat(m.truePositives()).isEqualTo(3);
        assertThat(m.falseNegatives()).isEqualTo(1);
        assertThat(m.falsePositives()).isEqualTo(1);
        assertThat(m.medianOffsetSeconds()).isCloseTo(10 / 360.0, within(1e-12));
        assertThat(AnnotationScoreReport.recordsIn(ref)).containsExactly("r1");
    }

    @Test
    void namesTheMissingAnnotationFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("r2.hea"), "r2 1 360 4000\nr2.dat 212 200 11 1024 0 0 0 MLII\n");
        AnnotationWriter.write(dir.resolve("r2.atr"), List.of(Annotation.of(100, "N")));

        assertThatThrownBy(() -> AnnotationScoreReport.score(dir.resolve("r2"), dir.resolve("r2"), "gqrs"))
                .isInstanceOf(IOException.class).hasMessageContaining("r2.gqrs");
    }
}
