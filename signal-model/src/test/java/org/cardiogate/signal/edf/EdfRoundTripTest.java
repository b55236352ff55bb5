package org.cardiogate.signal.edf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdfRoundTripTest {
    @TempDir
    Path tmp;

    static final LocalDateTime START = LocalDateTime.of(2026, 3, 14, 9, 26, 53);

    static List<EdfSignalSpec> ecgEcgPpg() {
        return List.of(
                new EdfSignalSpec("ECG I", "AgAgCl electrode", "mV", -5, 5, -32768, 32767, "HP:0.5Hz LP:150Hz", 500),
                new EdfSignalSpec("ECG II", "AgAgCl electrode", "mV", -5, 5, -32768, 32767, "HP:0.5Hz LP:150Hz", 500),
                new EdfSignalSpec("PPG", "reflective IR", "au", -1000, 1000, -2048, 2047, "", 100));
    }

    /** A deterministic ECG-like signal: a 1.2 Hz pulse train plus a slow sine, in mV. */
    static double ecg(int lead, int i, double fs) {
        double t = i / fs;
        double phase = (t * 1.2) % 1.0;
        return 0.3 * Math.sin(2 * Math.PI * 0.25 * t + lead) + (phase < 0.02 ? 1.5 - 60 * Math.abs(phase - 0.01) : 0);
    }

    static double ppg(int i, double fs) {
        return 400 * Math.sin(2 * Math.PI * 1.2 * i / fs) + 37.25;
    }

    @Test
    void roundTripsMixedRateSignalsAndAnnotations() throws Exception {
        Path file = tmp.resolve("mixed.edf");
        int seconds = 7;
        double[][] x = {new double[500 * seconds], new double[500 * seconds], new double[100 * seconds]};
        for (int i = 0; i < x[0].length; i++) {
            x[0][i] = ecg(0, i, 500);
            x[1][i] = ecg(1, i, 500);
        }
        for (int i = 0; i < x[2].length; i++) {
            x[2][i] = ppg(i, 100);
        }
        x[0][10] = 9.0;
        x[1][11] = -17.5;
        List<EdfAnnotation> expected = new ArrayList<>();
        EdfRecordingSpec spec = new EdfRecordingSpec(EdfRecordingSpec.patient("MCH-0234567", 'F',
                LocalDate.of(1951, 5, 2), "Haagse Harry"), "PSG-1234/2026", "NN", "CardioGate bed 3", START, 1.0,
                ecgEcgPpg(), 256);
        try (EdfWriter w = EdfWriter.create(file, spec, 1)) {
            // blocks of different sizes per signal, interleaved as a sensor driver would deliver them
            int[] pos = new int[3];
            int[] block = {37, 53, 11};
            int beat = 0;
            boolean alarmed = false;
            while (pos[0] < x[0].length || pos[1] < x[1].length || pos[2] < x[2].length) {
                for (int s = 0; s < 3; s++) {
                    int n = Math.min(block[s], x[s].length - pos[s]);
                    w.writeSamples(s, x[s], pos[s], n);
                    pos[s] += n;
                }
                double t = pos[0] / 500.0;
                while (beat / 1.2 + 0.01 < t) {
                    double onset = beat / 1.2 + 0.01;
                    w.annotate(onset, Double.NaN, "N");
                    expected.add(new EdfAnnotation(onset, Double.NaN, "N"));
                    beat++;
                }
                if (t >= 4 && !alarmed) {
                    // an alarm known only after it ended, and a technical event announced ahead of time
                    w.annotate(2.5, 3.25, "TACHY");
                    expected.add(new EdfAnnotation(2.5, 3.25, "TACHY"));
                    w.annotate(6.125, 0, "Ableitung gelöst – électrode débranchée ♥");
                    expected.add(new EdfAnnotation(6.125, 0, "Ableitung gelöst – électrode débranchée ♥"));
                    alarmed = true;
                }
            }
            assertThat(w.dataRecordsWritten()).isEqualTo(seconds);
        }

        EdfFile f = EdfReader.read(file);
        assertThat(f.isEdfPlus()).isTrue();
        assertThat(f.isContinuous()).isTrue();
        assertThat(f.warnings()).isEmpty();
        assertThat(f.recordCountRepaired()).isFalse();
        assertThat(f.declaredDataRecords()).isEqualTo(seconds);
        assertThat(f.dataRecords()).isEqualTo(seconds);
        assertThat(f.startDateTime()).isEqualTo(START);
        assertThat(f.patientIdentification()).isEqualTo("MCH-0234567 F 02-MAY-1951 Haagse_Harry");
        assertThat(f.recordingIdentification()).isEqualTo("Startdate 14-MAR-2026 PSG-1234/2026 NN CardioGate_bed_3");
        assertThat(f.recordDurationSeconds()).isEqualTo(1.0);
        assertThat(f.signals()).containsExactlyElementsOf(ecgEcgPpg());
        assertThat(f.samplingFrequency(0)).isEqualTo(500.0);
        assertThat(f.samplingFrequency(2)).isEqualTo(100.0);
        for (int s = 0; s < 3; s++) {
            EdfSignalSpec spec1 = f.signal(s);
            double[] back = f.physical(s);
            assertThat(back).hasSameSizeAs(x[s]);
            double step = spec1.resolution();
            for (int i = 0; i < back.length; i++) {
                double clipped = Math.max(spec1.physicalMin(), Math.min(spec1.physicalMax(), x[s][i]));
                assertThat(back[i]).as("signal %d sample %d", s, i).isCloseTo(clipped, within(step / 2 + 1e-12));
            }
        }
        assertThat(f.physical(0)[10]).isEqualTo(5.0);
        assertThat(f.physical(1)[11]).isEqualTo(-5.0);
        assertThat(f.digital(0)[10]).isEqualTo(32767);
        assertThat(f.annotations()).containsExactlyInAnyOrderElementsOf(expected);
        for (int r = 0; r < seconds; r++) {
            assertThat(f.recordOnsetSeconds(r)).isEqualTo(r);
        }
        long expectedSize = 256L * 5 + seconds * (2L * (500 + 500 + 100) + 256);
        assertThat(Files.size(file)).isEqualTo(expectedSize);
    }

    @Test
    void writesEachAnnotationIntoTheRecordCoveringItsOnset() throws Exception {
        Path file = tmp.resolve("placement.edf");
        EdfRecordingSpec spec = EdfRecordingSpec.of(START, 0.5, List.of(EdfSignalSpec.of("PPG", "au", -1, 1, 50)));
        try (EdfWriter w = EdfWriter.create(file, spec, 0)) {
            w.annotate(1.75, Double.NaN, "late");
            w.annotate(0.2, Double.NaN, "early");
            w.writeSamples(0, new double[100], 0, 100);
            w.annotate(0.1, Double.NaN, "after its record was written");
            w.writeSamples(0, new double[100], 0, 100);
        }
        byte[] b = Files.readAllBytes(file);
        int recordSize = 100 + spec.annotationBytesPerRecord();
        String[] records = new String[4];
        for (int r = 0; r < 4; r++) {
            int from = 768 + r * recordSize + 100;
            records[r] = new String(b, from, spec.annotationBytesPerRecord(), StandardCharsets.UTF_8);
        }
        assertThat(records[0]).startsWith("+0\u0014\u0014\0+0.2\u0014early\u0014\0\0");
        assertThat(records[1]).startsWith("+0.5\u0014\u0014\0\0");
        assertThat(records[2]).startsWith("+1\u0014\u0014\0+0.1\u0014after its record was written\u0014\0\0");
        assertThat(records[3]).startsWith("+1.5\u0014\u0014\0+1.75\u0014late\u0014\0\0");
        assertThat(EdfReader.read(file).recordOnsetSeconds(3)).isEqualTo(1.5);
    }

    @Test
    void carriesAnnotationsThatDoNotFitIntoTheNextRecord() throws Exception {
        Path file = tmp.resolve("crowded.edf");
        EdfRecordingSpec spec = new EdfRecordingSpec("X X X X", null, null, null, START, 1.0,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 10)), 64);
        List<EdfAnnotation> expected = new ArrayList<>();
        try (EdfWriter w = EdfWriter.create(file, spec, 0)) {
            for (int i = 0; i < 12; i++) {
                w.annotate(0.05 * i, Double.NaN, "N");
                expected.add(new EdfAnnotation(0.05 * i, Double.NaN, "N"));
            }
            for (int r = 0; r < 5; r++) {
                w.writeSamples(0, new double[10], 0, 10);
            }
        }
        EdfFile f = EdfReader.read(file);
        assertThat(f.dataRecords()).isEqualTo(5);
        assertThat(f.annotations()).containsExactlyElementsOf(expected);
    }

    @Test
    void padsTheLastPartialRecordOnCloseByHoldingTheLastSample() throws Exception {
        Path file = tmp.resolve("partial.edf");
        EdfRecordingSpec spec = EdfRecordingSpec.of(START, 1.0,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 4), EdfSignalSpec.of("PPG", "au", -10, 10, 2)));
        try (EdfWriter w = EdfWriter.create(file, spec, 0)) {
            w.writeSamples(0, new double[] {1, 2, 3, 4, 1.5}, 0, 5);
            w.writeSamples(1, new double[] {7, 8}, 0, 2);
            w.annotate(99, Double.NaN, "after the end");
        }
        EdfFile f = EdfReader.read(file);
        assertThat(f.dataRecords()).isEqualTo(2);
        assertThat(f.physical(0)).hasSize(8);
        assertThat(f.physical(0)[4]).isCloseTo(1.5, within(1e-3));
        assertThat(f.physical(0)[7]).isCloseTo(1.5, within(1e-3));
        assertThat(f.physical(1)[3]).isCloseTo(8, within(1e-3));
        assertThat(f.annotations()).containsExactly(new EdfAnnotation(99, Double.NaN, "after the end"));
    }

    @Test
    void writesYearsFrom2085AsYyWithTheDateInTheRecordingField() throws Exception {
        Path file = tmp.resolve("future.edf");
        LocalDateTime start = LocalDateTime.of(2091, 12, 31, 23, 59, 58);
        try (EdfWriter w = EdfWriter.create(file, EdfRecordingSpec.of(start, 1,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 2))), 0)) {
            w.writeSamples(0, new double[] {0, 1}, 0, 2);
        }
        String header = new String(Files.readAllBytes(file), 0, 256, StandardCharsets.US_ASCII);
        assertThat(header.substring(168, 184)).isEqualTo("31.12.yy23.59.58");
        assertThat(header.substring(88, 118)).isEqualTo("Startdate 31-DEC-2091 X X X   ");
        assertThat(EdfReader.read(file).startDateTime()).isEqualTo(start);
    }

    @Test
    void readsTwoDigitYearsWithThe1985Clipping() throws Exception {
        Path file = tmp.resolve("old.edf");
        try (EdfWriter w = EdfWriter.create(file, EdfRecordingSpec.of(LocalDateTime.of(1999, 1, 2, 3, 4, 5), 1,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 2))), 0)) {
            w.writeSamples(0, new double[] {0, 1}, 0, 2);
        }
        assertThat(new String(Files.readAllBytes(file), 168, 8, StandardCharsets.US_ASCII)).isEqualTo("02.01.99");
        assertThat(EdfReader.read(file).startDateTime()).isEqualTo(LocalDateTime.of(1999, 1, 2, 3, 4, 5));
    }

    @Test
    void leavesNoMinusOneInTheHeaderAfterClose() throws Exception {
        Path file = tmp.resolve("count.edf");
        try (EdfWriter w = EdfWriter.create(file, EdfRecordingSpec.of(START, 1,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 3))), 0)) {
            assertThat(new String(Files.readAllBytes(file), 236, 8, StandardCharsets.US_ASCII)).isEqualTo("0       ");
            w.writeSamples(0, new double[9], 0, 9);
            assertThat(new String(Files.readAllBytes(file), 236, 8, StandardCharsets.US_ASCII)).isEqualTo("3       ");
        }
        assertThat(new String(Files.readAllBytes(file), 236, 8, StandardCharsets.US_ASCII)).isEqualTo("3       ");
    }

    @Test
    void rejectsSpecsThatTheHeaderCannotHold() {
        assertThatThrownBy(() -> EdfRecordingSpec.of(START, 1,
                List.of(EdfSignalSpec.of("ECG lead I, limb, 12-lead", "mV", -5, 5, 500))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signal 0 ('ECG lead I, limb, 12-lead') label 'ECG lead I, limb, 12-lead' is 25 characters,"
                        + " the EDF header field holds 16");
        assertThatThrownBy(() -> EdfRecordingSpec.of(START, 1, List.of(EdfSignalSpec.of("ECG", "mV", -5, 5.123456789,
                500))))
                .hasMessage("signal 0 ('ECG') physical maximum 5.123456789 does not fit the 8-character EDF header"
                        + " field");
        assertThatThrownBy(() -> EdfRecordingSpec.of(START.withNano(5_000_000), 1,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 500))))
                .hasMessageContaining("has a fraction of a second");
        assertThatThrownBy(() -> EdfRecordingSpec.of(START, 1, List.of(EdfSignalSpec.of("EKG µV", "mV", -5, 5, 500))))
                .hasMessageContaining("has character U+00B5 at 4; EDF header fields are printable ASCII");
    }

    @Test
    void rejectsAnnotationTextWithReservedCharactersOrTooLong() throws Exception {
        try (EdfWriter w = EdfWriter.create(tmp.resolve("a.edf"), EdfRecordingSpec.of(START, 1,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 3))), 0)) {
            assertThatThrownBy(() -> w.annotate(1, Double.NaN, "a\u0014b"))
                    .hasMessageContaining("contains the reserved character 0x14");
            assertThatThrownBy(() -> w.annotate(1, Double.NaN, "x".repeat(200)))
                    .hasMessageContaining("annotation space of 128 bytes holds at most 104");
            assertThatThrownBy(() -> w.annotate(1, -2, "N")).hasMessageContaining("duration must be NaN");
        }
    }

    @Test
    void refusesToOverwriteAnExistingFile() throws Exception {
        Path file = tmp.resolve("exists.edf");
        Files.writeString(file, "precious");
        assertThatThrownBy(() -> EdfWriter.create(file, EdfRecordingSpec.of(START, 1,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 3))), 0))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("precious");
    }
}
