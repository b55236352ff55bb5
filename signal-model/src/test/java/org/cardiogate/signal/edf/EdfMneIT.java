package org.cardiogate.signal.edf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EDF+ files written here, read by MNE-Python as an independent reader. */
class EdfMneIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void mneIsInstalled() throws Exception {
        Mne.assumeAvailable();
    }

    private static final String[] TEXTS = {"N", "V", "TACHY", "Elektrode gelöst ♥"};

    /** Writes {@code seconds} of data and beat, alarm and technical annotations; returns the annotations. */
    private static List<EdfAnnotation> write(Path file, List<EdfSignalSpec> signals, int seconds) throws Exception {
        List<EdfAnnotation> written = new ArrayList<>();
        try (EdfWriter w = EdfWriter.create(file, EdfRecordingSpec.of(EdfRoundTripTest.START, 1.0, signals), 4)) {
            for (int sec = 0; sec < seconds; sec++) {
                // annotated before the second is written: a queued annotation left at close would cost a padded record
                EdfAnnotation a = new EdfAnnotation(sec + 0.25, Double.NaN, TEXTS[sec % 2]);
                w.annotate(a.onsetSeconds(), a.durationSeconds(), a.text());
                written.add(a);
                for (int s = 0; s < signals.size(); s++) {
                    int n = signals.get(s).samplesPerRecord();
                    double[] x = new double[n];
                    for (int i = 0; i < n; i++) {
                        x[i] = value(s, sec * n + i, n);
                    }
                    w.writeSamples(s, x, 0, n);
                }
                if (sec == 3) {
                    a = new EdfAnnotation(1.5, 2.0, TEXTS[2]);
                    w.annotate(a.onsetSeconds(), a.durationSeconds(), a.text());
                    written.add(a);
                    a = new EdfAnnotation(5.125, 0.5, TEXTS[3]);
                    w.annotate(a.onsetSeconds(), a.durationSeconds(), a.text());
                    written.add(a);
                }
            }
        }
        return written;
    }

    static double value(int signal, int i, double fs) {
        return signal == 2 ? EdfRoundTripTest.ppg(i, fs) : EdfRoundTripTest.ecg(signal, i, fs);
    }

    private static List<EdfAnnotation> withZeroForNoDuration(List<EdfAnnotation> in) {
        List<EdfAnnotation> out = new ArrayList<>();
        for (EdfAnnotation a : in) {
            out.add(new EdfAnnotation(a.onsetSeconds(), a.hasDuration() ? a.durationSeconds() : 0, a.text()));
        }
        return out;
    }

    @Test
    void mneReadsEqualRateSignalsSamplesAndAnnotations() throws Exception {
        Path file = tmp.resolve("equal.edf");
        List<EdfSignalSpec> signals = List.of(
                EdfSignalSpec.of("ECG I", "mV", -5, 5, 500),
                EdfSignalSpec.of("ECG II", "mV", -5, 5, 500),
                new EdfSignalSpec("PPG", "", "au", -1000, 1000, -2048, 2047, "", 500));
        List<EdfAnnotation> written = write(file, signals, 8);
        int[] idx = {0, 1, 7, 499, 500, 1234, 3999};
        Mne.Result r = Mne.read(file, idx);

        assertThat(r.channelNames()).containsExactly("ECG I", "ECG II", "PPG");
        assertThat(r.sfreq()).isEqualTo(500.0);
        assertThat(r.nTimes()).isEqualTo(8 * 500);
        assertThat(r.measDate()).isEqualTo("2026-03-14T09:26:53");
        EdfFile ours = EdfReader.read(file);
        for (int s = 0; s < 3; s++) {
            double si = s == 2 ? 1.0 : 1e-3;
            double[] physical = ours.physical(s);
            for (int i : idx) {
                assertThat(r.sample(s, i)).as("channel %d sample %d", s, i)
                        .isCloseTo(physical[i] * si, within(1e-9 * Math.abs(physical[i] * si) + 1e-12));
                assertThat(r.sample(s, i) / si).isCloseTo(value(s, i, 500), within(signals.get(s).resolution()));
            }
        }
        assertThat(r.annotations()).containsExactlyInAnyOrderElementsOf(withZeroForNoDuration(written));
        assertThat(r.rawAnnotations()).containsExactlyInAnyOrderElementsOf(withZeroForNoDuration(written));
    }

    @Test
    void mneReadsMixedRateFilesResamplingTheSlowerSignal() throws Exception {
        Path file = tmp.resolve("mixed.edf");
        List<EdfSignalSpec> signals = EdfRoundTripTest.ecgEcgPpg();
        List<EdfAnnotation> written = write(file, signals, 6);
        int[] idx = {0, 3, 250, 2999};
        Mne.Result r = Mne.read(file, idx);

        // MNE upsamples every channel to the highest rate; the 500 Hz ECG samples stay exact
        assertThat(r.channelNames()).containsExactly("ECG I", "ECG II", "PPG");
        assertThat(r.sfreq()).isEqualTo(500.0);
        assertThat(r.nTimes()).isEqualTo(6 * 500);
        for (int s = 0; s < 2; s++) {
            for (int i : idx) {
                assertThat(r.sample(s, i) * 1e3).isCloseTo(value(s, i, 500), within(signals.get(s).resolution()));
            }
        }
        // the 100 Hz PPG at 500 Hz: sample 250 is PPG sample 50, mid-record, away from resampling edge effects
        assertThat(r.sample(2, 250)).isCloseTo(value(2, 50, 100), within(0.05 * 400));
        assertThat(r.annotations()).containsExactlyInAnyOrderElementsOf(withZeroForNoDuration(written));
    }
}
