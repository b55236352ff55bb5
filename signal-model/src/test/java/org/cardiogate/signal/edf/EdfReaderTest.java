package org.cardiogate.signal.edf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdfReaderTest {
    @TempDir
    Path tmp;

    private Path valid;
    private byte[] bytes;
    /** Header 4 * 256 bytes (ECG, PPG, annotations); records of 2 * (10 + 2) + 128 bytes. */
    private static final int HEADER = 1024;
    private static final int RECORD = 2 * 12 + 128;
    private static final int NS = 3;

    @BeforeEach
    void writeAValidFile() throws IOException {
        valid = tmp.resolve("valid.edf");
        try (EdfWriter w = EdfWriter.create(valid, EdfRecordingSpec.of(EdfRoundTripTest.START, 1.0,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 10), new EdfSignalSpec("PPG", "", "au", 0, 1000, 0, 1000, "", 2))), 0)) {
            for (int r = 0; r < 5; r++) {
                w.annotate(r + 0.5, Double.NaN, "N");
                double[] ecg = new double[10];
                Arrays.fill(ecg, r);
                w.writeSamples(0, ecg, 0, 10);
                w.writeSamples(1, new double[] {10 * r, 10 * r + 5}, 0, 2);
            }
        }
        bytes = Files.readAllBytes(valid);
        assertThat(bytes.length).isEqualTo(HEADER + 5 * RECORD);
    }

    private Path variant(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    private Path withField(String name, int pos, int width, String value) throws IOException {
        byte[] b = bytes.clone();
        EdfFields.put(b, pos, width, value);
        return variant(name, b);
    }

    @Test
    void readsTheValidFile() throws IOException {
        EdfFile f = EdfReader.read(valid);
        assertThat(f.dataRecords()).isEqualTo(5);
        assertThat(f.signalCount()).isEqualTo(2);
        assertThat(f.physical(1)).containsExactly(0, 5, 10, 15, 20, 25, 30, 35, 40, 45);
        assertThat(f.annotations()).extracting(EdfAnnotation::onsetSeconds).containsExactly(0.5, 1.5, 2.5, 3.5, 4.5);
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void rejectsAFileShorterThanTheFixedHeader() throws IOException {
        Path p = variant("short.edf", Arrays.copyOf(bytes, 100));
        assertThatThrownBy(() -> EdfReader.read(p)).isInstanceOf(EdfFormatException.class)
                .hasMessage(p + ": file is 100 bytes, shorter than the 256-byte EDF header");
    }

    @Test
    void rejectsAFileTruncatedInsideTheSignalHeaders() throws IOException {
        Path p = variant("cut.edf", Arrays.copyOf(bytes, 600));
        assertThatThrownBy(() -> EdfReader.read(p)).isInstanceOf(EdfFormatException.class)
                .hasMessage(p + ": file is 600 bytes, shorter than its 1024-byte header for 3 signals");
    }

    @Test
    void rejectsASignalCountThatDisagreesWithTheHeaderSize() throws IOException {
        Path p = withField("count.edf", 252, 4, "4");
        assertThatThrownBy(() -> EdfReader.read(p)).isInstanceOf(EdfFormatException.class)
                .hasMessage(p + ": header size field is 1024 bytes but 4 signals need 1280");
        Path zero = withField("zero.edf", 252, 4, "0");
        assertThatThrownBy(() -> EdfReader.read(zero)).hasMessage(zero + ": number of signals is 0, must be at least 1");
    }

    @Test
    void rejectsNumberFieldsThatAreNotNumbers() throws IOException {
        Path p = withField("physmin.edf", 256 + 104 * NS + 8, 8, "abc");
        assertThatThrownBy(() -> EdfReader.read(p)).isInstanceOf(EdfFormatException.class)
                .hasMessage(p + ": signal 1 ('PPG') physical minimum 'abc' is not a number");
        Path q = withField("records.edf", 236, 8, "12x");
        assertThatThrownBy(() -> EdfReader.read(q)).isInstanceOf(EdfFormatException.class)
                .hasMessage(q + ": number of data records '12x' is not an integer");
        Path r = withField("spr.edf", 256 + 216 * NS, 8, "ten");
        assertThatThrownBy(() -> EdfReader.read(r)).isInstanceOf(EdfFormatException.class)
                .hasMessage(r + ": signal 0 ('ECG') samples per data record 'ten' is not an integer");
    }

    @Test
    void rejectsInconsistentSignalFields() throws IOException {
        Path p = withField("digital.edf", 256 + 120 * NS, 8, "40000");
        assertThatThrownBy(() -> EdfReader.read(p)).isInstanceOf(EdfFormatException.class)
                .hasMessageStartingWith(p + ": signal 'ECG': digital minimum 40000 and maximum 32767 must satisfy");
    }

    @Test
    void rejectsAWrongVersionAndABadStartDate() throws IOException {
        Path p = withField("version.edf", 0, 8, "1");
        assertThatThrownBy(() -> EdfReader.read(p)).hasMessage(p + ": version field '1' is not '0'; not an EDF file");
        Path d = withField("date.edf", 168, 8, "31.02.26");
        assertThatThrownBy(() -> EdfReader.read(d)).isInstanceOf(EdfFormatException.class)
                .hasMessageStartingWith(d + ": start date '31.02.26' time '09.26.53': ");
    }

    @Test
    void rejectsAMalformedTal() throws IOException {
        byte[] b = bytes.clone();
        int ann = HEADER + RECORD + 24;
        assertThat(new String(b, ann, 5, StandardCharsets.US_ASCII)).isEqualTo("+1\u0014\u0014\0");
        b[ann + 5] = 'x';
        Path p = variant("tal.edf", b);
        assertThatThrownBy(() -> EdfReader.read(p)).isInstanceOf(EdfFormatException.class)
                .hasMessage(p + ": data record 1, annotation byte 5: TAL onset 'x1.5' is not a signed decimal number");
        b = bytes.clone();
        b[ann] = 'N';
        Path q = variant("timekeeping.edf", b);
        assertThatThrownBy(() -> EdfReader.read(q)).isInstanceOf(EdfFormatException.class)
                .hasMessage(q + ": data record 1, annotation byte 0: TAL onset 'N1' is not a signed decimal number");
        b = bytes.clone();
        assertThat(new String(b, ann + 5, 8, StandardCharsets.US_ASCII)).isEqualTo("+1.5\u0014N\u0014\0");
        Arrays.fill(b, ann + 11, ann + 128, (byte) 'N');
        Path r = variant("unterminated.edf", b);
        assertThatThrownBy(() -> EdfReader.read(r)).isInstanceOf(EdfFormatException.class)
                .hasMessage(r + ": data record 1, annotation byte 5: annotation text not terminated by 0x14");
        b = bytes.clone();
        b[ann + 3] = 0;
        b[ann + 4] = 0;
        Path s = variant("notimekeeping.edf", b);
        assertThatThrownBy(() -> EdfReader.read(s)).isInstanceOf(EdfFormatException.class)
                .hasMessage(s + ": data record 1 does not start with a time-keeping TAL (onset followed by an empty"
                        + " annotation)");
    }

    @Test
    void derivesTheRecordCountFromTheFileSizeWhenTheHeaderSaysMinusOne() throws IOException {
        byte[] b = Arrays.copyOf(bytes, bytes.length + 100);
        EdfFields.put(b, 236, 8, "-1");
        EdfFile f = EdfReader.read(variant("minus1.edf", b));
        assertThat(f.declaredDataRecords()).isEqualTo(-1);
        assertThat(f.dataRecords()).isEqualTo(5);
        assertThat(f.recordCountRepaired()).isTrue();
        assertThat(f.warnings()).containsExactly(
                "header says -1 data records; 5 complete records found from the file size",
                "100 bytes after data record 5 ignored (0 complete and 100 bytes of a partial record)");
        assertThat(f.physical(0)).hasSize(50);
    }

    @Test
    void derivesTheRecordCountWhenTheHeaderClaimsMoreThanTheFileHolds() throws IOException {
        byte[] b = Arrays.copyOf(bytes, HEADER + 3 * RECORD + 7);
        EdfFile f = EdfReader.read(variant("claims.edf", b));
        assertThat(f.declaredDataRecords()).isEqualTo(5);
        assertThat(f.dataRecords()).isEqualTo(3);
        assertThat(f.recordCountRepaired()).isTrue();
        assertThat(f.physical(1)).containsExactly(0, 5, 10, 15, 20, 25);
        assertThat(f.annotations()).hasSize(3);
    }

    @Test
    void trustsTheHeaderCountWhenTheWriterDiedBeforeUpdatingIt() throws IOException {
        EdfFile f = EdfReader.read(withField("behind.edf", 236, 8, "4"));
        assertThat(f.dataRecords()).isEqualTo(4);
        assertThat(f.recordCountRepaired()).isFalse();
        assertThat(f.warnings()).containsExactly(
                RECORD + " bytes after data record 4 ignored (1 complete and 0 bytes of a partial record)");
    }

    @Test
    void readsPlainEdfWithoutAnnotations() throws IOException {
        int ns = 1;
        byte[] b = new byte[256 * (ns + 1) + 3 * 4];
        EdfFields.put(b, 0, 512, "");
        EdfFields.put(b, 0, 8, "0");
        EdfFields.put(b, 8, 80, "patient 7");
        EdfFields.put(b, 88, 80, "bench test");
        EdfFields.put(b, 168, 8, "01.02.03");
        EdfFields.put(b, 176, 8, "04.05.06");
        EdfFields.put(b, 184, 8, "512");
        EdfFields.put(b, 192, 44, "");
        EdfFields.put(b, 236, 8, "3");
        EdfFields.put(b, 244, 8, "0.5");
        EdfFields.put(b, 252, 4, "1");
        EdfFields.put(b, 256, 16, "Resp");
        EdfFields.put(b, 272, 80, "belt");
        EdfFields.put(b, 352, 8, "");
        EdfFields.put(b, 360, 8, "-100");
        EdfFields.put(b, 368, 8, "100");
        EdfFields.put(b, 376, 8, "-2048");
        EdfFields.put(b, 384, 8, "2047");
        EdfFields.put(b, 392, 80, "");
        EdfFields.put(b, 472, 8, "2");
        EdfFields.put(b, 480, 32, "");
        short[] samples = {-2048, 2047, 0, 1, -1, 1000};
        for (int i = 0; i < samples.length; i++) {
            b[512 + 2 * i] = (byte) samples[i];
            b[513 + 2 * i] = (byte) (samples[i] >> 8);
        }
        EdfFile f = EdfReader.read(variant("plain.edf", b));
        assertThat(f.isEdfPlus()).isFalse();
        assertThat(f.patientIdentification()).isEqualTo("patient 7");
        assertThat(f.startDateTime()).isEqualTo(LocalDateTime.of(2003, 2, 1, 4, 5, 6));
        assertThat(f.samplingFrequency(0)).isEqualTo(4.0);
        assertThat(f.digital(0)).containsExactly(-2048, 2047, 0, 1, -1, 1000);
        assertThat(f.physical(0)[0]).isEqualTo(-100.0);
        assertThat(f.physical(0)[1]).isEqualTo(100.0);
        assertThat(f.recordOnsetSeconds(2)).isEqualTo(1.0);
        assertThat(f.annotations()).isEmpty();
    }

    @Test
    void rejectsAnEdfPlusFileWithoutAnAnnotationsSignal() throws IOException {
        Path p = withField("noann.edf", 256 + 16 * 2, 16, "Resp");
        assertThatThrownBy(() -> EdfReader.read(p)).isInstanceOf(EdfFormatException.class)
                .hasMessage(p + ": EDF+ file (EDF+C) without an EDF Annotations signal");
    }

    @Test
    void appendingToTheValidFileKeepsItReadable() throws IOException {
        Files.write(valid, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertThat(EdfReader.read(valid).dataRecords()).isEqualTo(5);
    }
}
