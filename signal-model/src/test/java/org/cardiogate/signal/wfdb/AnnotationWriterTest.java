package org.cardiogate.signal.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesAndReadsBackSkipsAuxNumSubtypeAndChannelChanges() throws Exception {
        List<Annotation> in = List.of(
                Annotation.of(0, AnnotationCode.RHYTHM, 0, 0, 0, "(N"),
                Annotation.of(5, "N"),
                Annotation.of(1028, "N"),
                Annotation.of(1029, AnnotationCode.NOISE, -1, 1, 0, null),
                Annotation.of(6029, AnnotationCode.PVC, 3, 1, 7, "odd"),
                Annotation.of(6029, AnnotationCode.WFON, 0, 0, 7, null),
                Annotation.of(200_000, AnnotationCode.WFOFF, 0, 0, -2, "even"),
                Annotation.of(5_000_000_000L - 4_000_000_000L, AnnotationCode.NOTE, 511, 1023, -512, "x".repeat(255)),
                Annotation.of(900_000_000L, AnnotationCode.NOTQRS),
                Annotation.of(900_000_000L, "[49]"));
        Path file = tmp.resolve("rt.atr");
        AnnotationWriter.write(file, in);
        assertThat(AnnotationReader.read(file)).containsExactlyElementsOf(in);
        byte[] b = Files.readAllBytes(file);
        assertThat(b[b.length - 1]).isZero();
        assertThat(b[b.length - 2]).isZero();
    }

    @Test
    void emptyListGivesOnlyTheEndWord() throws Exception {
        assertThat(AnnotationWriter.encode(List.of())).containsExactly(0, 0);
        assertThat(AnnotationReader.parse(new byte[] {0, 0}, "empty")).isEmpty();
    }

    @Test
    void rewritesRealAnnotationFilesByteForByte() throws Exception {
        Path qtdb = SharedData.dir("qtdb");
        for (String ext : new String[] {"q1c", "q2c", "pu0", "pu1"}) {
            Path f = qtdb.resolve("sel100." + ext);
            if (Files.exists(f)) {
                assertThat(AnnotationWriter.encode(AnnotationReader.read(f))).as(f.toString())
                        .isEqualTo(Files.readAllBytes(f));
            }
        }
        Path cpsc = SharedData.dir("cpsc2021");
        for (String name : SharedData.records(cpsc)) {
            Path f = cpsc.resolve(name + ".atr");
            assertThat(AnnotationWriter.encode(AnnotationReader.read(f))).as(f.toString())
                    .isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void roundTripsEveryMitdbAnnotationFile() throws Exception {
        Path dir = SharedData.dir("mitdb");
        for (String name : SharedData.records(dir)) {
            List<Annotation> ann = AnnotationReader.read(dir.resolve(name), "atr");
            assertThat(AnnotationReader.parse(AnnotationWriter.encode(ann), name)).as(name).isEqualTo(ann);
        }
    }

    @Test
    void rejectsAnnotationsThatCannotBeWritten() {
        List<Annotation> negative = List.of(Annotation.of(-1, "N"));
        assertThatThrownBy(() -> AnnotationWriter.encode(negative)).hasMessageContaining("negative sample time -1");
        List<Annotation> longAux = new ArrayList<>();
        longAux.add(Annotation.of(1, AnnotationCode.NOTE, 0, 0, 0, "y".repeat(256)));
        assertThatThrownBy(() -> AnnotationWriter.encode(longAux)).hasMessageContaining("at most 255");
        List<Annotation> wide = List.of(Annotation.of(1, AnnotationCode.NOTE, 0, 0, 0, "\u2665"));
        assertThatThrownBy(() -> AnnotationWriter.encode(wide)).hasMessageContaining("U+2665");
        assertThatThrownBy(() -> new Annotation(1, "V", 1, 0, 0, 0, null)).hasMessageContaining("does not match code 1");
    }
}
