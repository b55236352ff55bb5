package org.cardiogate.dsp;

import java.util.Objects;
import org.cardiogate.dsp.qrs.QrsDetector;
import org.cardiogate.dsp.qrs.QrsDetectorConfig;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.SampleTimeline;
import org.cardiogate.signal.SequenceTracker;
import org.cardiogate.signal.StreamDescriptor;

/**
 * The streaming front for one ECG stream: checks sample sequence numbers, runs the QRS detector on one lead and the
 * heart-rate meter, and reports beats with their sequence number, time, RR and averaged rate. The live loop and the
 * offline {@code analyze} use this same class; the beats do not depend on how the samples are cut into blocks.
 *
 * <p>Sequence handling: a gap (missing samples) or a source restart ends the detector's input ({@link
 * QrsDetector#finish()}, so a beat in progress is still reported), then the detector and the RR history start
 * afresh after it, and the listener hears {@link EcgBeatListener#onDiscontinuity}. Samples a block repeats (an
 * overlap) are skipped.
 *
 * <p>Latency: see {@link QrsDetector}; beats are reported at most {@link #maxReportDelaySeconds()} after their R
 * peak, except those found by search-back and those of the detector's first learning seconds.
 *
 * <p>Allocation-free in {@link #process(SampleBlock)} after construction. Not thread-safe: one DSP thread.
 */
public final class EcgProcessor {
    private final StreamDescriptor stream;
    private final int lead;
    private final EcgBeatListener listener;
    private final QrsDetector detector;
    private final HeartRateMeter heartRate;
    private final SequenceTracker tracker;
    private final SampleTimeline timeline;
    private final double rateHz;
    /** Sequence number of the detector's sample 0. */
    private long origin;
    private boolean started;
    private long beats;
    private long discontinuities;

    /** A processor with the default detector settings. */
    public EcgProcessor(StreamDescriptor stream, int lead, EcgBeatListener listener) {
        this(stream, lead, QrsDetectorConfig.defaults(), listener);
    }

    /**
     * @param stream   the ECG stream; its nominal rate is the detector's sample rate
     * @param lead     index of the channel to detect beats in
     * @param config   detector settings
     * @param listener receives beats and discontinuities
     */
    public EcgProcessor(StreamDescriptor stream, int lead, QrsDetectorConfig config, EcgBeatListener listener) {
        this.stream = Objects.requireNonNull(stream, "stream");
        if (lead < 0 || lead >= stream.channelCount()) {
            throw new IllegalArgumentException("lead " + lead + " does not exist in stream '" + stream.streamId()
                    + "', which has " + stream.channelCount() + " channel(s)");
        }
        this.lead = lead;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.rateHz = stream.nominalRateHz();
        this.detector = new QrsDetector(rateHz, config, this::onDetectorBeat);
        this.heartRate = new HeartRateMeter(rateHz);
        // a counter going back by more than a second is a restart, less is a repeated block
        this.tracker = new SequenceTracker(Math.max(1, Math.round(rateHz)));
        this.timeline = new SampleTimeline(rateHz, 0, 0);
    }

    /** Processes one block of the stream; beats are reported to the listener before this returns. */
    public void process(SampleBlock block) {
        if (block.stream() != stream && !block.stream().streamId().equals(stream.streamId())) {
            throw new IllegalArgumentException("block of stream '" + block.stream().streamId()
                    + "' given to the processor of stream '" + stream.streamId() + "'");
        }
        int len = block.length();
        if (len == 0) {
            return;
        }
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
        double[] x = block.channel(lead);
        for (int i = skip; i < len; i++) {
            detector.process(x[i]);
        }
    }

    /** Ends the stream (end of an offline record): reports the beat still being decided, if any. */
    public void finish() {
        detector.finish();
    }

    private void restart(long firstMissing, long lost, long newOrigin) {
        detector.finish();
        detector.reset();
        heartRate.reset();
        origin = newOrigin;
        discontinuities++;
        listener.onDiscontinuity(firstMissing, lost);
    }

    private void onDetectorBeat(long rPeakSample, double amplitude) {
        long sequence = origin + rPeakSample;
        double rr = heartRate.onBeat(sequence);
        beats++;
        listener.onBeat(sequence, timeline.timestampOf(sequence), rr, heartRate.heartRateBpm(), amplitude);
    }

    public StreamDescriptor stream() {
        return stream;
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

    /** Upper bound of the R-to-report time of threshold beats, in seconds. */
    public double maxReportDelaySeconds() {
        return detector.maxReportDelaySeconds();
    }
}
