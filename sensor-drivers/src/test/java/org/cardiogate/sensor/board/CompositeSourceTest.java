package org.cardiogate.sensor.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.ads129x.Ads129xDriver;
import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.emulator.Ads129xEmulator;
import org.cardiogate.sensor.emulator.ArrayFeed;
import org.cardiogate.sensor.emulator.HostClockFeed;
import org.cardiogate.sensor.emulator.Max30102Emulator;
import org.cardiogate.sensor.emulator.SimulatorFeed;
import org.cardiogate.sensor.max3010x.Max30102Config;
import org.cardiogate.sensor.max3010x.Max30102Driver;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.StreamDescriptor;
import org.junit.jupiter.api.Test;

class CompositeSourceTest {

    static Ads129xDriver ecg(Scenario s, String streamId) {
        double[][] mv = new double[2][];
        mv[0] = new double[] {0.5, -0.25, 1.0};
        mv[1] = new double[] {-1.0, 0.75, 0.0};
        Ads129xEmulator chip = new Ads129xEmulator(Ads129xModel.ADS1292R, s.time, new ArrayFeed(mv), 0, 3);
        return new Ads129xDriver(Ads129xConfig.defaults(Ads129xModel.ADS1292R, streamId), chip, chip.dataReadyLine(),
                s.time, new EventLog());
    }

    static Max30102Driver ppg(Scenario s, String streamId) {
        SimulatorConfig sim = SimulatorConfig.defaults().withRates(2000, 2000, 2000);
        HostClockFeed feed = new HostClockFeed(new SimulatorFeed(new PhysiologySimulator(sim), Modality.PPG,
                new double[][] {{1, 0}, {0, 1}}, new double[2]), 2000, s.time.nanoTime());
        Max30102Emulator chip = new Max30102Emulator(s.time, feed, 0);
        feed.bind(chip::sampleNanos);
        return new Max30102Driver(Max30102Config.defaults(streamId), chip, s.time, new EventLog());
    }

    @Test
    void rejectsTwoPartsProducingTheSameStreamIdNamingBoth() {
        try (Scenario s = new Scenario()) {
            Ads129xDriver a = ecg(s, "ecg");
            Max30102Driver b = ppg(s, "ecg");
            assertThatThrownBy(() -> new CompositeSource(List.of(a, b)))
                    .hasMessageContaining("'ecg'").hasMessageContaining("Ads129xDriver")
                    .hasMessageContaining("Max30102Driver");
            a.close();
            b.close();
        }
    }

    @Test
    void listsEveryPartsStreamsAndNamesThemWhenAskedForAnUnknownOne() {
        try (Scenario s = new Scenario()) {
            Ads129xDriver a = ecg(s, "chest");
            Max30102Driver b = ppg(s, "finger");
            try (CompositeSource c = new CompositeSource(List.of(a, b))) {
                assertThat(c.streams().stream().map(StreamDescriptor::streamId).toList())
                        .containsExactly("chest", "finger");
                assertThat(c.ring("chest")).isSameAs(a.ring("chest"));
                assertThat(c.ring("finger")).isSameAs(b.ring("finger"));
                assertThatThrownBy(() -> c.ring("ecg")).hasMessageContaining("'ecg'")
                        .hasMessageContaining("[chest, finger]");
            }
        }
    }

    @Test
    void startsEveryPartAndClosingStopsAllTheirThreads() {
        try (Scenario s = new Scenario()) {
            Ads129xDriver a = ecg(s, "ecg");
            Max30102Driver b = ppg(s, "ppg");
            CompositeSource c = new CompositeSource(List.of(a, b));
            Capture ca = new Capture(c.ring("ecg"), 2);
            Capture cb = new Capture(c.ring("ppg"), 2);
            c.start();
            assertThat(s.time.parties()).isEqualTo(3);
            s.runFor(1);
            ca.drain();
            cb.drain();
            assertThat(ca.n).isGreaterThan(450);
            assertThat(cb.n).isGreaterThan(80);
            c.close();
            c.close();
            assertThat(s.time.parties()).as("only the test thread still counts on the time").isEqualTo(1);
            assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aPartThatFailsToStartClosesEveryPart() {
        try (Scenario s = new Scenario()) {
            Ads129xDriver a = ecg(s, "ecg");
            Max30102Driver b = ppg(s, "ppg");
            b.start();
            CompositeSource c = new CompositeSource(List.of(a, b));
            assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ppg: already started");
            assertThat(s.time.parties()).isEqualTo(1);
            assertThatThrownBy(a::start).as("a was closed").isInstanceOf(IllegalStateException.class);
        }
    }
}
