package org.cardiogate.inference.beat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * Offline run of the live beat path over a whole recording: the {@link EcgProcessor} finds the beats and the
 * {@link BeatFeatureExtractor} builds their classifier input, fed block by block exactly as the gateway feeds them.
 * Used by the training export, the evaluation and the tests. Allocates freely.
 *
 * @param record     record name
 * @param rateHz     sample rate of the lead
 * @param detected   R peaks of every beat the detector reported, ascending
 * @param rSamples   R peaks of the beats with features (the detected beats minus any the extractor dropped)
 * @param windows    {@code rSamples.length * CHANNELS * WINDOW} window values, beat-major
 * @param rr         {@code rSamples.length * RR_FEATURES} RR features, beat-major
 */
public record RecordFeatures(String record, double rateHz, long[] detected, long[] rSamples, float[] windows,
                             float[] rr) {
    /** Samples per block fed to the processor, as the live loop's typical block. */
    public static final int BLOCK_SAMPLES = 64;
    private static final int WIN = BeatFeatures.CHANNELS * BeatFeatures.WINDOW;

    public int beatCount() {
        return rSamples.length;
    }

    /** Runs lead 0 of a WFDB record (path without extension). */
    public static RecordFeatures of(Path record) throws IOException {
        WfdbRecord rec = WfdbRecord.read(record);
        if (rec.signalCount() == 0 || rec.length() == 0) {
            throw new IOException(record + ": the record has no samples");
        }
        return of(rec.name(), rec.samplingFrequency(), rec.physical(0));
    }

    /** Runs one lead given in mV at {@code rateHz}. */
    public static RecordFeatures of(String name, double rateHz, double[] signal) {
        StreamDescriptor stream = new StreamDescriptor("ecg", "record:" + name, Modality.ECG,
                List.of(new Channel("ECG", "mV")), rateHz);
        long periodNs = Math.round(1e9 / rateHz);
        Growing det = new Growing();
        Growing rs = new Growing();
        float[][] win = {new float[4096 * WIN]};
        float[][] rrs = {new float[4096 * BeatFeatures.RR_FEATURES]};
        BeatFeatureExtractor extractor = new BeatFeatureExtractor(rateHz, (r, w, rr) -> {
            int i = rs.n;
            rs.add(r);
            if ((i + 1) * WIN > win[0].length) {
                win[0] = Arrays.copyOf(win[0], win[0].length * 2);
                rrs[0] = Arrays.copyOf(rrs[0], rrs[0].length * 2);
            }
            System.arraycopy(w, 0, win[0], i * WIN, WIN);
            System.arraycopy(rr, 0, rrs[0], i * BeatFeatures.RR_FEATURES, BeatFeatures.RR_FEATURES);
        });
        EcgProcessor processor = new EcgProcessor(stream, 0, new EcgBeatListener() {
            @Override
            public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude) {
                det.add(sample);
                extractor.onBeat(sample);
            }
        });
        SampleBlock block = new SampleBlock(stream, BLOCK_SAMPLES);
        for (int start = 0; start < signal.length; start += BLOCK_SAMPLES) {
            int len = Math.min(BLOCK_SAMPLES, signal.length - start);
            block.begin(start, start * periodNs);
            System.arraycopy(signal, start, block.channel(0), 0, len);
            block.setLength(len);
            extractor.process(start, signal, start, len);
            processor.process(block);
        }
        processor.finish();
        extractor.finish();
        int n = rs.n;
        return new RecordFeatures(name, rateHz, det.toArray(), rs.toArray(), Arrays.copyOf(win[0], n * WIN),
                Arrays.copyOf(rrs[0], n * BeatFeatures.RR_FEATURES));
    }

    /**
     * Runs the feature extractor alone on given R peaks (ascending), each handed over as soon as the block that
     * holds it has been fed: for a caller that has already run the QRS detector (so the beats are detected once and
     * the classes belong to the caller's beats), for features at reference R positions, or to reproduce an export
     * whatever later changes to the QRS detector do.
     *
     * <p>On the peaks {@link #of(String, double, double[])} reports, the features are the same except the next RR
     * of a beat before a pause: the live path emits a beat whose successor the detector reports more than
     * {@link BeatFeatureExtractor#NEXT_BEAT_TIMEOUT_SECONDS} after it with that timeout as its next RR, this path
     * (which hands the next peak over earlier) with the true interval. On the 48 MIT-BIH records that is 28 of about
     * 110,000 beats, and no class changed (model 1.2.0).
     */
    public static RecordFeatures ofPeaks(String name, double rateHz, double[] signal, long[] peaks) {
        Growing rs = new Growing();
        float[][] win = {new float[Math.max(1, peaks.length) * WIN]};
        float[][] rrs = {new float[Math.max(1, peaks.length) * BeatFeatures.RR_FEATURES]};
        BeatFeatureExtractor extractor = new BeatFeatureExtractor(rateHz, (r, w, rr) -> {
            int i = rs.n;
            rs.add(r);
            System.arraycopy(w, 0, win[0], i * WIN, WIN);
            System.arraycopy(rr, 0, rrs[0], i * BeatFeatures.RR_FEATURES, BeatFeatures.RR_FEATURES);
        });
        int next = 0;
        for (int start = 0; start < signal.length; start += BLOCK_SAMPLES) {
            int len = Math.min(BLOCK_SAMPLES, signal.length - start);
            extractor.process(start, signal, start, len);
            while (next < peaks.length && peaks[next] < start + len) {
                extractor.onBeat(peaks[next++]);
            }
        }
        extractor.finish();
        int n = rs.n;
        return new RecordFeatures(name, rateHz, peaks.clone(), rs.toArray(), Arrays.copyOf(win[0], n * WIN),
                Arrays.copyOf(rrs[0], n * BeatFeatures.RR_FEATURES));
    }

    /**
     * The reference class of each beat in {@code detected}: the AAMI class of the nearest reference beat within
     * {@code windowSeconds}, each reference beat used at most once (the closest detection wins), or {@code null}
     * for a detection that matches none.
     */
    public static AamiClass[] referenceClasses(long[] detected, List<Annotation> reference, double rateHz,
                                               double windowSeconds) {
        long[] refSamples = new long[reference.size()];
        AamiClass[] refClass = new AamiClass[reference.size()];
        int m = 0;
        for (Annotation a : reference) {
            AamiClass c = a.isBeat() ? AamiClass.fromMitSymbol(a.symbol()) : null;
            if (c != null) {
                refSamples[m] = a.sample();
                refClass[m++] = c;
            }
        }
        long window = Math.round(windowSeconds * rateHz);
        int[] owner = new int[m];
        Arrays.fill(owner, -1);
        AamiClass[] out = new AamiClass[detected.length];
        for (int d = 0; d < detected.length; d++) {
            int idx = Arrays.binarySearch(refSamples, 0, m, detected[d]);
            if (idx < 0) {
                idx = -idx - 1;
            }
            int best = -1;
            long bestDist = Long.MAX_VALUE;
            for (int c = idx - 1; c <= idx; c++) {
                if (c >= 0 && c < m && Math.abs(refSamples[c] - detected[d]) < bestDist) {
                    best = c;
                    bestDist = Math.abs(refSamples[c] - detected[d]);
                }
            }
            if (best < 0 || bestDist > window) {
                continue;
            }
            int prev = owner[best];
            if (prev >= 0) {
                if (Math.abs(detected[prev] - refSamples[best]) <= bestDist) {
                    continue;
                }
                out[prev] = null;
            }
            owner[best] = d;
            out[d] = refClass[best];
        }
        return out;
    }

    private static final class Growing {
        long[] a = new long[4096];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
