package org.cardiogate.signal.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WfdbHeaderTest {

    @Test
    void readsGainWithBaselineAndUnitsFromSignalLine() throws Exception {
        WfdbHeader h = WfdbHeader.parse("data 1 200 47201\ndata.dat 16 30061.27(-161790)/mV 16 0 -161790 12345 0 ECG\n",
                "data.hea");
        WfdbSignalSpec s = h.signal(0);
        assertThat(s.fileName()).isEqualTo("data.dat");
        assertThat(s.format()).isEqualTo(16);
        assertThat(s.adcGain()).isEqualTo(30061.27);
        assertThat(s.baseline()).isEqualTo(-161790);
        assertThat(s.units()).isEqualTo("mV");
        assertThat(s.adcResolution()).isEqualTo(16);
        assertThat(s.adcZero()).isZero();
        assertThat(s.initialValue()).isEqualTo(-161790);
        assertThat(s.checksum()).isEqualTo(12345);
        assertThat(s.checksumPresent()).isTrue();
        assertThat(s.blockSize()).isZero();
        assertThat(s.description()).isEqualTo("ECG");
        assertThat(s.toPhysical(-161790)).isZero();
        assertThat(s.toPhysical(-161790 + 30061)).isCloseTo(30061 / 30061.27, within(1e-12));
    }

    @Test
    void takesBaselineFromAdcZeroWhenGainHasNoBaseline() throws Exception {
        WfdbHeader h = WfdbHeader.parse("""
                100 2 360 650000
                100.dat 212 200 11 1024 995 -22131 0 MLII
                100.dat 212 200 11 1024 1011 20052 0 V5
                # 69 M 1085 1629 x1
                # Aldomet, Inderal
                """, "100.hea");
        assertThat(h.recordName()).isEqualTo("100");
        assertThat(h.samplingFrequency()).isEqualTo(360.0);
        assertThat(h.counterFrequency()).isEqualTo(360.0);
        assertThat(h.sampleCount()).isEqualTo(650000);
        assertThat(h.baseTime()).isNull();
        assertThat(h.signals()).extracting(WfdbSignalSpec::description).containsExactly("MLII", "V5");
        assertThat(h.signal(0).baseline()).isEqualTo(1024);
        assertThat(h.signal(0).adcResolution()).isEqualTo(11);
        assertThat(h.signal(1).checksum()).isEqualTo(20052);
        assertThat(h.comments()).containsExactly("69 M 1085 1629 x1", "Aldomet, Inderal");
        assertThat(h.signal(0).toPhysical(1224)).isEqualTo(1.0);
        assertThat(h.signal(0).toDigital(-0.145)).isEqualTo(995);
    }

    @Test
    void defaultsMissingFieldsAsTheWfdbLibraryDoes() throws Exception {
        WfdbHeader h = WfdbHeader.parse("rec 2\nrec.dat 16\nrec.dat 16 0 12 7\n", "rec.hea");
        assertThat(h.samplingFrequency()).isEqualTo(250.0);
        assertThat(h.sampleCount()).isZero();
        WfdbSignalSpec a = h.signal(0);
        assertThat(a.adcGain()).isEqualTo(200.0);
        assertThat(a.baseline()).isZero();
        assertThat(a.units()).isEqualTo("mV");
        assertThat(a.adcResolution()).isEqualTo(16);
        assertThat(a.initialValue()).isZero();
        assertThat(a.checksumPresent()).isFalse();
        assertThat(a.description()).isEmpty();
        WfdbSignalSpec b = h.signal(1);
        assertThat(b.adcGain()).as("gain 0 means the default 200").isEqualTo(200.0);
        assertThat(b.adcZero()).isEqualTo(7);
        assertThat(b.baseline()).isEqualTo(7);
        assertThat(b.initialValue()).isEqualTo(7);
    }

    @Test
    void readsCounterFrequencyBaseCounterTimeDateAndFormatModifiers() throws Exception {
        WfdbHeader h = WfdbHeader.parse("sel100 2 250/360(12.5) 225000 10:20:30 01/02/2003\n"
                + "sel100.dat 16x2:3+512 100(5)/uV 16 0 1 2 0 ECG lead II\n"
                + "sel100.dat\t16 100/mmHg\n", "sel100.hea");
        assertThat(h.samplingFrequency()).isEqualTo(250.0);
        assertThat(h.counterFrequency()).isEqualTo(360.0);
        assertThat(h.baseCounter()).isEqualTo(12.5);
        assertThat(h.baseTime()).isEqualTo("10:20:30");
        assertThat(h.baseDate()).isEqualTo("01/02/2003");
        WfdbSignalSpec s = h.signal(0);
        assertThat(s.samplesPerFrame()).isEqualTo(2);
        assertThat(s.skew()).isEqualTo(3);
        assertThat(s.byteOffset()).isEqualTo(512);
        assertThat(s.units()).isEqualTo("uV");
        assertThat(s.description()).isEqualTo("ECG lead II");
        assertThat(h.signal(1).units()).isEqualTo("mmHg");
        assertThat(h.signal(1).baseline()).isZero();
        assertThat(h.signalIndex("ECG lead II")).isZero();
    }

    @Test
    void rejectsGainThatIsNotANumberNamingFileAndLine() {
        assertThatThrownBy(() -> WfdbHeader.parse("100 1 360 10\n100.dat 212 abc 11 1024 0 0 0 MLII\n", "/x/100.hea"))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessage("/x/100.hea line 2: gain 'abc' is not a number");
    }

    @Test
    void rejectsBadNumbersInEveryPositionalField() {
        String[][] cases = {
                {"r 1 fast 10\nr.dat 16\n", "line 1: sampling frequency 'fast' is not a number"},
                {"r two 360 10\nr.dat 16\n", "line 1: signal count 'two' is not an integer"},
                {"r 1 360 1e3\nr.dat 16\n", "line 1: sample count '1e3' is not an integer"},
                {"r 1 360 10\nr.dat sixteen\n", "line 2: format 'sixteen' is not a format specification"},
                {"r 1 360 10\nr.dat 16 200(x)\n", "line 2: baseline 'x' is not an integer"},
                {"r 1 360 10\nr.dat 16 200 12 0 0 sum\n", "line 2: checksum 'sum' is not an integer"},
                {"r 1 360 10\nr.dat 16 NaN\n", "line 2: gain 'NaN' is not a number"},
                {"r 1 -5 10\nr.dat 16\n", "line 1: sampling frequency '-5' must be positive"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> WfdbHeader.parse(c[0], "r.hea")).as(c[0])
                    .isInstanceOf(WfdbFormatException.class).hasMessageStartingWith("r.hea " + c[1]);
        }
    }

    @Test
    void rejectsMultiSegmentHeaders() {
        assertThatThrownBy(() -> WfdbHeader.parse("multi/3 2 360 1000\nseg1 500\nseg2 500\n~ 0\n", "multi.hea"))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("multi.hea line 1")
                .hasMessageContaining("multi-segment records are not supported");
    }

    @Test
    void rejectsMissingAndExtraSignalLines() {
        assertThatThrownBy(() -> WfdbHeader.parse("r 2 360 10\nr.dat 16\n# only one\n", "r.hea"))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessage("r.hea: record line says 2 signals but 1 signal specification line(s) follow");
        assertThatThrownBy(() -> WfdbHeader.parse("r 1 360 10\nr.dat 16\nr.dat 16\n", "r.hea"))
                .isInstanceOf(WfdbFormatException.class).hasMessageStartingWith("r.hea line 3: unexpected line");
        assertThatThrownBy(() -> WfdbHeader.parse("# nothing\n\n", "r.hea"))
                .isInstanceOf(WfdbFormatException.class).hasMessageContaining("no record line");
    }

    @Test
    void headerTextParsesBackToTheSameHeader() throws Exception {
        WfdbHeader h = WfdbHeader.parse("""
                data_101_6 2 200/1000(3) 22355 12:00:00 01/01/2021
                data_101_6.dat 16 30061.276794035417(-161790)/mV 16 0 -10581 64292 0 I
                data_101_6.dat 16+4 27477.561608300908(-138693)/mV 16 0 -1992 36235 0 lead two
                # paroxysmal atrial fibrillation
                """, "a.hea");
        assertThat(WfdbHeader.parse(h.toHeaderText(), "b.hea")).isEqualTo(h);
    }

    @Test
    void convertsPhysicalToDigitalAndBackWithinHalfAnAdcUnit() {
        WfdbSignalSpec s = new WfdbSignalSpec("x.dat", 16, 1, 0, 0, 30061.276794035417, -161790, "mV", 16, 0, 0, 0,
                true, 0, "I");
        for (int d = -32768; d <= 32767; d += 97) {
            assertThat(s.toDigital(s.toPhysical(d))).isEqualTo(d);
        }
        assertThat(s.toPhysical(s.toDigital(1.2345))).isCloseTo(1.2345, within(0.5 / s.adcGain()));
        assertThat(s.toDigital(1e300)).isEqualTo(Integer.MAX_VALUE);
    }
}
