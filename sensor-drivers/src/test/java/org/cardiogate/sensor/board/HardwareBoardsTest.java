package org.cardiogate.sensor.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongUnaryOperator;

import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig;
import org.cardiogate.sensor.max86150.Max86150Driver;
import org.cardiogate.sensor.serial.CytonBoardSource;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The production wiring path ({@link HardwareBoards}) on emulated buses: the configured chips become the configured
 * streams with the right data; wiring mistakes become the technical events a real board gives; the Pi4J path names a
 * missing device node; bad wiring is refused naming the field.
 */
class HardwareBoardsTest {
    static final SimulatorConfig PATIENT = SimulatorConfig.defaults().withSeed(11);

    /** ADS1298 on spidev0.0 with DRDY on GPIO 25, MAX30102 and MAX86150 and LSM6DSO (SA0 high) on i2c-1. */
    static BoardWiring everyChip() {
        return new BoardWiring(null,
                new BoardWiring.Ads129xWiring(Ads129xModel.ADS1298, null, 0, 0, null, 25, null, null, null),
                new BoardWiring.Max30102Wiring(null, 1, null, null, null),
                new BoardWiring.Max86150Wiring("ecg-finger", "ppg-finger", null, null, 1, null, null, null, null),
                new BoardWiring.Lsm6dsoWiring(null, 1, 0x6B, null, null, null),
                null);
    }

    static Capture[] run(Scenario s, CompositeSource board, double seconds) {
        Capture[] caps = new Capture[board.streams().size()];
        for (int i = 0; i < caps.length; i++) {
            StreamDescriptor d = board.streams().get(i);
            caps[i] = new Capture(board.ring(d.streamId()), d.channelCount());
        }
        board.start();
        for (long k = Math.round(seconds / 0.05); k > 0; k--) {
            s.runFor(0.05);
            for (Capture c : caps) {
                c.drain();
            }
        }
        return caps;
    }

    /** The simulator frame a chip sample taken at host time {@code t} holds (as {@code HostClockFeed} picks it). */
    static int frameAt(EmulatedBuses buses, long t) {
        return (int) Math.max(0, Math.round((t - buses.originNanos()) * 1e-9 * EmulatedBoards.SIMULATOR_RATE_HZ));
    }

    static void assertContiguous(Capture c, String name, int atLeast) {
        assertThat(c.n).as(name + " samples").isGreaterThanOrEqualTo(atLeast);
        for (int i = 0; i < c.n; i++) {
            if (c.seq[i] != i) {
                throw new AssertionError(name + ": sample " + i + " has sequence " + c.seq[i]);
            }
        }
    }

    @Test
    void everyWiredChipBecomesItsStreamWithTheSimulatedPatientsData() {
        BoardWiring wiring = everyChip();
        double seconds = 5;
        double rate = EmulatedBoards.SIMULATOR_RATE_HZ;
        SimulatorConfig sim = PATIENT.withRates(rate, rate, rate);
        int frames = (int) ((seconds + 1) * rate);
        SampleBlock ecgTruth = new SampleBlock(new PhysiologySimulator(sim).ecgStream(), frames);
        new PhysiologySimulator(sim).fill(ecgTruth);
        SampleBlock ppgTruth = new SampleBlock(new PhysiologySimulator(sim).ppgStream(), frames);
        new PhysiologySimulator(sim).fill(ppgTruth);
        SampleBlock scgTruth = new SampleBlock(new PhysiologySimulator(sim).scgStream(), frames);
        new PhysiologySimulator(sim).fill(scgTruth);

        EventLog events = new EventLog();
        try (Scenario s = new Scenario()) {
            EmulatedBuses buses = new EmulatedBuses(wiring, PATIENT, s.time, 0);
            try (CompositeSource board = HardwareBoards.open(wiring, buses, s.time, events)) {
                assertThat(buses.opened()).containsExactly("spi0.0 mode 1 at 4000000 Hz", "drdy gpio 25",
                        "i2c-1 0x57", "i2c-1 0x5E", "i2c-1 0x6B");
                List<StreamDescriptor> streams = board.streams();
                assertThat(streams).extracting(StreamDescriptor::streamId)
                        .containsExactlyElementsOf(wiring.streamIds())
                        .containsExactly("ecg", "ppg", "ecg-finger", "ppg-finger", "scg");
                assertThat(streams).extracting(StreamDescriptor::modality).containsExactly(Modality.ECG, Modality.PPG,
                        Modality.ECG, Modality.PPG, Modality.SCG);
                assertThat(streams).extracting(StreamDescriptor::nominalRateHz).containsExactly(500.0, 100.0, 200.0,
                        200.0, 40_000.0 / 48);
                assertThat(streams.get(0).channels()).extracting(Channel::name)
                        .containsExactly("I", "II", "V1", "V2", "V3", "V4", "V5", "V6");
                assertThat(streams.get(1).channels()).extracting(Channel::name).containsExactly("red", "ir");
                assertThat(streams.get(2).channels()).containsExactly(new Channel("I", "mV"));
                assertThat(streams.get(3).channels()).extracting(Channel::name).containsExactly("ir", "red");
                assertThat(streams.get(4).channels()).containsExactly(new Channel("z", "mg"));

                Capture[] caps = run(s, board, seconds);
                assertContiguous(caps[0], "ecg", 2400);
                assertContiguous(caps[1], "ppg", 440);
                assertContiguous(caps[2], "ecg-finger", 940);
                assertContiguous(caps[3], "ppg-finger", 940);
                assertContiguous(caps[4], "scg", 4000);

                double adsLsb = Ads129xModel.ADS1298.lsbMillivolts(6);
                check(caps[0], buses.ads129x()::conversionNanos, buses, i -> Math.rint(ecgTruth.get(0, i) / adsLsb)
                        * adsLsb, "ADS1298 lead I");
                check(caps[1], buses.max30102()::sampleNanos, buses, i -> (double) Math.round(ppgTruth.get(0, i)),
                        "MAX30102 red");
                double maxLsb = ((Max86150Driver) board.parts().get(2)).config().ecgLsbMillivolts();
                check(caps[2], buses.max86150()::sampleNanos, buses, i -> Math.rint(ecgTruth.get(0, i) / maxLsb)
                        * maxLsb, "MAX86150 lead I");
                check(caps[3], buses.max86150()::sampleNanos, buses, i -> (double) Math.round(ppgTruth.get(1, i)),
                        "MAX86150 infrared");
                double mg = Lsm6dsoConfig.defaults("scg").sensitivityMg();
                check(caps[4], buses.lsm6dso()::sampleNanos, buses,
                        i -> Math.round((1000.0 + scgTruth.get(0, i)) / mg) * mg, "LSM6DSO z");
                assertThat(events.all()).isEmpty();
            }
        }
    }

    interface Expected {
        double at(int frame);
    }

    static void check(Capture c, LongUnaryOperator sampleNanos, EmulatedBuses buses, Expected expected, String what) {
        for (int i = 0; i < c.n; i++) {
            int frame = frameAt(buses, sampleNanos.applyAsLong(c.seq[i]));
            assertThat(c.values[0][i]).as("%s, sample %d", what, i).isEqualTo(expected.at(frame));
        }
    }

    @Test
    void aWiringMistakeShowsUpAsTheTechnicalEventOfTheRealBoard() {
        BoardWiring board = everyChip();
        // the configuration says chip select 1 and address 0x58; the board has the ADS1298 on CS 0 and the
        // MAX30102 at 0x57
        BoardWiring mistaken = new BoardWiring(null,
                new BoardWiring.Ads129xWiring(Ads129xModel.ADS1298, null, 0, 1, null, 25, null, null, null),
                new BoardWiring.Max30102Wiring(null, 1, 0x58, null, null), null, null, null);
        EventLog events = new EventLog();
        try (Scenario s = new Scenario()) {
            EmulatedBuses buses = new EmulatedBuses(board, PATIENT, s.time, 0);
            try (CompositeSource source = HardwareBoards.open(mistaken, buses, s.time, events)) {
                source.start();
                s.runFor(1);
            }
        }
        assertThat(events.of(TechnicalEventType.I2C_NACK)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.sensor()).isEqualTo("ppg");
            assertThat(e.detail()).contains("0x58");
        });
        assertThat(events.all()).anyMatch(e -> e.sensor().equals("ecg")
                && e.type() == TechnicalEventType.SPI_ALL_ZEROS);
        assertThat(events.of(TechnicalEventType.RECOVERED)).isEmpty();
    }

    @Test
    void aSerialBoardIsBuiltOnTheProvidersSerialOpener() {
        BoardWiring wiring = new BoardWiring(null, null, null, null, null,
                new BoardWiring.SerialBoardWiring("eeg", "/dev/ttyUSB9", BoardWiring.SerialProtocol.parse("cyton"),
                        null));
        try (Scenario s = new Scenario();
             CompositeSource board = HardwareBoards.open(wiring, new EmulatedBuses(wiring, PATIENT, s.time, 0),
                     s.time, new EventLog())) {
            assertThat(board.parts()).singleElement().isInstanceOf(CytonBoardSource.class);
            assertThat(board.streams()).singleElement().satisfies(d -> {
                assertThat(d.streamId()).isEqualTo("eeg");
                assertThat(d.channelCount()).isEqualTo(8);
                assertThat(d.nominalRateHz()).isEqualTo(250.0);
            });
            assertThat(wiring.serialBoard().baud()).isEqualTo(115_200);
        }
    }

    @Test
    void thePi4jPathNamesTheMissingDeviceNode() {
        assumeThat(Files.exists(Path.of("/dev/i2c-1"))).as("/dev/i2c-1 exists here: real hardware").isFalse();
        assumeThat(Files.exists(Path.of("/dev/spidev0.0"))).as("/dev/spidev0.0 exists here: real hardware").isFalse();
        BoardWiring ppgOnly = new BoardWiring(null, null, new BoardWiring.Max30102Wiring(null, 1, null, null, null),
                null, null, null);
        assertThatThrownBy(() -> HardwareBoards.open(ppgOnly, HostTime.system(), new EventLog()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("max30102: /dev/i2c-1 does not exist");
        assertThatThrownBy(() -> HardwareBoards.open(everyChip(), HostTime.system(), new EventLog()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ads129x: /dev/spidev0.0 does not exist")
                .hasMessageContaining("dtparam=spi=on");
    }

    @Test
    void rejectsBadWiringNamingTheField() {
        assertThatThrownBy(() -> new BoardWiring.Ads129xWiring(Ads129xModel.ADS1298, null, 9, 0, null, 25, null, null,
                null)).hasMessage("ads129x.spiBus must be 0..6, got 9");
        assertThatThrownBy(() -> new BoardWiring.Ads129xWiring(null, null, 0, 0, null, 25, null, null, null))
                .hasMessageStartingWith("ads129x.model is required");
        assertThatThrownBy(() -> new BoardWiring.Ads129xWiring(Ads129xModel.ADS1292R, null, 0, 0, null, 25, 360, null,
                null)).hasMessageStartingWith("ads129x.rateSps 360 is not a ADS1292R rate");
        assertThatThrownBy(() -> new BoardWiring.Ads129xWiring(Ads129xModel.ADS1292R, null, 0, 0, null, 25, null,
                null, List.of("I"))).hasMessageStartingWith("ads129x.leadNames must list 2 names");
        assertThatThrownBy(() -> new BoardWiring.Ads129xWiring(Ads129xModel.ADS1292R, null, 0, 0, 50_000_000, 25,
                null, null, null)).hasMessage("ads129x.spiHz must be 100000..20000000, got 50000000");
        assertThatThrownBy(() -> new BoardWiring.Max30102Wiring(null, 1, null, 120, null))
                .hasMessageStartingWith("max30102.rateHz 120 is not supported");
        assertThatThrownBy(() -> new BoardWiring.Max30102Wiring(null, 1, 0x80, null, null))
                .hasMessage("max30102.address must be a 7-bit I2C address 0x08..0x77, got 0x80");
        assertThatThrownBy(() -> new BoardWiring.Max30102Wiring(null, 1, null, null, 60.0))
                .hasMessageStartingWith("max30102.ledCurrentMa must be 0..51 mA");
        assertThatThrownBy(() -> new BoardWiring.Max86150Wiring(null, null, null, null, 1, null, 3200, null, null))
                .hasMessageStartingWith("max86150.rateSps 3200 is not supported with ECG and PPG");
        assertThatThrownBy(() -> new BoardWiring.Max86150Wiring(null, null, false, false, 1, null, null, null, null))
                .hasMessageStartingWith("max86150.ecg and ppg are both false");
        assertThatThrownBy(() -> new BoardWiring.Max86150Wiring("ecg/1", null, null, null, 1, null, null, null, null))
                .hasMessageStartingWith("max86150.ecgStreamId 'ecg/1' must use only");
        assertThatThrownBy(() -> new BoardWiring.Lsm6dsoWiring(null, 1, 0x6C, null, null, null))
                .hasMessageStartingWith("lsm6dso.address must be 0x6A (SA0 low) or 0x6B (SA0 high), got 0x6C");
        assertThatThrownBy(() -> new BoardWiring.Lsm6dsoWiring(null, 1, null, 800, null, null))
                .hasMessageStartingWith("lsm6dso.odrHz 800");
        assertThatThrownBy(() -> new BoardWiring.SerialBoardWiring(null, " ", BoardWiring.SerialProtocol.FRAMED, null))
                .hasMessageStartingWith("serialBoard.port is required");
        assertThatThrownBy(() -> BoardWiring.SerialProtocol.parse("openbci"))
                .hasMessage("serialBoard.protocol must be cyton or framed, got 'openbci'");
        assertThatThrownBy(() -> new BoardWiring(null, null, null, null, null, null))
                .hasMessageStartingWith("no device is fitted");
        assertThatThrownBy(() -> new BoardWiring("/dev/gpiochip0", null, null, null,
                new BoardWiring.Lsm6dsoWiring(null, 1, null, null, null, null), null))
                .hasMessageStartingWith("gpioChip must be a gpiochip name");
        // across devices: both MAX86150 streams default to ecg/ppg, which the ADS1298 and MAX30102 already use
        assertThatThrownBy(() -> new BoardWiring(null,
                new BoardWiring.Ads129xWiring(Ads129xModel.ADS1298, null, 0, 0, null, 25, null, null, null), null,
                new BoardWiring.Max86150Wiring(null, null, null, null, 1, null, null, null, null), null, null))
                .hasMessage("max86150.ecgStreamId 'ecg' is already the id of ads129x.streamId; give each stream its"
                        + " own id");
        assertThatThrownBy(() -> new BoardWiring(null, null,
                new BoardWiring.Max30102Wiring("ppg-a", 1, 0x6A, null, null), null,
                new BoardWiring.Lsm6dsoWiring(null, 1, null, null, null, null), null))
                .hasMessageStartingWith("lsm6dso.address 0x6A on i2c bus 1 is already taken by max30102");
        // a MAX86150 alone: ECG only at 3200, and the defaults filled in
        BoardWiring.Max86150Wiring ecgOnly = new BoardWiring.Max86150Wiring(null, null, null, false, 0, null, 3200,
                null, null);
        assertThat(ecgOnly.config().ppgEnabled()).isFalse();
        assertThat(ecgOnly.config().fifoRateHz()).isEqualTo(3200.0);
        assertThat(ecgOnly.address()).isEqualTo(0x5E);
        assertThat(new BoardWiring(null, null, null, ecgOnly, null, null).gpioChip()).isEqualTo("gpiochip0");
    }
}
