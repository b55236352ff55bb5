package org.cardiogate.gateway.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.cardiogate.dsp.fusion.HeartRateSource;
import org.cardiogate.dsp.latency.LatencyStats;
import org.cardiogate.dsp.quality.QualityFlags;
import org.cardiogate.inference.RhythmLimits;
import org.cardiogate.inference.RhythmMonitor;
import org.cardiogate.inference.beat.BeatClassifier;
import org.cardiogate.inference.beat.InferenceWorker;
import org.cardiogate.inference.rhythm.AfDetector;
import org.cardiogate.inference.rhythm.EctopyMonitor;
import org.cardiogate.inference.rhythm.RhythmSink;
import org.cardiogate.sensor.SensorSource;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.PipelineOutput;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.SampleTimeline;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.Vital;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live path from a sensor source to the outputs: the {@code dsp} thread ({@link RealtimeLoop}) and the
 * {@code pipeline-out} thread, which turns beats into {@link Beat} and heart-rate {@link Vital} records, runs the
 * rhythm monitor, and fans everything out to the outputs (MQTT, page, storage), each of which only queues.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final SensorSource source;
    private final List<StreamDescriptor> ecgStreams;
    private final List<RhythmMonitor> monitors = new ArrayList<>();
    private volatile RhythmLimits pendingLimits;
    private volatile RhythmLimits limits;
    private final List<SampleTimeline> timelines = new ArrayList<>();
    private final List<PipelineOutput> outputs = new CopyOnWriteArrayList<>();
    private final List<Consumer<SampleBlock>> waveformOutputs = new CopyOnWriteArrayList<>();
    private final BeatQueue beats = new BeatQueue(1024);
    private final RealtimeLoop loop;
    private final AtomicLong beatCount = new AtomicLong();
    private final AtomicLong eventCount = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final boolean[] noisy;
    /** Id of the PPG stream SpO2 is measured on, or null without one. */
    private final String ppgStream;
    private volatile String lastHeartRateSource = "ecg";
    private final InferenceWorker worker;
    private final EctopyMonitor ectopy;
    private final AfDetector af;
    /** (R sample, class ordinal) from the inference worker thread to the output thread. */
    private final java.util.concurrent.ConcurrentLinkedQueue<long[]> classified = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Beats of the first ECG stream waiting for their class (output thread only). */
    private final java.util.ArrayDeque<Beat> pendingBeats = new java.util.ArrayDeque<>();
    /** A beat waits at most this long for its class, then goes out as Q (unclassified). */
    private static final long CLASS_TIMEOUT_NANOS = 5_000_000_000L;
    /** The clock of the source's timestamps, against which the class timeout runs. */
    private final MonotonicClock hostClock;
    /** Beats released as Q because no class came within {@link #CLASS_TIMEOUT_NANOS}. */
    private final AtomicLong classTimeouts = new AtomicLong();
    private volatile boolean running;
    private Thread outThread;

    public Pipeline(SensorSource source, RhythmLimits limits, long startNanos) {
        this(source, limits, startNanos, null);
    }

    /**
     * @param classifier the beat classifier, or null for rule-based detection only (beats labelled N). With it, beats
     *                   are classified on the {@code inference-worker} thread and published once classified (about
     *                   one beat later: the features need the next RR), and VT, bigeminy and AF are detected.
     */
    public Pipeline(SensorSource source, RhythmLimits limits, long startNanos, BeatClassifier classifier) {
        this(source, limits, startNanos, classifier, MonotonicClock.SYSTEM);
    }

    /**
     * The same on a given host clock: the clock the source stamps its blocks with ({@link MonotonicClock#SYSTEM}
     * for real sensors; a virtual time when an emulated bench runs faster than real time in tests). Beats waiting
     * for their class are timed out against it (5 s after their R timestamp), since their timestamps are on that
     * clock. Processing times (latency statistics) and the inference worker's batching stay on the real clock: they
     * measure this machine's work.
     */
    public Pipeline(SensorSource source, RhythmLimits limits, long startNanos, BeatClassifier classifier,
                    MonotonicClock hostClock) {
        this.source = Objects.requireNonNull(source);
        this.hostClock = Objects.requireNonNull(hostClock, "hostClock");
        this.ecgStreams = source.streams().stream().filter(s -> s.modality() == Modality.ECG).toList();
        this.ppgStream = source.streams().stream().filter(s -> s.modality() == Modality.PPG)
                .map(StreamDescriptor::streamId).findFirst().orElse(null);
        this.limits = limits;
        if (ecgStreams.isEmpty()) {
            throw new IllegalArgumentException("the sensor source has no ECG stream; nothing to detect beats in");
        }
        for (StreamDescriptor s : ecgStreams) {
            SampleTimeline timeline = new SampleTimeline(s.nominalRateHz(), 0, startNanos);
            timelines.add(timeline);
            monitors.add(new RhythmMonitor(s.streamId(), s.nominalRateHz(), limits, timeline::timestampOf, this::emit));
        }
        this.noisy = new boolean[ecgStreams.size()];
        if (classifier != null) {
            StreamDescriptor first = ecgStreams.get(0);
            this.worker = new InferenceWorker(classifier, InferenceWorker.Config.DEFAULTS, MonotonicClock.SYSTEM,
                    (stream, r, cls, p) -> classified.offer(new long[] {r, cls.ordinal()}));
            SampleTimeline t0 = timelines.get(0);
            this.ectopy = new EctopyMonitor(first.streamId(), first.nominalRateHz(), EctopyMonitor.Config.DEFAULTS,
                    t0::timestampOf, new RhythmSink() {
                        @Override
                        public void onEvent(CardiacEvent event, long[] evidence) {
                            emit(event);
                        }

                        @Override
                        public void onPattern(String streamId, String pattern, long onset, long offset, int cycles) {
                            LOG.info("{} on {}: {} cycles from sample {} to {}", pattern, streamId, cycles, onset, offset);
                        }
                    });
            this.af = new AfDetector(first.streamId(), first.nominalRateHz(), AfDetector.Config.DEFAULTS, t0::timestampOf,
                    this::emit);
        } else {
            this.worker = null;
            this.ectopy = null;
            this.af = null;
        }
        this.loop = new RealtimeLoop(source, ecgStreams, beats, worker);
    }

    /** Adds an output; it receives everything from now on. */
    public void addOutput(PipelineOutput output) {
        outputs.add(Objects.requireNonNull(output));
    }

    /**
     * Adds a waveform output: it receives a copy of every block of every stream on the output thread and must not
     * keep the block after returning (copy what it needs).
     */
    public void addWaveformOutput(Consumer<SampleBlock> output) {
        waveformOutputs.add(Objects.requireNonNull(output));
    }

    /** Starts the DSP thread, the output thread and the source, in that order. */
    public void start() {
        startedNanos = hostClock.nanoTime();
        running = true;
        loop.start();
        outThread = Thread.ofPlatform().name("pipeline-out").daemon(true).start(this::runOutputs);
        source.start();
    }

    private void runOutputs() {
        while (running) {
            RhythmLimits next = pendingLimits;
            if (next != null) {
                pendingLimits = null;
                limits = next;
                for (int i = 0; i < monitors.size(); i++) {
                    StreamDescriptor s = ecgStreams.get(i);
                    monitors.set(i, new RhythmMonitor(s.streamId(), s.nominalRateHz(), next, timelines.get(i)::timestampOf,
                            this::emit));
                }
                LOG.info("rhythm alarm limits changed to {}", next);
            }
            int n = beats.drain(this::onEntry);
            n += drainClasses();
            n += drainWaveforms();
            for (int i = 0; i < monitors.size(); i++) {
                monitors.get(i).onTime(loop.progress(i));
            }
            n += drainTechnical();
            watchStreams();
            if (n == 0) {
                LockSupport.parkNanos(5_000_000L);
            }
        }
    }

    private void fanOutBeat(Beat beat) {
        for (PipelineOutput o : outputs) {
            safely(o, () -> o.onBeat(beat));
        }
    }

    /** Classified beats go out with their class; the rhythm detectors that need classes see them in order. */
    private int drainClasses() {
        if (worker == null) {
            return 0;
        }
        int n = 0;
        long[] c;
        while ((c = classified.poll()) != null) {
            n++;
            long r = c[0];
            AamiClass cls = AamiClass.values()[(int) c[1]];
            while (!pendingBeats.isEmpty() && pendingBeats.peekFirst().sample() < r) {
                releaseBeat(pendingBeats.pollFirst(), AamiClass.Q);
            }
            if (!pendingBeats.isEmpty() && pendingBeats.peekFirst().sample() == r) {
                releaseBeat(pendingBeats.pollFirst(), cls);
            }
        }
        long now = hostClock.nanoTime();
        while (!pendingBeats.isEmpty() && now - pendingBeats.peekFirst().timestampNanos() > CLASS_TIMEOUT_NANOS) {
            classTimeouts.incrementAndGet();
            releaseBeat(pendingBeats.pollFirst(), AamiClass.Q);
        }
        return n;
    }

    private void releaseBeat(Beat b, AamiClass cls) {
        Beat beat = new Beat(b.streamId(), b.sample(), b.timestampNanos(), cls, b.rrSeconds(), b.heartRateBpm());
        fanOutBeat(beat);
        boolean noisy = this.noisy[0];
        ectopy.onBeat(b.sample(), cls, noisy);
        af.onBeat(b.sample(), cls == AamiClass.V, noisy);
    }

    /**
     * Beats of the first ECG stream published as Q because their class did not come within 5 s of their R peak
     * (the worker was too slow or dropped them); 0 without a classifier.
     */
    public long classTimeouts() {
        return classTimeouts.get();
    }

    /** Beats the inference worker could not take (queue full), and its provider. */
    public long droppedClassifications() {
        return worker == null ? 0 : worker.dropped();
    }

    private int drainWaveforms() {
        int n = 0;
        for (BlockRing tap : loop.taps()) {
            SampleBlock b;
            while ((b = tap.peek()) != null) {
                for (Consumer<SampleBlock> o : waveformOutputs) {
                    try {
                        o.accept(b);
                    } catch (RuntimeException ex) {
                        LOG.warn("waveform output failed: {}", ex.toString());
                    }
                }
                tap.release();
                n++;
            }
        }
        return n;
    }

    /** Waveform blocks the output thread could not take in time (tap overruns), all streams. */
    public long droppedWaveformBlocks() {
        return loop.taps().stream().mapToLong(BlockRing::overruns).sum();
    }

    /** Median of the last few beats' intervals (a monitor shows QTc over several beats, not beat by beat). */
    private final double[][] intervals = new double[3][INTERVAL_BEATS];
    private final double[] intervalScratch = new double[INTERVAL_BEATS];
    private long intervalCount;
    private static final int INTERVAL_BEATS = 9;
    /** SpO2 averaged over the last clean pulses, as pulse oximeters average over several seconds. */
    private final double[] spo2 = new double[SPO2_PULSES];
    private long spo2Count;
    private static final int SPO2_PULSES = 8;

    private void onEntry(int kind, int streamIndex, long sample, long t, double rr, double hr, double third) {
        StreamDescriptor s = ecgStreams.get(streamIndex);
        if (kind == BeatQueue.INTERVALS) {
            onIntervals(s, sample, t, rr, hr, third);
            return;
        }
        if (kind == BeatQueue.SPO2) {
            onSpo2(t, rr, third);
            return;
        }
        if (kind == BeatQueue.HEART_RATE) {
            String source = HeartRateSource.values()[(int) hr].label();
            lastHeartRateSource = source;
            long ref = timelines.get(streamIndex).sampleAt(t);
            fanOutVital(new Vital(s.streamId(), Vital.HEART_RATE, rr, "bpm", ref, t, source));
            return;
        }
        if (kind == BeatQueue.FUSED) {
            fusedVital(s, "pep_ms", rr, sample, t);
            fusedVital(s, "pat_ms", hr, sample, t);
            fusedVital(s, "lvet_ms", third, sample, t);
            return;
        }
        if (kind == BeatQueue.NOISE_ONSET) {
            noisy[streamIndex] = true;
            long ts = timelines.get(streamIndex).timestampOf(sample);
            emitAlways(new CardiacEvent(s.streamId(), EventType.NOISE, sample, -1, ts,
                    QualityFlags.describe((int) rr)));
            return;
        }
        if (kind == BeatQueue.NOISE_END) {
            noisy[streamIndex] = false;
            long ts = timelines.get(streamIndex).timestampOf(sample);
            emitAlways(new CardiacEvent(s.streamId(), EventType.NOISE, sample, (long) rr, ts,
                    QualityFlags.describe((int) hr)));
            return;
        }
        onBeat(streamIndex, s, sample, t, rr, hr);
    }

    /**
     * QT, its rate corrections and QRS duration of the fused ECG lead: every 3rd measured beat, the median of the last
     * 9 (Bazett QTc = QT / sqrt(RR), Fridericia QTcF = QT / cbrt(RR), RR in s). Beats with an implausible QT (outside
     * 200-700 ms) or RR (outside 0.25-2.5 s) are left out.
     */
    private void onIntervals(StreamDescriptor s, long sample, long t, double qtMs, double rrSeconds, double qrsMs) {
        if (!(qtMs >= 200 && qtMs <= 700 && rrSeconds >= 0.25 && rrSeconds <= 2.5)) {
            return;
        }
        int slot = (int) (intervalCount++ % INTERVAL_BEATS);
        intervals[0][slot] = qtMs / Math.sqrt(rrSeconds);
        intervals[1][slot] = qtMs / Math.cbrt(rrSeconds);
        intervals[2][slot] = qrsMs;
        if (intervalCount < 3 || intervalCount % 3 != 0) {
            return;
        }
        int n = (int) Math.min(intervalCount, INTERVAL_BEATS);
        fanOutVital(new Vital(s.streamId(), "qtc_ms", Math.rint(median(intervals[0], n)), "ms", sample, t, "ecg"));
        fanOutVital(new Vital(s.streamId(), "qtcf_ms", Math.rint(median(intervals[1], n)), "ms", sample, t, "ecg"));
        double qrs = median(intervals[2], n);
        if (!Double.isNaN(qrs)) {
            fanOutVital(new Vital(s.streamId(), "qrs_ms", Math.rint(qrs), "ms", sample, t, "ecg"));
        }
    }

    /** Median of the first {@code n} values, NaN ones left out (NaN when all are). */
    private double median(double[] values, int n) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(values[i])) {
                intervalScratch[m++] = values[i];
            }
        }
        if (m == 0) {
            return Double.NaN;
        }
        return org.cardiogate.dsp.OrderStatistics.median(intervalScratch, m);
    }

    /**
     * SpO2 of the PPG stream: the mean over the last 8 clean pulses (quality at least
     * {@link org.cardiogate.dsp.ppg.PpgProcessor#CLEAN_QUALITY}), published from the 4th on, one decimal.
     */
    private void onSpo2(long t, double spo2Percent, double quality) {
        if (ppgStream == null || !(quality >= org.cardiogate.dsp.ppg.PpgProcessor.CLEAN_QUALITY)
                || !(spo2Percent > 50 && spo2Percent <= 100)) {
            return;
        }
        spo2[(int) (spo2Count++ % SPO2_PULSES)] = spo2Percent;
        if (spo2Count < 4) {
            return;
        }
        int n = (int) Math.min(spo2Count, SPO2_PULSES);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += spo2[i];
        }
        fanOutVital(new Vital(ppgStream, "spo2", Math.rint(10 * sum / n) / 10, "%", -1, t, "ppg"));
    }

    private void onBeat(int streamIndex, StreamDescriptor s, long sample, long t, double rr, double hr) {
        // events are timed from the latest beat's sample clock
        timelines.get(streamIndex).reanchor(s.nominalRateHz(), sample, t);
        beatCount.incrementAndGet();
        if (worker != null && streamIndex == 0) {
            pendingBeats.addLast(new Beat(s.streamId(), sample, t, AamiClass.Q, rr, hr));
        } else {
            fanOutBeat(new Beat(s.streamId(), sample, t, AamiClass.N, rr, hr));
        }
        if (!Double.isNaN(hr) && !loop.fused()) {
            fanOutVital(new Vital(s.streamId(), Vital.HEART_RATE, hr, "bpm", sample, t, "ecg"));
        }
        monitors.get(streamIndex).onBeat(sample, hr);
    }

    /**
     * Rhythm events: not raised while the signal is too noisy to trust (no false alarms from artefacts), except
     * asystole.
     */
    private void emit(CardiacEvent e) {
        int i = indexOf(e.streamId());
        // asystole is exempt: a flat line on a connected lead is the alarm itself (lead-off is reported by the driver)
        if (i >= 0 && noisy[i] && e.isOngoing() && e.type() != EventType.ASYSTOLE) {
            suppressed.incrementAndGet();
            LOG.info("{} on {} not raised: signal marked NOISE", e.type(), e.streamId());
            return;
        }
        emitAlways(e);
    }

    private int indexOf(String streamId) {
        for (int i = 0; i < ecgStreams.size(); i++) {
            if (ecgStreams.get(i).streamId().equals(streamId)) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ technical alarms

    /** A stream with no samples for this long is a failed sensor (a 100 Hz FIFO sensor delivers every 0.1-0.3 s). */
    public static final long SILENCE_NANOS = 3_000_000_000L;
    private final java.util.concurrent.ConcurrentLinkedQueue<CardiacEvent> technical =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private boolean[] silent;
    private volatile long startedNanos;
    private long nextWatch;

    /**
     * A driver's technical event, from its acquisition thread (any thread; never blocks). Lead-off becomes a
     * {@code LEAD_OFF} event until the electrodes are on again; lost samples (FIFO overflow, missed data-ready edges)
     * a closed {@code GAP}; a sensor that stopped delivering valid data (stalled, unplugged, stuck bus, wrong chip,
     * port gone, corrupt frames) a {@code SENSOR_FAULT} until the driver recovers. Resynchronisation and clock-drift
     * notices are only logged. The events reach every output (alarms, store, MQTT, page, recording) on the output
     * thread, never suppressed by NOISE.
     */
    public void onTechnicalEvent(org.cardiogate.sensor.fault.TechnicalEvent e) {
        String stream = e.sensor();
        long t = e.monotonicNanos();
        long sample = sampleAt(stream, t);
        CardiacEvent out = switch (e.type()) {
            case LEAD_OFF -> new CardiacEvent(stream, EventType.LEAD_OFF, sample, -1, t, e.detail());
            case LEAD_ON -> new CardiacEvent(stream, EventType.LEAD_OFF, sample, sample, t, e.detail());
            case FIFO_OVERFLOW, SAMPLES_LOST -> new CardiacEvent(stream, EventType.GAP, sample, sample, t,
                    e.type() + " " + e.detail());
            case DEVICE_ID_MISMATCH, CONFIG_VERIFY_FAILED, SPI_ALL_ONES, SPI_ALL_ZEROS, FRAME_CORRUPT,
                 DATA_READY_STALL, I2C_NACK, PORT_LOST -> new CardiacEvent(stream, EventType.SENSOR_FAULT, sample, -1,
                    t, e.type() + " " + e.detail());
            case RECOVERED -> new CardiacEvent(stream, EventType.SENSOR_FAULT, sample, sample, t,
                    "RECOVERED " + e.detail());
            case RESYNC, CLOCK_DRIFT_OUT_OF_RANGE -> null;
        };
        if (out != null) {
            technical.add(out);
        }
    }

    /** The sample index of a stream at a host time: on the ECG's beat-anchored timeline, else samples received. */
    private long sampleAt(String streamId, long nanos) {
        int ecg = indexOf(streamId);
        if (ecg >= 0) {
            return Math.max(0, timelines.get(ecg).sampleAt(nanos));
        }
        List<StreamDescriptor> all = source.streams();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).streamId().equals(streamId)) {
                return loop.received(i);
            }
        }
        return 0;
    }

    /** Lead-off per electrode of a stream, from its source (empty when the source cannot tell). */
    public java.util.Map<String, Boolean> electrodesOff(String streamId) {
        return source.electrodesOff(streamId);
    }

    /** Host time at {@link #start()} (0 before). */
    public long startedNanos() {
        return startedNanos;
    }

    private int drainTechnical() {
        int n = 0;
        for (CardiacEvent e; (e = technical.poll()) != null; n++) {
            LOG.warn("technical event {} on {}{}: {}", e.type(), e.streamId(), e.isOngoing() ? " (ongoing)" : "",
                    e.detail());
            emitAlways(e);
        }
        return n;
    }

    /**
     * Whatever the source, a stream that delivers nothing for {@link #SILENCE_NANOS} (or nothing within that long of
     * the start) raises {@code SENSOR_FAULT}, ended when samples flow again. Checked twice a second.
     */
    private void watchStreams() {
        long now = hostClock.nanoTime();
        if (now < nextWatch) {
            return;
        }
        nextWatch = now + 500_000_000L;
        List<StreamDescriptor> all = source.streams();
        if (silent == null) {
            silent = new boolean[all.size()];
        }
        for (int i = 0; i < all.size(); i++) {
            long received = loop.received(i);
            long last = received == 0 ? startedNanos : loop.lastBlockNanos(i);
            boolean quiet = now - last > SILENCE_NANOS;
            if (quiet == silent[i]) {
                continue;
            }
            silent[i] = quiet;
            String id = all.get(i).streamId();
            long sample = sampleAt(id, now);
            emitAlways(quiet
                    ? new CardiacEvent(id, EventType.SENSOR_FAULT, sample, -1, now, String.format(java.util.Locale.ROOT,
                            "%s: no samples for %.1f s", id, (now - last) / 1e9))
                    : new CardiacEvent(id, EventType.SENSOR_FAULT, sample, sample, now, id + ": samples again"));
        }
    }

    private void emitAlways(CardiacEvent e) {
        eventCount.incrementAndGet();
        LOG.info("event {} on {} at sample {}{}: {}", e.type(), e.streamId(), e.onsetSample(),
                e.isOngoing() ? " (ongoing)" : " to " + e.offsetSample(), e.detail());
        for (PipelineOutput o : outputs) {
            safely(o, () -> o.onEvent(e));
        }
    }

    private void fusedVital(StreamDescriptor s, String name, double ms, long sample, long t) {
        if (!Double.isNaN(ms)) {
            fanOutVital(new Vital(s.streamId(), name, ms, "ms", sample, t, "fusion"));
        }
    }

    private void fanOutVital(Vital v) {
        for (PipelineOutput o : outputs) {
            safely(o, () -> o.onVital(v));
        }
    }

    /**
     * Changes the rhythm alarm limits while running. The output thread swaps the monitors at its next cycle;
     * episodes in progress start afresh under the new limits.
     */
    public void setRhythmLimits(RhythmLimits newLimits) {
        pendingLimits = Objects.requireNonNull(newLimits);
    }

    public RhythmLimits rhythmLimits() {
        RhythmLimits p = pendingLimits;
        return p != null ? p : limits;
    }

    /** The source's streams with their live counters, for the status page. */
    public List<StreamStatus> streamStatus() {
        List<StreamStatus> out = new ArrayList<>();
        List<StreamDescriptor> all = source.streams();
        for (int i = 0; i < all.size(); i++) {
            out.add(new StreamStatus(all.get(i), loop.received(i), loop.lastBlockNanos(i), loop.lostSamples(i),
                    loop.quality(i)));
        }
        return out;
    }

    /**
     * One stream's counters.
     *
     * @param received       samples received so far
     * @param lastBlockNanos monotonic time of the last block
     * @param lostSamples    samples lost in sequence gaps
     * @param quality        1 good, 0.5 acceptable, 0 unusable, NaN when not assessed
     */
    public record StreamStatus(StreamDescriptor stream, long received, long lastBlockNanos, long lostSamples,
                               double quality) {
    }

    /** Where the displayed heart rate comes from now: ecg, scg or ppg. */
    public String heartRateSource() {
        return lastHeartRateSource;
    }

    /** One failing output must not stop the others. */
    private static void safely(PipelineOutput o, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ex) {
            LOG.warn("output {} failed: {}", o.getClass().getSimpleName(), ex.toString());
        }
    }

    public long beatCount() {
        return beatCount.get();
    }

    public long eventCount() {
        return eventCount.get();
    }

    /** Rhythm alarms not raised because the signal was marked NOISE. */
    public long suppressedEvents() {
        return suppressed.get();
    }

    /** Per-block processing time of each ECG stream, with budget overruns. */
    public List<LatencyStats> latency() {
        return loop.latency();
    }

    /** Duty cycles of the real-time loop so far; the systemd watchdog is fed only while this advances. */
    public long loopCycles() {
        return loop.cycles();
    }

    public long droppedBeats() {
        return beats.dropped();
    }

    /** Stops the source first, then the DSP and output threads. */
    @Override
    public void close() {
        source.close();
        loop.stop();
        running = false;
        if (outThread != null) {
            try {
                outThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        beats.drain(this::onEntry);
        if (worker != null) {
            worker.close();
        }
    }
}
