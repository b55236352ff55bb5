package org.cardiogate.signal.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationReaderTest {
    @TempDir
    Path tmp;

    private static Map<String, Integer> countBySymbol(List<Annotation> annotations) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Annotation a : annotations) {
            counts.merge(a.symbol(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void readsMitdb100BeatLabels() throws Exception {
        List<Annotation> ann = AnnotationReader.read(SharedData.dir("mitdb").resolve("100"), "atr");
        assertThat(ann).hasSize(2274);
        assertThat(ann.stream().filter(Annotation::isBeat).count()).isEqualTo(2273);
        assertThat(countBySymbol(ann)).containsExactlyInAnyOrderEntriesOf(Map.of("N", 2239, "A", 33, "V", 1, "+", 1));
        Annotation first = ann.get(0);
        assertThat(first.symbol()).isEqualTo("+");
        assertThat(first.code()).isEqualTo(AnnotationCode.RHYTHM);
        assertThat(first.aux()).isEqualTo("(N");
        assertThat(first.sample()).isEqualTo(18);
        assertThat(ann.get(1)).isEqualTo(Annotation.of(77, "N"));
        for (int i = 1; i < ann.size(); i++) {
            assertThat(ann.get(i).sample()).isGreaterThan(ann.get(i - 1).sample());
        }
        assertThat(ann.get(ann.size() - 1).sample()).isLessThan(650000);
    }

    @Test
    void readsAllMitdbAnnotationsWithThePublishedBeatTotal() throws Exception {
        Path dir = SharedData.dir("mitdb");
        long beats = 0;
        for (String name : SharedData.records(dir)) {
            beats += AnnotationReader.read(dir.resolve(name), "atr").stream().filter(Annotation::isBeat).count();
        }
        assertThat(beats).isEqualTo(109494);
    }

    @Test
    void findsVentricularFlutterEpisodesInRecord207() throws Exception {
        List<Annotation> ann = AnnotationReader.read(SharedData.dir("mitdb").resolve("207.atr"));
        Map<String, Integer> counts = countBySymbol(ann);
        assertThat(counts).containsKeys("[", "]", "!");
        assertThat(counts.get("[")).isEqualTo(counts.get("]"));
        boolean open = false;
        for (Annotation a : ann) {
            if (a.symbol().equals("[")) {
                assertThat(open).as("'[' at %d while an episode is open", a.sample()).isFalse();
                open = true;
            } else if (a.symbol().equals("]")) {
                assertThat(open).as("']' at %d without '['", a.sample()).isTrue();
                open = false;
            } else if (a.symbol().equals("!")) {
                assertThat(open).as("flutter wave at %d outside an episode", a.sample()).isTrue();
            }
        }
        assertThat(ann.stream().filter(a -> a.symbol().equals("[")).allMatch(a -> !a.isBeat())).isTrue();
    }

    @Test
    void readsCpsc2021RhythmChangesInAuxText() throws Exception {
        Path dir = SharedData.dir("cpsc2021");
        int paroxysmal = 0;
        for (String name : SharedData.records(dir)) {
            List<Annotation> ann = AnnotationReader.read(dir.resolve(name), "atr");
            WfdbHeader header = WfdbHeader.parse(dir.resolve(name + ".hea"));
            assertThat(ann).as(name).isNotEmpty();
            assertThat(ann.get(ann.size() - 1).sample()).as(name).isLessThanOrEqualTo(header.sampleCount());
            Set<String> rhythms = new HashSet<>();
            for (Annotation a : ann) {
                // some records carry the text "None" on beats (written by a Python tool); rhythms are on '+'
                if (a.aux() != null && a.aux().startsWith("(")) {
                    assertThat(a.symbol()).as(name + " aux '" + a.aux() + "'").isEqualTo("+");
                    rhythms.add(a.aux());
                }
            }
            if (header.comments().contains("paroxysmal atrial fibrillation")) {
                paroxysmal++;
                assertThat(rhythms).as(name).contains("(AFIB", "(N");
            } else if (header.comments().contains("non atrial fibrillation")) {
                assertThat(rhythms).as(name).doesNotContain("(AFIB");
            }
        }
        assertThat(paroxysmal).isPositive();
    }

    @Test
    void readsQtdbWaveBoundariesWithCarriedOverNum() throws Exception {
        Path dir = SharedData.dir("qtdb");
        List<Annotation> q1c = AnnotationReader.read(dir.resolve("sel100"), "q1c");
        List<Annotation> pu0 = AnnotationReader.read(dir.resolve("sel100"), "pu0");
        assertThat(q1c).isNotEmpty();
        assertThat(pu0.size()).isGreaterThan(q1c.size());
        Set<String> waveSymbols = Set.of("(", ")", "p", "t", "N", "u");
        assertThat(q1c).extracting(Annotation::symbol).allMatch(waveSymbols::contains);
        assertThat(pu0).extracting(Annotation::symbol).allMatch(waveSymbols::contains);
        assertThat(q1c).extracting(Annotation::sample).allMatch(s -> s >= 0 && s < 225000);
        // ecgpuwave tells which wave a boundary belongs to in num: 0 = P, 1 = QRS, 2 = T.
        int checked = 0;
        for (int i = 1; i + 1 < pu0.size(); i++) {
            Annotation a = pu0.get(i);
            int expected = switch (a.symbol()) {
                case "p" -> 0;
                case "N" -> 1;
                default -> -1;
            };
            if (expected >= 0 && pu0.get(i - 1).symbol().equals("(") && pu0.get(i + 1).symbol().equals(")")) {
                assertThat(pu0.get(i - 1).num()).as("onset before %s at %d", a.symbol(), a.sample()).isEqualTo(expected);
                assertThat(pu0.get(i + 1).num()).as("end after %s at %d", a.symbol(), a.sample()).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void reportsTruncatedFilesWithFileNameAndByteOffset() throws Exception {
        byte[] atr = Files.readAllBytes(SharedData.dir("mitdb").resolve("100.atr"));
        Path cut = tmp.resolve("100.atr");
        Files.write(cut, Arrays.copyOf(atr, 1001));
        assertThatThrownBy(() -> AnnotationReader.read(cut))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessage(cut + ": truncated at byte offset 1000, the file ends without the zero word that marks its end");
        Files.write(cut, Arrays.copyOf(atr, 5));
        assertThatThrownBy(() -> AnnotationReader.read(cut))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageStartingWith(cut + ": truncated at byte offset 5, AUX at byte offset 2 announces 3 bytes");
    }

    @Test
    void reportsCorruptPseudoAnnotationsWithByteOffset() {
        byte[] skipCut = {0x05, 0x04, 0x00, (byte) 0xEC, 0x01, 0x00};
        assertThatThrownBy(() -> AnnotationReader.parse(skipCut, "x.atr"))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessage("x.atr: truncated at byte offset 4, SKIP at byte offset 2 needs 4 more bytes, found 2");
        byte[] subFirst = {0x01, (byte) 0xF4, 0x05, 0x04, 0x00, 0x00};
        assertThatThrownBy(() -> AnnotationReader.parse(subFirst, "x.atr"))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessage("x.atr: SUB at byte offset 0 comes before the first annotation it could belong to");
        byte[] negative = {0x00, (byte) 0xEC, (byte) 0xff, (byte) 0xff, 0x00, 0x00, 0x05, 0x04, 0x00, 0x00};
        assertThatThrownBy(() -> AnnotationReader.parse(negative, "x.atr"))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("x.atr: annotation at byte offset 6 has negative time");
    }

    @Test
    void mapsEveryStandardCodeToItsMnemonicAndBack() {
        String table = " NLRaVFJASEj/Q~";
        for (int c = 0; c < table.length(); c++) {
            assertThat(AnnotationCode.mnemonic(c)).isEqualTo(String.valueOf(table.charAt(c)));
        }
        assertThat(AnnotationCode.mnemonic(16)).isEqualTo("|");
        assertThat(AnnotationCode.mnemonic(22)).isEqualTo("\"");
        assertThat(AnnotationCode.mnemonic(28)).isEqualTo("+");
        assertThat(AnnotationCode.mnemonic(31)).isEqualTo("!");
        assertThat(AnnotationCode.mnemonic(37)).isEqualTo("x");
        assertThat(AnnotationCode.mnemonic(38)).isEqualTo("f");
        assertThat(AnnotationCode.mnemonic(39)).isEqualTo("(");
        assertThat(AnnotationCode.mnemonic(40)).isEqualTo(")");
        assertThat(AnnotationCode.mnemonic(41)).isEqualTo("r");
        assertThat(AnnotationCode.mnemonic(15)).isEqualTo("[15]");
        for (int c = 0; c <= AnnotationCode.MAX_CODE; c++) {
            assertThat(AnnotationCode.code(AnnotationCode.mnemonic(c))).isEqualTo(c);
        }
        StringBuilder beats = new StringBuilder();
        for (int c = 0; c <= AnnotationCode.MAX_CODE; c++) {
            if (AnnotationCode.isBeat(c)) {
                beats.append(AnnotationCode.mnemonic(c));
            }
        }
        assertThat(beats.toString()).isEqualTo("NLRaVFJASEj/QBenfr");
        assertThatThrownBy(() -> AnnotationCode.code("Z")).isInstanceOf(IllegalArgumentException.class);
    }
}
