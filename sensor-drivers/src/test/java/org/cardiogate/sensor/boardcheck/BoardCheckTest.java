package org.cardiogate.sensor.boardcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.emulator.VirtualTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BoardCheckTest {

    @ParameterizedTest
    @EnumSource(Ads129xModel.class)
    void measuresAnEmulatedBoardAndWritesAnHtmlReport(Ads129xModel model) throws Exception {
        VirtualTime time = new VirtualTime(0);
        BoardSpec spec = BoardSpec.parse(model.name().toLowerCase() + "@emulated,drift=150");
        BoardCheck check = new BoardCheck(spec.factory(time), time, 4);
        BoardReport r = check.run(Ads129xConfig.defaults(model, "ecg"));
        System.out.printf("%s emulated: rate %.4f SPS (%+.1f ppm), noise ch0 %.3f uV rms %.3f uV p-p,"
                + " test amplitude %.4f mV (datasheet %.4f)%n", model, r.measuredRateHz(), r.ratePpm(),
                r.noiseMicrovoltsRms()[0], r.noiseMicrovoltsPp()[0], r.testAmplitudeMv()[0], r.testExpectedMv());
        assertThat(r.failures()).isEmpty();
        assertThat(r.registers()[0]).isEqualTo(model.deviceId());
        assertThat(r.ratePpm()).isBetween(148.0, 152.0);
        // the emulator's shorted input has 1.0 uV rms noise; quantisation at gain 6 adds 0.014 uV
        assertThat(r.noiseMicrovoltsRms()[0]).isBetween(0.9, 1.1);
        assertThat(r.testAmplitudeMv()[0]).isCloseTo(r.testExpectedMv(), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(r.leadOffMask()).isZero();
        Path out = Path.of("target", "board-check-" + model + ".html");
        r.writeHtml(out);
        String html = Files.readString(out);
        assertThat(html).contains("<svg", "polyline", "PASS", String.format("0x%02X", model.deviceId()));
    }

    @Test
    void spectrumFindsASineAtItsFrequencyAndAmplitude() {
        double[] x = new double[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5 * Math.sin(2 * Math.PI * 50.0 * i / 512.0);
        }
        double[] a = BoardReport.amplitudeSpectrum(x);
        int peak = 0;
        for (int k = 1; k < a.length; k++) {
            if (a[k] > a[peak]) {
                peak = k;
            }
        }
        assertThat(peak * 512.0 / 4096).isEqualTo(50.0);
        assertThat(a[peak]).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void rejectsMalformedBoardSpecsNamingThePart() {
        assertThatThrownBy(() -> BoardSpec.parse("ads1299@emulated")).hasMessageContaining("unknown chip 'ads1299'");
        assertThatThrownBy(() -> BoardSpec.parse("ads1292r@/dev/spi0")).hasMessageContaining("/dev/spidevB.C");
        assertThatThrownBy(() -> BoardSpec.parse("ads1292r@/dev/spidev0.0")).hasMessageContaining("needs drdy=");
        BoardSpec s = BoardSpec.parse("ads1298@/dev/spidev1.2,drdy=gpiochip4:17,baud=2000000");
        assertThat(s).isEqualTo(new BoardSpec(Ads129xModel.ADS1298, false, 1, 2, "gpiochip4", 17, 2_000_000, 0));
    }
}
