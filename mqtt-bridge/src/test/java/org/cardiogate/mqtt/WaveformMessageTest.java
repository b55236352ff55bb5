package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.junit.jupiter.api.Test;

class WaveformMessageTest {
    static final StreamDescriptor ECG = new StreamDescriptor("ecg", "simulator", Modality.ECG,
            List.of(new Channel("I", "mV"), new Channel("II", "mV"), new Channel("V1", "mV")), 500);

    @Test
    void roundTripsABlockWithinHalfAQuantisationStep() {
        SampleBlock block = new SampleBlock(ECG, 25);
        block.begin(360_000, 720_000_000_000L);
        for (int i = 0; i < 25; i++) {
            block.append(new double[] {Math.sin(i * 0.3) * 1.7, 0.25 + i * 1e-3, i == 7 ? Double.NaN : -3.0});
        }
        byte[] message = WaveformMessage.encode("bed-9".getBytes(StandardCharsets.UTF_8), block, 1_795_000_000_123L);
        WaveformMessage.setSeq(message, 4242);
        assertThat(message).hasSize(47 + 2 + 5 + 3 + 16 * 3 + 2 * 3 * 25);
        assertThat(message[0]).isEqualTo((byte) 'C');
        assertThat(message[1]).isEqualTo((byte) 'W');

        WaveformMessage w = WaveformMessage.decode(message);
        assertThat(w.gatewayId()).isEqualTo("bed-9");
        assertThat(w.streamId()).isEqualTo("ecg");
        assertThat(w.seq()).isEqualTo(4242);
        assertThat(w.firstSample()).isEqualTo(360_000);
        assertThat(w.timestampNanos()).isEqualTo(720_000_000_000L);
        assertThat(w.wallMillis()).isEqualTo(1_795_000_000_123L);
        assertThat(w.sampleRateHz()).isEqualTo(500);
        assertThat(w.channelCount()).isEqualTo(3);
        assertThat(w.length()).isEqualTo(25);
        double step0 = 2 * 1.7 / 65534;
        for (int i = 0; i < 25; i++) {
            assertThat(w.samples()[0][i]).isCloseTo(Math.sin(i * 0.3) * 1.7, within(step0));
            assertThat(w.samples()[1][i]).isCloseTo(0.25 + i * 1e-3, within(0.024 / 65534 + 1e-12));
        }
        assertThat(Double.isNaN(w.samples()[2][7])).as("NaN travels as no value").isTrue();
        assertThat(w.samples()[2][0]).as("a constant channel is exact").isEqualTo(-3.0);
    }

    @Test
    void refusesBytesThatAreNotAWaveformNamingTheProblem() {
        assertThatThrownBy(() -> WaveformMessage.decode(new byte[10])).hasMessageContaining("shorter than its");
        byte[] wrong = new byte[60];
        assertThatThrownBy(() -> WaveformMessage.decode(wrong)).hasMessageContaining("magic 'CW'");
        SampleBlock block = new SampleBlock(ECG, 4);
        block.begin(0, 0);
        block.setLength(4);
        byte[] ok = WaveformMessage.encode(new byte[] {'g'}, block, 0);
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 1);
        assertThatThrownBy(() -> WaveformMessage.decode(cut)).hasMessageContaining("must be " + ok.length + " bytes");
    }
}
