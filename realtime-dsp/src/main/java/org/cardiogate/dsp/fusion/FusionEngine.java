package org.cardiogate.dsp.fusion;

import java.util.Objects;
import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.dsp.OrderStatistics;
import org.cardiogate.dsp.delineation.BeatDelineation;
import org.cardiogate.dsp.delineation.BeatDelineator;
import org.cardiogate.dsp.delineation.BeatIntervals;
import org.cardiogate.dsp.ppg.PpgProcessor;
import org.cardiogate.dsp.ppg.PpgPulse;
import org.cardiogate.dsp.ppg.PulseListener;
import org.cardiogate.dsp.quality.QualityClass;
import org.cardiogate.dsp.scg.ScgBeat;
import org.cardiogate.dsp.scg.ScgBeatListener;
import org.cardiogate.dsp.scg.ScgProcessor;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.SequenceTracker;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Beat-by-beat fusion of ECG, SCG and PPG on one time axis. Each stream keeps its own processor; the engine matches
 * their findings by the samples' monotonic timestamps ({@link SampleBlock#timestampNanos()} and each stream's rate),
 * never by sample index, so streams from separate clocks and at different rates line up.
 *
 * <p>Per ECG R peak the engine waits until the SCG has covered the beat's AC window and the PPG detector has
 * reported every pulse up to R + {@link FusionConfig#patMaxSeconds()} (about 4 s with the default PPG settings), or
 * until that stream is stale (its newest sample more than {@link FusionConfig#staleSeconds()} behind the newest of
 * any stream); then it reports a {@link FusedBeat}: PR, QRS and QT from a {@link BeatDelineator} on the ECG lead (the
 * engine also waits for it, at most its latency of about 0.83 s after R), AO and AC from the gated SCG analysis, the
 * PPG pulse whose foot lies in the PAT window (of several, the one closest to the recent median PAT; a jump of more
 * than {@value #PAT_JUMP_MS} ms from it halves the pulse's quality), PEP, LVET, PAT and the qualities. While the ECG has no current beat,
 * beats the SCG finds on its own are reported instead, anchored on AO.
 *
 * <p>Heart rate: each modality keeps the median of its last 8 beat intervals and a running quality. The ECG is used
 * while its last beat is at most {@link FusionConfig#currentSeconds()} old and its quality is at least 0.5; otherwise
 * the current one of SCG and PPG with the better quality (SCG on a tie). So when the ECG is cut the source changes
 * within currentSeconds plus one beat, and returns to the ECG with its second beat after the ECG is back (the QRS
 * detector relearns first, a few seconds). Every change and every beat of the chosen source goes to
 * {@link FusedBeatListener#onHeartRate}.
 *
 * <p>Allocation-free in {@link #process(SampleBlock)} after construction. Not thread-safe: one DSP thread calls
 * {@link #process} for the blocks of all streams, in any interleaving.
 */
public final class FusionEngine {
    private static final long NONE = FusedBeat.NONE;
    private static final int QUEUE = 64;
    private static final int HISTORY = 8;
    private static final long GIVE_UP_NANOS = 15_000_000_000L;
    /** A PAT further than this from the recent median halves the pulse's quality, ms. */
    static final double PAT_JUMP_MS = 50;

    private final FusionConfig config;
    private final FusedBeatListener listener;
    private final StreamDescriptor ecgStream;
    private final StreamDescriptor ppgStream;
    private final StreamDescriptor scgStream;
    private final EcgProcessor ecg;
    private final PpgProcessor ppg;
    private final ScgProcessor scg;
    private final int ecgLead;
    private final BeatDelineator delineator;
    private final BeatIntervals intervals = new BeatIntervals();
    private final SequenceTracker ecgSequence;
    private final long delineationWait;
    private boolean delineatorStarted;
    private long delineatorOrigin;
    private long delineatorLastR = NONE;
    private final FusedBeat beat = new FusedBeat();
    private final ScgBeat scgBeat = new ScgBeat();
    private final long patMin;
    private final long patMax;
    private final long current;
    private final long stale;

    // beats waiting for SCG and PPG: anchor time, R sample (-1 for SCG-anchored), RR, quality, AO of SCG anchors
    private final long[] qAnchor = new long[QUEUE];
    private final long[] qSample = new long[QUEUE];
    private final double[] qRr = new double[QUEUE];
    private final double[] qQuality = new double[QUEUE];
    private final long[] qAo = new long[QUEUE];
    private final boolean[] qDelineated = new boolean[QUEUE];
    private final double[] qPr = new double[QUEUE];
    private final double[] qQrs = new double[QUEUE];
    private final double[] qQt = new double[QUEUE];
    private int qHead;
    private int qCount;

    // recent PPG pulses
    private final long[] pFoot = new long[QUEUE];
    private final long[] pPeak = new long[QUEUE];
    private final double[] pQuality = new double[QUEUE];
    private int pNext;
    private int pCount;
    private final long[] pats = new long[HISTORY];
    private final double[] patSorted = new double[HISTORY];
    private int patCount;

    private final Rate[] rates = {new Rate(), new Rate(), new Rate()};
    private HeartRateSource selected;
    private long ecgNewest = NONE;
    private double pepEstimate = 0.1;
    private long beats;

    /**
     * @param ecg        the ECG stream, or null
     * @param ecgLead    its channel to detect R peaks in
     * @param ppg        the PPG stream, or null
     * @param irChannel  its primary (infrared) channel, blood-volume orientation
     * @param redChannel its red channel for SpO2, or -1
     * @param scg        the SCG stream, or null
     * @param scgAxis    its dorso-ventral axis channel
     */
    public FusionEngine(FusionConfig config, StreamDescriptor ecg, int ecgLead, StreamDescriptor ppg, int irChannel,
                        int redChannel, StreamDescriptor scg, int scgAxis, FusedBeatListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (ecg == null && ppg == null && scg == null) {
            throw new IllegalArgumentException("fusion needs at least one of the ECG, PPG and SCG streams");
        }
        this.ecgStream = ecg;
        this.ppgStream = ppg;
        this.scgStream = scg;
        this.ecg = ecg == null ? null : new EcgProcessor(ecg, ecgLead, new EcgSide());
        this.ecgLead = ecgLead;
        boolean delineate = ecg != null && ecg.nominalRateHz() >= 100 && ecg.nominalRateHz() <= 10_000;
        this.delineator = delineate ? new BeatDelineator(ecg.nominalRateHz(), this::onDelineation) : null;
        this.ecgSequence = ecg == null ? null : new SequenceTracker(Math.max(1, Math.round(ecg.nominalRateHz())));
        this.delineationWait = delineate ? (long) ((delineator.maxLatencySeconds() + 0.1) * 1e9) : 0;
        this.ppg = ppg == null ? null : new PpgProcessor(ppg, irChannel, redChannel, config.ppg(), new PpgSide());
        this.scg = scg == null ? null : new ScgProcessor(scg, scgAxis, config.scg(), new ScgSide());
        this.patMin = (long) (config.patMinSeconds() * 1e9);
        this.patMax = (long) (config.patMaxSeconds() * 1e9);
        this.current = (long) (config.currentSeconds() * 1e9);
        this.stale = (long) (config.staleSeconds() * 1e9);
    }

    /** Takes one block of any of the three streams (matched by stream id); reports beats that became complete. */
    public void process(SampleBlock block) {
        String id = block.stream().streamId();
        if (ecgStream != null && id.equals(ecgStream.streamId())) {
            int len = block.length();
            SequenceTracker.Result seq = len == 0 ? null : ecgSequence.accept(block.firstSequence(), len);
            ecg.process(block);
            if (len > 0) {
                ecgNewest = block.timestampNanos() + Math.round((len - 1) * 1e9 / ecgStream.nominalRateHz());
                if (delineator != null) {
                    delineate(block, seq);
                }
            }
        } else if (scgStream != null && id.equals(scgStream.streamId())) {
            scg.process(block);
        } else if (ppgStream != null && id.equals(ppgStream.streamId())) {
            ppg.process(block);
        } else {
            throw new IllegalArgumentException("block of stream '" + id + "' is none of the fused streams");
        }
        select(now());
        drain(false);
    }

    /**
     * Gives the lead's new samples to the delineator in the ECG processor's sample numbering: after a gap or a restart
     * it starts afresh at the block, repeated samples are skipped.
     */
    private void delineate(SampleBlock block, SequenceTracker.Result seq) {
        int skip = 0;
        if (!delineatorStarted || seq == SequenceTracker.Result.GAP || seq == SequenceTracker.Result.RESET) {
            delineatorStarted = true;
            delineator.reset(block.firstSequence());
            delineatorOrigin = block.firstSequence();
            delineatorLastR = NONE;
        } else if (seq == SequenceTracker.Result.OVERLAP) {
            skip = (int) ecgSequence.lastOverlapLength();
        }
        if (skip < block.length()) {
            delineator.process(block.channel(ecgLead), skip, block.length() - skip);
        }
    }

    private void onDelineation(BeatDelineation d) {
        for (int k = 0; k < qCount; k++) {
            int i = (qHead + k) % QUEUE;
            if (qSample[i] == d.rPeak()) {
                intervals.update(d);
                qPr[i] = intervals.prSeconds() * 1000;
                qQrs[i] = intervals.qrsSeconds() * 1000;
                qQt[i] = intervals.qtSeconds() * 1000;
                qDelineated[i] = true;
                return;
            }
        }
    }

    /** End of all streams (offline): decides the beats still waiting. */
    public void finish() {
        if (ecg != null) {
            ecg.finish();
        }
        if (delineator != null) {
            delineator.finish();
        }
        if (ppg != null) {
            ppg.finish();
        }
        if (scg != null) {
            scg.finish();
        }
        drain(true);
    }

    /** Beats reported so far. */
    public long beatCount() {
        return beats;
    }

    /** The heart-rate source currently chosen, or null before any. */
    public HeartRateSource heartRateSource() {
        return selected;
    }

    /** The current heart rate of the chosen source, or NaN. */
    public double heartRateBpm() {
        return selected == null ? Double.NaN : rates[selected.ordinal()].bpm();
    }

    private long now() {
        long t = ecgNewest;
        if (ppg != null) {
            t = Math.max(t, ppg.newestNanos());
        }
        if (scg != null) {
            t = Math.max(t, scg.newestNanos());
        }
        return t;
    }

    private boolean isStale(long newest, long now) {
        return newest == NONE || newest < now - stale;
    }

    private void enqueue(long anchor, long sample, double rr, double quality, long ao) {
        if (qCount == QUEUE) {
            emit(true);
        }
        int i = (qHead + qCount) % QUEUE;
        qAnchor[i] = anchor;
        qSample[i] = sample;
        qRr[i] = rr;
        qQuality[i] = quality;
        qAo[i] = ao;
        qDelineated[i] = false;
        qPr[i] = Double.NaN;
        qQrs[i] = Double.NaN;
        qQt[i] = Double.NaN;
        qCount++;
        if (sample >= 0 && delineator != null && sample >= delineatorOrigin
                && (delineatorLastR == NONE || sample > delineatorLastR)) {
            delineatorLastR = sample;
            delineator.onBeat(sample);
        }
    }

    private void drain(boolean force) {
        while (qCount > 0 && emit(force)) {
            // emitted one
        }
    }

    /** Reports the oldest waiting beat if everything it needs is there; returns whether it did. */
    private boolean emit(boolean force) {
        int i = qHead;
        long anchor = qAnchor[i];
        long now = now();
        boolean giveUp = force || now - anchor > GIVE_UP_NANOS;
        if (ppg != null && !giveUp && ppg.committedThroughNanos() < anchor + patMax
                && !isStale(ppg.newestNanos(), now)) {
            return false;
        }
        boolean ecgAnchored = qSample[i] >= 0;
        if (ecgAnchored && delineator != null && !qDelineated[i] && !giveUp && !isStale(ecgNewest, now)
                && ecgNewest < anchor + delineationWait) {
            return false;
        }
        int scgResult = ScgProcessor.MISSING;
        if (scg != null && ecgAnchored) {
            scgResult = scg.analyse(anchor, qRr[i], scgBeat);
            if (scgResult == ScgProcessor.WAIT && !giveUp && !isStale(scg.newestNanos(), now)) {
                return false;
            }
        }
        beat.clear();
        if (ecgAnchored) {
            beat.anchor = HeartRateSource.ECG;
            beat.rSample = qSample[i];
            beat.rNanos = anchor;
            beat.qualityEcg = qQuality[i];
            beat.prMs = qPr[i];
            beat.qrsMs = qQrs[i];
            beat.qtMs = qQt[i];
            if (scgResult == ScgProcessor.FOUND) {
                beat.aoNanos = scgBeat.aoNanos();
                beat.acNanos = scgBeat.acNanos();
                beat.qualityScg = scgBeat.quality();
                double pep = (beat.aoNanos - anchor) / 1e9;
                pepEstimate += 0.1 * (pep - pepEstimate);
            }
        } else {
            beat.anchor = HeartRateSource.SCG;
            beat.aoNanos = qAo[i];
            beat.qualityScg = qQuality[i];
        }
        matchPulse(anchor);
        if (selected != null) {
            beat.heartRateSource = selected;
            beat.heartRateBpm = rates[selected.ordinal()].bpm();
        }
        qHead = (qHead + 1) % QUEUE;
        qCount--;
        beats++;
        listener.onBeat(beat);
        return true;
    }

    /**
     * The beat's pulse: of the feet in the PAT window, the one closest to the recent median PAT (the earliest while
     * there is none). PAT follows blood pressure and changes little from one beat to the next, so a foot more than
     * {@value #PAT_JUMP_MS} ms from the recent median is most likely misplaced by motion or noise: its quality is
     * halved, and it does not enter the median.
     */
    private void matchPulse(long anchor) {
        long from = anchor + patMin;
        long to = anchor + patMax;
        double median = patCount >= 3 ? medianPat() : Double.NaN;
        long bestScore = Long.MAX_VALUE;
        int bestIndex = -1;
        for (int k = 0; k < pCount; k++) {
            int j = (pNext - 1 - k + QUEUE) % QUEUE;
            long f = pFoot[j];
            if (f >= from && f <= to) {
                long score = Double.isNaN(median) ? f - from : Math.abs(f - anchor - (long) median);
                if (score < bestScore) {
                    bestScore = score;
                    bestIndex = j;
                }
            }
        }
        if (bestIndex >= 0) {
            long pat = pFoot[bestIndex] - anchor;
            boolean jump = !Double.isNaN(median) && Math.abs(pat - median) > PAT_JUMP_MS * 1e6;
            beat.ppgFootNanos = pFoot[bestIndex];
            beat.ppgPeakNanos = pPeak[bestIndex];
            beat.qualityPpg = pQuality[bestIndex] * (jump ? 0.5 : 1);
            if (!jump && pQuality[bestIndex] >= PpgProcessor.CLEAN_QUALITY) {
                pats[patCount++ % HISTORY] = pat;
            }
        }
    }

    private double medianPat() {
        int n = Math.min(patCount, HISTORY);
        for (int a = 0; a < n; a++) {
            patSorted[a] = pats[a];
        }
        return OrderStatistics.median(patSorted, n);
    }

    private void select(long now) {
        Rate e = rates[HeartRateSource.ECG.ordinal()];
        Rate s = rates[HeartRateSource.SCG.ordinal()];
        Rate p = rates[HeartRateSource.PPG.ordinal()];
        HeartRateSource choice;
        if (e.isCurrent(now, current) && e.quality >= 0.5) {
            choice = HeartRateSource.ECG;
        } else {
            boolean sc = s.isCurrent(now, current);
            boolean pc = p.isCurrent(now, current + (long) ((config.ppg().hopSeconds() + config.ppg().tailSeconds()) * 1e9));
            if (sc && (!pc || s.quality >= p.quality)) {
                choice = HeartRateSource.SCG;
            } else if (pc) {
                choice = HeartRateSource.PPG;
            } else if (e.isCurrent(now, current)) {
                choice = HeartRateSource.ECG;
            } else {
                choice = selected;
            }
        }
        if (choice != selected && choice != null) {
            selected = choice;
            Rate r = rates[choice.ordinal()];
            listener.onHeartRate(r.last, r.bpm(), choice);
        }
    }

    private void onRateBeat(HeartRateSource source, long nanos, double quality) {
        Rate r = rates[source.ordinal()];
        r.beat(nanos, quality);
        select(now());
        if (selected == source) {
            listener.onHeartRate(nanos, r.bpm(), source);
        }
    }

    private static double qualityOf(QualityClass q) {
        return switch (q) {
            case GOOD -> 1;
            case ACCEPTABLE -> 0.6;
            case UNUSABLE -> 0.1;
        };
    }

    private final class EcgSide implements EcgBeatListener {
        @Override
        public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude) {
            onBeat(sample, timestampNanos, rrSeconds, heartRateBpm, amplitude, QualityClass.GOOD);
        }

        @Override
        public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude,
                           QualityClass quality) {
            double q = qualityOf(quality);
            enqueue(timestampNanos, sample, rrSeconds, q, NONE);
            onRateBeat(HeartRateSource.ECG, timestampNanos, q);
        }

        @Override
        public void onDiscontinuity(long firstMissing, long lostSamples) {
            rates[HeartRateSource.ECG.ordinal()].reset();
        }
    }

    private final class PpgSide implements PulseListener {
        @Override
        public void onPulse(PpgPulse pulse) {
            pFoot[pNext] = pulse.footNanos();
            pPeak[pNext] = pulse.peakNanos();
            pQuality[pNext] = pulse.quality();
            pNext = (pNext + 1) % QUEUE;
            pCount = Math.min(pCount + 1, QUEUE);
            onRateBeat(HeartRateSource.PPG, pulse.peakNanos(), pulse.quality());
            listener.onPulse(pulse);
        }
    }

    private final class ScgSide implements ScgBeatListener {
        @Override
        public void onScgBeat(ScgBeat b) {
            long now = now();
            Rate e = rates[HeartRateSource.ECG.ordinal()];
            boolean ecgLost = ecg == null || isStale(ecgNewest, now) || (e.last != NONE && now - e.last > current);
            if (ecgLost) {
                long pep = (long) (pepEstimate * 1e9);
                enqueue(b.aoNanos() - pep, -1, Double.NaN, b.quality(), b.aoNanos());
            }
            onRateBeat(HeartRateSource.SCG, b.aoNanos(), b.quality());
        }
    }

    /** One modality's recent beat intervals and quality. */
    private static final class Rate {
        final double[] intervals = new double[HISTORY];
        final double[] sorted = new double[HISTORY];
        int count;
        long last = NONE;
        double quality;

        void beat(long nanos, double q) {
            if (last != NONE) {
                double ibi = (nanos - last) / 1e9;
                if (ibi > 0.2 && ibi < 3) {
                    intervals[count % HISTORY] = ibi;
                    count++;
                }
            }
            last = nanos;
            quality = count <= 1 ? q : 0.8 * quality + 0.2 * q;
        }

        boolean isCurrent(long now, long within) {
            return count > 0 && last != NONE && now - last <= within;
        }

        double bpm() {
            int n = Math.min(count, HISTORY);
            if (n == 0) {
                return Double.NaN;
            }
            System.arraycopy(intervals, 0, sorted, 0, n);
            return 60 / OrderStatistics.median(sorted, n);
        }

        void reset() {
            count = 0;
            last = NONE;
            quality = 0;
        }
    }
}
