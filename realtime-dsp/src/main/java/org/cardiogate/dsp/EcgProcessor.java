package org.cardiogate.dsp;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.cardiogate.dsp.latency.BlockTimer;
import org.cardiogate.dsp.latency.LatencyStats;
import org.cardiogate.dsp.qrs.QrsDetector;
import org.cardiogate.dsp.qrs.QrsDetectorConfig;
import org.cardiogate.dsp.quality.QualityClass;
import org.cardiogate.dsp.quality.QualityFlags;
import org.cardiogate.dsp.quality.SignalQualityConfig;
import org.cardiogate.dsp.quality.SignalQualityMonitor;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.SampleTimeline;
import org.cardiogate.signal.SequenceTracker;
import org.cardiogate.signal.StreamDescriptor;

/**
 * The streaming front for one ECG stream: checks sample sequence numbers, runs a QRS detector and a signal quality
 * monitor on each lead used, and the heart-rate meter, and reports beats with their sequence number, time, RR,
 * averaged rate and quality, and the quality of each window and the NOISE stretches. The live loop and the offline
 * {@code analyze} use this same class; nothing reported depends on how the samples are cut into blocks.
 *
 * <p>Leads: by default one (the EC57 setting). With more ({@link Builder#leads(int...)}), beats come from the first
 * lead unless its last judged window is unusable because it was flat, clipped or off (not for noise alone, which
 * the detector often rides out); then they come from the lead with the best last window until the first is back.
 * A beat closer than the detector's refractory period to the last one reported is dropped when the source changes,
 * so beats stay in order.
 *
 * <p>Signal quality (on by default, {@link SignalQualityMonitor}): each lead is judged per window; the stream's class
 * is the best of its leads'. Runs of windows with the stream unusable are NOISE stretches, told to the listener at
 * their onset ({@link EcgBeatListener#onNoiseOnset}) and when they end ({@link EcgBeatListener#onNoise}). The
 * monitor does not change which beats are found.
 *
 * <p>Sequence handling: a gap (missing samples) or a source restart ends the detectors' input ({@link
 * QrsDetector#finish()}, so a beat in progress is still reported) and judges the quality windows so far, closing a
 * NOISE stretch; then everything starts afresh after it, and the listener hears
 * {@link EcgBeatListener#onDiscontinuity}. Samples a block repeats (an overlap) are skipped.
 *
 * <p>Latency: a beat found by the detector's threshold is reported at most {@link #maxReportDelaySeconds()} after its
 * R peak (0.297 s at 360 Hz with the default detector settings, with or without signal quality and with any number
 * of leads), in the {@link #process} call that delivers the sample that decides it; beats found by search-back come
 * later (at most {@link QrsDetectorConfig#maxSearchBackSeconds()} after the previous beat), those of the detector's
 * first learning seconds at their end. A window's quality is told {@link SignalQualityConfig#decisionDelaySeconds()}
 * after the window ends. With a {@link Builder#timing timer}, each call of {@link #process} is timed into a histogram
 * and calls over the budget are counted ({@link #latency()}).
 *
 * <p>Cost: with one lead the block is processed block-wise, the detector running over up to 512 samples ahead of the
 * quality monitor and its beats held until the monitor reaches the sample that decided each, so that every call to
 * the listener happens in the order and with the values it would if both were fed sample by sample; with more leads
 * the leads are interleaved sample by sample.
 *
 * <p>Allocation-free in {@link #process(SampleBlock)} after construction, timing included. Not thread-safe: one DSP
 * thread; only {@link #latency()} may be read from another.
 */
public final class EcgProcessor {
    private static final long NONE = Long.MIN_VALUE;
    private static final int SIGNAL_LOST = QualityFlags.FLAT | QualityFlags.CLIPPED | QualityFlags.LEAD_OFF;
    /** One lead: the detector runs over this many samples at a time ahead of the quality monitor (see process). */
    private static final int SUB_BLOCK = 512;

    private final StreamDescriptor stream;
    private final int[] leads;
    private final EcgBeatListener listener;
    private final QrsDetector[] detectors;
    private final SignalQualityMonitor[] monitors;
    private final QualityClass[] leadQuality;
    private final int[] leadFlags;
    private final double[][] channels;
    private final HeartRateMeter heartRate;
    private final SequenceTracker tracker;
    private final SampleTimeline timeline;
    private final BlockTimer timer;
    private final double rateHz;
    private final long refractory;
    /** Beats of the one-lead detector held back until the monitor reaches the sample that decided them. */
    private final long[] queueR;
    private final double[] queueAmplitude;
    private final long[] queueDecided;
    private int queued;
    private boolean queueing;
    /** Sequence number of the detectors' sample 0. */
    private long origin;
    private boolean started;
    private long beats;
    private long discontinuities;

    private int active;
    private long lastReported = NONE;
    private QualityClass streamQuality = QualityClass.GOOD;
    private int judged;
    private boolean inNoise;
    private long noiseStart;
    private long noiseEnd;
    private int noiseFlags;
    private long noiseSamples;

    /** A one-lead processor with the default detector and signal quality settings. */
    public EcgProcessor(StreamDescriptor stream, int lead, EcgBeatListener listener) {
        this(stream, lead, QrsDetectorConfig.defaults(), listener);
    }

    /**
     * A one-lead processor with default signal quality settings.
     *
     * @param stream   the ECG stream; its nominal rate is the detector's sample rate
     * @param lead     index of the channel to detect beats in
     * @param config   detector settings
     * @param listener receives beats, quality and discontinuities
     */
    public EcgProcessor(StreamDescriptor stream, int lead, QrsDetectorConfig config, EcgBeatListener listener) {
        this(builder(stream, listener).leads(lead).detector(config));
    }

    private EcgProcessor(Builder b) {
        this.stream = b.stream;
        this.listener = b.listener;
        this.leads = b.leads.clone();
        this.rateHz = stream.nominalRateHz();
        this.detectors = new QrsDetector[leads.length];
        this.monitors = b.quality == null ? null : new SignalQualityMonitor[leads.length];
        for (int l = 0; l < leads.length; l++) {
            int index = l;
            detectors[l] = new QrsDetector(rateHz, b.detector, (r, a) -> onDetectorBeat(index, r, a));
            if (monitors != null) {
                monitors[l] = new SignalQualityMonitor(rateHz, b.quality,
                        (start, end, q, flags) -> onLeadWindow(index, start, end, q, flags));
            }
        }
        this.leadQuality = new QualityClass[leads.length];
        Arrays.fill(leadQuality, QualityClass.GOOD);
        this.leadFlags = new int[leads.length];
        this.channels = new double[leads.length][];
        this.refractory = Math.round(b.detector.refractorySeconds() * rateHz);
        this.heartRate = new HeartRateMeter(rateHz);
        // a counter going back by more than a second is a restart, less is a repeated block
        this.tracker = new SequenceTracker(Math.max(1, Math.round(rateHz)));
        this.timeline = new SampleTimeline(rateHz, 0, 0);
        this.timer = b.clock == null ? null : new BlockTimer(b.clock, b.budgetNanos);
        // beats are at least a refractory period apart; those decided within a sub-block lie at most the learning
        // period, the longest search-back and a second before it
        int capacity = (int) ((SUB_BLOCK + (b.detector.learningSeconds() + b.detector.maxSearchBackSeconds() + 1)
                * rateHz) / Math.max(1, refractory)) + 8;
        this.queueR = new long[capacity];
        this.queueAmplitude = new double[capacity];
        this.queueDecided = new long[capacity];
    }

    /** Starts a processor for {@code stream} reporting to {@code listener}: lead 0, defaults, quality on, no timing. */
    public static Builder builder(StreamDescriptor stream, EcgBeatListener listener) {
        return new Builder(stream, listener);
    }

    /** Processes one block of the stream; beats and judgements are reported to the listener before this returns. */
    public void process(SampleBlock block) {
        if (block.stream() != stream && !block.stream().streamId().equals(stream.streamId())) {
            throw new IllegalArgumentException("block of stream '" + block.stream().streamId()
                    + "' given to the processor of stream '" + stream.streamId() + "'");
        }
        int len = block.length();
        if (len == 0) {
            return;
        }
        long t0 = timer == null ? 0 : timer.start();
        long first = block.firstSequence();
        int skip = 0;
        switch (tracker.accept(first, len)) {
            case CONTIGUOUS -> {
                if (!started) {
                    started = true;
                    origin = first;
                }
            }
            case GAP -> restart(first - tracker.lastGapLength(), tracker.lastGapLength(), first);
            case RESET -> restart(first, 0, first);
            case OVERLAP -> skip = (int) tracker.lastOverlapLength();
        }
        timeline.reanchor(rateHz, first, block.timestampNanos());
        for (int l = 0; l < leads.length; l++) {
            channels[l] = block.channel(leads[l]);
        }
        if (leads.length == 1) {
            processOneLead(channels[0], skip, len);
        } else {
            for (int i = skip; i < len; i++) {
                for (int l = 0; l < leads.length; l++) {
                    double v = channels[l][i];
                    detectors[l].process(v);
                    if (monitors != null) {
                        monitors[l].process(v);
                    }
                }
            }
        }
        if (timer != null) {
            timer.stop(t0);
        }
    }

    /**
     * One lead, block-wise: the detector runs over a sub-block first, its beats held in a queue with the sample that
     * decided each; then the monitor runs up to each such sample, the beat is told (to the monitor and the listener),
     * and so on. Everything happens in the order it would if both were fed sample by sample (the beat after the
     * detector's and before the monitor's turn at the deciding sample), so the results do not depend on the blocks.
     */
    private void processOneLead(double[] x, int from, int to) {
        QrsDetector d = detectors[0];
        SignalQualityMonitor m = monitors == null ? null : monitors[0];
        if (m == null) {
            d.process(x, from, to - from);
            return;
        }
        for (int start = from; start < to; start += SUB_BLOCK) {
            int count = Math.min(SUB_BLOCK, to - start);
            long first = d.samplesProcessed();
            queued = 0;
            queueing = true;
            try {
                d.process(x, start, count);
            } finally {
                queueing = false;
            }
            int at = start;
            for (int e = 0; e < queued; e++) {
                int decided = start + (int) (queueDecided[e] - first);
                if (decided > at) {
                    m.process(x, at, decided - at);
                    at = decided;
                }
                deliverBeat(0, queueR[e], queueAmplitude[e]);
            }
            queued = 0;
            m.process(x, at, start + count - at);
        }
    }

    /** Ends the stream (end of an offline record): reports the beats still being decided and closes the quality. */
    public void finish() {
        for (QrsDetector d : detectors) {
            d.finish();
        }
        if (monitors != null) {
            for (SignalQualityMonitor m : monitors) {
                m.judgeWaiting();
            }
            for (SignalQualityMonitor m : monitors) {
                m.judgePartial();
            }
        }
        closeNoise();
    }

    private void restart(long firstMissing, long lost, long newOrigin) {
        finish();
        for (QrsDetector d : detectors) {
            d.reset();
        }
        if (monitors != null) {
            for (SignalQualityMonitor m : monitors) {
                m.reset();
            }
        }
        Arrays.fill(leadQuality, QualityClass.GOOD);
        Arrays.fill(leadFlags, 0);
        streamQuality = QualityClass.GOOD;
        judged = 0;
        active = 0;
        lastReported = NONE;
        heartRate.reset();
        origin = newOrigin;
        discontinuities++;
        listener.onDiscontinuity(firstMissing, lost);
    }

    private void onDetectorBeat(int lead, long rPeakSample, double amplitude) {
        if (queueing) {
            if (queued == queueR.length) {
                throw new IllegalStateException("more than " + queued + " beats decided within " + SUB_BLOCK
                        + " samples of stream '" + stream.streamId() + "'");
            }
            queueR[queued] = rPeakSample;
            queueAmplitude[queued] = amplitude;
            queueDecided[queued++] = detectors[lead].samplesProcessed() - 1;
            return;
        }
        deliverBeat(lead, rPeakSample, amplitude);
    }

    private void deliverBeat(int lead, long rPeakSample, double amplitude) {
        if (monitors != null) {
            monitors[lead].onPrimaryBeat(rPeakSample);
        }
        if (lead != active || (lastReported != NONE && rPeakSample - lastReported < refractory)) {
            return;
        }
        lastReported = rPeakSample;
        long sequence = origin + rPeakSample;
        double rr = heartRate.onBeat(sequence);
        beats++;
        listener.onBeat(sequence, timeline.timestampOf(sequence), rr, heartRate.heartRateBpm(), amplitude,
                streamQuality);
    }

    private void onLeadWindow(int lead, long start, long end, QualityClass q, int flags) {
        leadQuality[lead] = q;
        leadFlags[lead] = flags;
        listener.onQuality(leads[lead], origin + start, origin + end, q, flags);
        if (++judged < leads.length) {
            return;
        }
        judged = 0;
        QualityClass best = leadQuality[0];
        int bestLead = 0;
        int union = leadFlags[0];
        for (int l = 1; l < leads.length; l++) {
            union |= leadFlags[l];
            if (leadQuality[l].ordinal() < best.ordinal()) {
                best = leadQuality[l];
                bestLead = l;
            }
        }
        // noise alone does not switch: the primary detector rides out much of it, while a flat, railed or
        // disconnected lead gives nothing
        boolean primaryLost = leadQuality[0] == QualityClass.UNUSABLE && (leadFlags[0] & SIGNAL_LOST) != 0;
        active = primaryLost ? bestLead : 0;
        streamQuality = best;
        if (best == QualityClass.UNUSABLE) {
            if (!inNoise) {
                inNoise = true;
                noiseStart = start;
                noiseFlags = 0;
                listener.onNoiseOnset(origin + start, union);
            }
            noiseEnd = end;
            noiseFlags |= union;
        } else {
            closeNoise();
        }
    }

    private void closeNoise() {
        if (inNoise) {
            inNoise = false;
            noiseSamples += noiseEnd - noiseStart + 1;
            listener.onNoise(origin + noiseStart, origin + noiseEnd, noiseFlags);
        }
    }

    public StreamDescriptor stream() {
        return stream;
    }

    /** The channel indices beats are detected in, the first being the primary lead. */
    public int[] leads() {
        return leads.clone();
    }

    /** Beats reported so far. */
    public long beatCount() {
        return beats;
    }

    /** Gaps and source restarts seen so far. */
    public long discontinuities() {
        return discontinuities;
    }

    /** The sequence checker, with its counts of gaps, lost samples, overlaps and resets. */
    public SequenceTracker sequence() {
        return tracker;
    }

    /** The stream's quality as last judged (GOOD before the first judgement or without quality monitoring). */
    public QualityClass quality() {
        return streamQuality;
    }

    /** Samples in finished NOISE stretches so far. */
    public long noiseSamples() {
        return noiseSamples;
    }

    /** The quality monitor of the {@code index}-th lead used (see {@link #leads()}), if quality monitoring is on. */
    public Optional<SignalQualityMonitor> qualityMonitor(int index) {
        return monitors == null ? Optional.empty() : Optional.of(monitors[index]);
    }

    /** Upper bound of the R-to-report time of threshold beats, in seconds (0.297 s at 360 Hz by default). */
    public double maxReportDelaySeconds() {
        double max = 0;
        for (QrsDetector d : detectors) {
            max = Math.max(max, d.maxReportDelaySeconds());
        }
        return max;
    }

    /** Longest R-to-report time seen so far for threshold beats, in seconds, over the leads' detectors. */
    public double observedMaxReportDelaySeconds() {
        double max = 0;
        for (QrsDetector d : detectors) {
            max = Math.max(max, d.observedMaxReportDelaySeconds());
        }
        return max;
    }

    /**
     * Processing time per {@link #process} call since construction, or empty without a {@link Builder#timing timer}.
     * Any thread; allocates.
     */
    public Optional<LatencyStats> latency() {
        return timer == null ? Optional.empty() : Optional.of(timer.snapshot());
    }

    /** Settings of an {@link EcgProcessor}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private final StreamDescriptor stream;
        private final EcgBeatListener listener;
        private int[] leads = {0};
        private QrsDetectorConfig detector = QrsDetectorConfig.defaults();
        private SignalQualityConfig quality = SignalQualityConfig.defaults();
        private MonotonicClock clock;
        private long budgetNanos;

        private Builder(StreamDescriptor stream, EcgBeatListener listener) {
            this.stream = Objects.requireNonNull(stream, "stream");
            this.listener = Objects.requireNonNull(listener, "listener");
        }

        /** The channels to detect beats in, primary first (default: channel 0 alone). */
        public Builder leads(int... leads) {
            if (leads.length == 0) {
                throw new IllegalArgumentException("at least one lead is needed for stream '" + stream.streamId()
                        + "'");
            }
            for (int a = 0; a < leads.length; a++) {
                int lead = leads[a];
                if (lead < 0 || lead >= stream.channelCount()) {
                    throw new IllegalArgumentException("lead " + lead + " does not exist in stream '"
                            + stream.streamId() + "', which has " + stream.channelCount() + " channel(s)");
                }
                for (int b = 0; b < a; b++) {
                    if (leads[b] == lead) {
                        throw new IllegalArgumentException("lead " + lead + " given twice for stream '"
                                + stream.streamId() + "'");
                    }
                }
            }
            this.leads = leads.clone();
            return this;
        }

        public Builder detector(QrsDetectorConfig config) {
            this.detector = Objects.requireNonNull(config, "detector config");
            return this;
        }

        /** Signal quality settings (on by default with {@link SignalQualityConfig#defaults()}). */
        public Builder quality(SignalQualityConfig config) {
            this.quality = Objects.requireNonNull(config, "quality config");
            return this;
        }

        /** No signal quality monitoring: every beat reads GOOD and no NOISE stretch is told. */
        public Builder withoutQuality() {
            this.quality = null;
            return this;
        }

        /**
         * Times every {@link EcgProcessor#process} call with {@code clock} into a histogram and counts the calls
         * longer than {@code budgetNanos}.
         */
        public Builder timing(MonotonicClock clock, long budgetNanos) {
            this.clock = Objects.requireNonNull(clock, "clock");
            if (budgetNanos <= 0) {
                throw new IllegalArgumentException("processing budget per block must be positive, got " + budgetNanos
                        + " ns");
            }
            this.budgetNanos = budgetNanos;
            return this;
        }

        public EcgProcessor build() {
            return new EcgProcessor(this);
        }
    }
}
