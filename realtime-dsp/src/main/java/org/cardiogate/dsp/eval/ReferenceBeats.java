package org.cardiogate.dsp.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationReader;

/**
 * The reference beats of an annotated record and the intervals EC57 excludes from QRS scoring (ventricular flutter
 * and fibrillation, between {@code [} and {@code ]}).
 *
 * @param beats         sample numbers of the beat annotations, ascending
 * @param excludedStart first sample of each excluded interval
 * @param excludedEnd   last sample of each excluded interval
 */
public record ReferenceBeats(long[] beats, long[] excludedStart, long[] excludedEnd) {

    public ReferenceBeats {
        beats = beats.clone();
        excludedStart = excludedStart.clone();
        excludedEnd = excludedEnd.clone();
    }

    /** Reads annotator {@code annotator} (e.g. {@code "atr"}) of {@code record} (path without extension). */
    public static ReferenceBeats read(Path record, String annotator) throws IOException {
        return of(AnnotationReader.read(record, annotator));
    }

    public static ReferenceBeats of(List<Annotation> annotations) {
        long[] samples = new long[annotations.size()];
        String[] symbols = new String[annotations.size()];
        long[] beats = new long[annotations.size()];
        int k = 0;
        for (int a = 0; a < annotations.size(); a++) {
            Annotation an = annotations.get(a);
            samples[a] = an.sample();
            symbols[a] = an.symbol();
            if (an.isBeat()) {
                beats[k++] = an.sample();
            }
        }
        long[][] vf = BeatMatcher.flutterEpisodes(samples, symbols);
        return new ReferenceBeats(java.util.Arrays.copyOf(beats, k), vf[0], vf[1]);
    }

    /** Scores {@code detected} against these beats with {@code matcher}. */
    public MatchResult score(BeatMatcher matcher, long[] detected) {
        return matcher.match(beats, detected, excludedStart, excludedEnd);
    }
}
