package org.cardiogate.sensor.board;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardiogate.sensor.SensorSource;
import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.ads129x.Ads129xDriver;
import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.emulator.Ads129xEmulator;
import org.cardiogate.sensor.emulator.AnalogFeed;
import org.cardiogate.sensor.emulator.HostClockFeed;
import org.cardiogate.sensor.emulator.Lsm6dsoEmulator;
import org.cardiogate.sensor.emulator.Max30102Emulator;
import org.cardiogate.sensor.emulator.SimulatorFeed;
import org.cardiogate.sensor.emulator.WfdbFeed;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoDriver;
import org.cardiogate.sensor.max3010x.Max30102Config;
import org.cardiogate.sensor.max3010x.Max30102Driver;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * The lab's bench, emulated at register level: the production {@link Ads129xDriver} (ADS1298, stream
 * {@value #ECG_STREAM}, mV), {@link Max30102Driver} (stream {@value #PPG_STREAM}, channels {@code red} and
 * {@code ir}, ADC counts) and {@link Lsm6dsoDriver} (stream {@value #SCG_STREAM}, channel {@code z}, mg), each on its
 * own acquisition thread against its chip emulator, combined into one {@link SensorSource}.
 *
 * <p>Two ways to feed the chips:
 * <ul>
 * <li>{@link #simulated}: one {@link PhysiologySimulator} configuration (one seed) drives every chip through a
 * {@link HostClockFeed} at {@value #SIMULATOR_RATE_HZ} Hz anchored at the host time of construction, so the three
 * chips see the same heart at the same host time, each at its own rate and oscillator drift. ECG channels are
 * {@code I, II, III} then {@code CH4..CH8} held at 0 mV.</li>
 * <li>{@link #replay}: the ECG of a WFDB record (e.g. MIT-BIH) played into the ADS1298, record signal {@code i} on chip
 * channel {@code i} (named after the record's signal description, e.g. {@code MLII, V5}; the remaining channels
 * {@code CHn} at 0 mV); PPG and SCG come from the simulator and so do not follow the record's beats. 360 Hz is not an
 * ADS1298 rate: the chip converts at {@link EmulatedBoardsConfig#ecgRateSps()} and conversion {@code k} holds record
 * sample {@code floor(k * recordRate / chipRate)} (zero-order hold: every value is a recorded value, quantised to the
 * chip's LSB, none interpolated). A beat found at stream sample {@code k} is therefore compared with the record's
 * annotations through {@link #recordIndexOf(long)}, or by time ({@code k / chipRate} against
 * {@code r / recordRate}); the hold delays each record sample by less than one chip period (2 ms at 500 SPS), so the
 * same R peak lands within one record sample of its annotation's position.</li>
 * </ul>
 *
 * <p>Pass {@link HostTime#system()} for a real-time board, or a {@code VirtualTime} to run faster than real time in
 * tests. Technical events of all three drivers go to the one listener, on their acquisition threads (it must be
 * thread-safe and must not block). Threading otherwise as {@link CompositeSource}; the emulators' fault switches are
 * callable from any thread.
 */
public final class EmulatedBoards implements SensorSource {
    public static final String ECG_STREAM = "ecg";
    public static final String PPG_STREAM = "ppg";
    public static final String SCG_STREAM = "scg";
    /** Rate at which the emulators read the simulator (its maximum); chips take the frame nearest their sample time. */
    public static final double SIMULATOR_RATE_HZ = SimulatorConfig.MAX_RATE_HZ;

    private final EmulatedBoardsConfig config;
    private final Ads129xEmulator ads1298;
    private final Max30102Emulator max30102;
    private final Lsm6dsoEmulator lsm6dso;
    private final Ads129xDriver ecgDriver;
    private final Max30102Driver ppgDriver;
    private final Lsm6dsoDriver scgDriver;
    private final CompositeSource composite;
    private final String recordName;
    private final long recordLength;
    private final double recordRateHz;
    private final long originNanos;

    private EmulatedBoards(EmulatedBoardsConfig config, HostTime time, TechnicalEventListener listener,
                           WfdbRecord record) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(listener, "listener");
        this.originNanos = time.nanoTime();
        SimulatorConfig sim = config.simulator().withRates(SIMULATOR_RATE_HZ, SIMULATOR_RATE_HZ, SIMULATOR_RATE_HZ);
        Ads129xModel model = Ads129xModel.ADS1298;
        int chipChannels = model.channels();

        List<String> names = new ArrayList<>();
        HostClockFeed simulatedEcg = null;
        AnalogFeed ecgFeed;
        if (record == null) {
            names.addAll(List.of("I", "II", "III"));
            simulatedEcg = new HostClockFeed(SimulatorFeed.ecgLeads(new PhysiologySimulator(sim), chipChannels),
                    SIMULATOR_RATE_HZ, originNanos);
            ecgFeed = simulatedEcg;
            recordName = null;
            recordLength = 0;
            recordRateHz = Double.NaN;
        } else {
            int used = Math.min(chipChannels, record.signalCount());
            int[] map = new int[chipChannels];
            for (int c = 0; c < chipChannels; c++) {
                map[c] = c < used ? c : -1;
            }
            for (int c = 0; c < used; c++) {
                String d = record.signal(c).description();
                names.add(d == null || d.isBlank() ? "CH" + (c + 1) : d.strip());
            }
            ecgFeed = new WfdbFeed(record, map, config.ecgRateSps());
            recordName = record.name();
            recordLength = record.length();
            recordRateHz = record.samplingFrequency();
        }
        for (int c = names.size(); c < chipChannels; c++) {
            names.add("CH" + (c + 1));
        }
        ads1298 = new Ads129xEmulator(model, time, ecgFeed, config.ecgDriftPpm(), config.seed());
        if (simulatedEcg != null) {
            simulatedEcg.bind(ads1298::conversionNanos);
        }
        Ads129xConfig d = Ads129xConfig.defaults(model, ECG_STREAM);
        Ads129xConfig ecgConfig = new Ads129xConfig(model, ECG_STREAM, config.ecgRateSps(), config.ecgGain(),
                d.inputs(), names, d.rightLegDrive(), d.leadOffDetection(), d.leadOffCurrentNanoAmps(),
                d.comparatorPercent(), Ads129xConfig.TestSignal.OFF, Math.max(1, config.ecgRateSps() / 50),
                d.ringSlots());
        ecgDriver = new Ads129xDriver(ecgConfig, ads1298, ads1298.dataReadyLine(), time, listener);

        HostClockFeed ppgFeed = new HostClockFeed(new SimulatorFeed(new PhysiologySimulator(sim), Modality.PPG,
                new double[][] {{1, 0}, {0, 1}}, new double[2]), SIMULATOR_RATE_HZ, originNanos);
        max30102 = new Max30102Emulator(time, ppgFeed, config.ppgDriftPpm());
        ppgFeed.bind(max30102::sampleNanos);
        Max30102Config p = Max30102Config.defaults(PPG_STREAM);
        Max30102Config ppgConfig = new Max30102Config(PPG_STREAM, config.ppgRateHz(), p.pulseWidthUs(),
                p.adcRangeNanoAmps(), 1, p.redCurrentMa(), p.irCurrentMa(), p.ringSlots(),
                Math.max(1, config.ppgRateHz() / 10));
        ppgDriver = new Max30102Driver(ppgConfig, max30102, time, listener);

        Lsm6dsoConfig scgConfig = Lsm6dsoConfig.defaults(SCG_STREAM).withOdr(config.scgOdrHz());
        HostClockFeed scgFeed = new HostClockFeed(Lsm6dsoEmulator.scgFeed(new PhysiologySimulator(sim),
                scgConfig.dorsoVentralAxis(), scgConfig.inverted()), SIMULATOR_RATE_HZ, originNanos);
        lsm6dso = new Lsm6dsoEmulator(time, scgFeed, config.scgDriftPpm());
        scgFeed.bind(lsm6dso::sampleNanos);
        scgDriver = new Lsm6dsoDriver(scgConfig, lsm6dso, time, listener);

        composite = new CompositeSource(List.of(ecgDriver, ppgDriver, scgDriver));
    }

    /**
     * A bench whose three chips are fed by one simulated patient ({@code config.simulator()}).
     *
     * @param time     {@link HostTime#system()} for real time, or a virtual time
     * @param listener technical events of every driver (thread-safe, non-blocking)
     */
    public static EmulatedBoards simulated(EmulatedBoardsConfig config, HostTime time,
                                           TechnicalEventListener listener) {
        return new EmulatedBoards(config, time, listener, null);
    }

    /**
     * A bench whose ADS1298 replays a WFDB record (in a loop when it ends), PPG and SCG simulated.
     *
     * @param record the record's path without extension, e.g. {@code .../mitdb/100}
     * @throws IOException when the record cannot be read (the message names the file)
     */
    public static EmulatedBoards replay(Path record, EmulatedBoardsConfig config, HostTime time,
                                        TechnicalEventListener listener) throws IOException {
        return replay(WfdbRecord.read(record), config, time, listener);
    }

    /** The same with a record already read. */
    public static EmulatedBoards replay(WfdbRecord record, EmulatedBoardsConfig config, HostTime time,
                                        TechnicalEventListener listener) {
        Objects.requireNonNull(record, "record");
        return new EmulatedBoards(config, time, listener, record);
    }

    /**
     * Index in the replayed record of the sample that ECG stream sample {@code sequence} holds:
     * {@code floor(sequence * recordRate / chipRate)} modulo the record's length. Exact as long as the driver has not
     * restarted after a fault ({@code ecgDriver().recoveries() == 0}): the emulator consumes one record frame per
     * conversion, including conversions the driver missed (which are gaps in the stream), and the driver numbers
     * conversions from 0 by DRDY edges. After a restart the sequence resumes from an estimate of elapsed time.
     *
     * @throws IllegalStateException on a simulated bench
     */
    public long recordIndexOf(long sequence) {
        if (recordName == null) {
            throw new IllegalStateException("emulated boards: no record is replayed (simulated bench)");
        }
        return (long) Math.floor(sequence * recordRateHz / config.ecgRateSps()) % recordLength;
    }

    /** Name of the replayed record, or null on a simulated bench. */
    public String recordName() {
        return recordName;
    }

    /** Host time the simulator's time 0 is anchored at (its beat times are seconds after this). */
    public long originNanos() {
        return originNanos;
    }

    public EmulatedBoardsConfig config() {
        return config;
    }

    public Ads129xDriver ecgDriver() {
        return ecgDriver;
    }

    public Max30102Driver ppgDriver() {
        return ppgDriver;
    }

    public Lsm6dsoDriver scgDriver() {
        return scgDriver;
    }

    /** The emulated ADS1298: fault injection and the true conversion times ({@code conversionNanos}). */
    public Ads129xEmulator ads1298() {
        return ads1298;
    }

    /** The emulated MAX30102: fault injection and the true sample times ({@code sampleNanos}). */
    public Max30102Emulator max30102() {
        return max30102;
    }

    /** The emulated LSM6DSO: fault injection and the true sample times ({@code sampleNanos}). */
    public Lsm6dsoEmulator lsm6dso() {
        return lsm6dso;
    }

    @Override
    public List<StreamDescriptor> streams() {
        return composite.streams();
    }

    @Override
    public BlockRing ring(String streamId) {
        return composite.ring(streamId);
    }

    @Override
    public java.util.Map<String, Boolean> electrodesOff(String streamId) {
        return composite.electrodesOff(streamId);
    }

    @Override
    public void start() {
        composite.start();
    }

    @Override
    public void close() {
        composite.close();
    }
}
