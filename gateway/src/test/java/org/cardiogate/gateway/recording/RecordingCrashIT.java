package org.cardiogate.gateway.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cardiogate.signal.edf.EdfAnnotation;
import org.cardiogate.signal.edf.EdfFile;
import org.cardiogate.signal.edf.EdfReader;
import org.cardiogate.gateway.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EDF+ files of the {@link RecordingService} against an independent reader (MNE-Python) and against SIGKILL: a child
 * JVM records the simulator and is killed at random moments; each file must still open with {@link EdfReader} and
 * MNE, count every complete data record on disk except at most the last, and hold the simulator's samples.
 */
class RecordingCrashIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String MNE_SCRIPT = String.join("\n",
            "import sys, json, mne",
            "raw = mne.io.read_raw_edf(sys.argv[1], preload=True, verbose='error')",
            "d = raw.get_data(picks=[raw.ch_names.index(sys.argv[2])])[0]",
            "a = raw.annotations",
            "print(json.dumps({'sfreq': float(raw.info['sfreq']), 'n_times': int(raw.n_times), 'ch_names': raw.ch_names,",
            "  'ann': [[float(o), float(du), str(t)] for o, du, t in zip(a.onset, a.duration, a.description)],",
            "  'data': [float(x) for x in d]}))");
    private static final int KILLS = 4;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void aFileClosedNormallyReadsTheSameInMneSamplesAndAnnotations(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(5);
        Path edf;
        try (RecordingService rec = new RecordingService(RecordingSettings.defaults(dir, "mne"), feed.streams(),
                feed.wall, feed.mono)) {
            String id = rec.start("mne check", "lab").id();
            feed.seconds(15, rec);
            rec.onEvent(new org.cardiogate.signal.CardiacEvent("ecg", org.cardiogate.signal.EventType.BRADY, 3000,
                    3999, 6_000_000_000L, "HR 38 bpm < 40 bpm"));
            feed.seconds(2, rec);
            rec.stop(id, "lab");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> rec.isClosed(id));
            edf = rec.file(id, "edf").orElseThrow();
        }
        EdfFile f = EdfReader.read(edf);
        JsonNode mne = mne(edf, "ECG II");
        assumeTrue(mne != null, "MNE not installed; skipping");
        assertThat(mne.get("sfreq").asDouble()).isEqualTo(500);
        assertThat(mne.get("n_times").asInt()).isEqualTo(f.length(1));
        double[] ours = f.physical(1);
        JsonNode data = mne.get("data");
        for (int i = 0; i < ours.length; i++) {
            assertThat(data.get(i).asDouble() * 1000).as("MNE sample %d (V to mV)", i).isCloseTo(ours[i], within(1e-6));
        }
        // MNE orders annotations by onset; the file holds them in the order they were written
        List<EdfAnnotation> ann = f.annotations().stream().sorted(java.util.Comparator
                .comparingDouble(EdfAnnotation::onsetSeconds).thenComparing(EdfAnnotation::text)).toList();
        List<String> mneAnn = new ArrayList<>();
        for (JsonNode a : mne.get("ann")) {
            mneAnn.add(String.format("%.6f %s", a.get(0).asDouble(), a.get(2).asText()));
        }
        List<String> expected = ann.stream().map(a -> String.format("%.6f %s", a.onsetSeconds(), a.text())).toList();
        assertThat(mneAnn).containsExactlyInAnyOrderElementsOf(expected);
        for (JsonNode a : mne.get("ann")) {
            if (a.get(2).asText().startsWith("BRADY")) {
                assertThat(a.get(1).asDouble()).as("BRADY duration in MNE").isCloseTo(2.0, within(1e-6));
            }
        }
        assertThat(ann).extracting(EdfAnnotation::text).contains("BRADY HR 38 bpm < 40 bpm");
        assertThat(ann.stream().filter(a -> a.text().equals("N")).count()).isGreaterThan(10);
    }

    @Test
    void sigkillDuringRecordingLeavesAFileEveryReaderOpensLosingAtMostTheLastRecord(@TempDir Path dir)
            throws Exception {
        Random random = new Random(8);
        boolean mneChecked = false;
        for (int k = 0; k < KILLS; k++) {
            long seed = 100 + k;
            Child child = start(dir, seed);
            child.awaitWritten(3, 30_000);
            Thread.sleep(100 + random.nextInt(600));
            child.jvm.process.toHandle().destroyForcibly();
            assertThat(child.jvm.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            child.jvm.reader.join(5_000);
            Path file = child.file;
            long reported = child.written;

            EdfFile f = EdfReader.read(file);
            long recordBytes = 512;
            for (int s = 0; s < f.signalCount(); s++) {
                recordBytes += 2L * f.signal(s).samplesPerRecord();
            }
            long header = 256L * (f.signalCount() + 2);
            long onDisk = (Files.size(file) - header) / recordBytes;
            assertThat(f.dataRecords()).as("kill %d: records read", k).isGreaterThanOrEqualTo((int) reported)
                    .isGreaterThanOrEqualTo((int) onDisk - 1);
            assertThat(f.declaredDataRecords()).as("kill %d: header count against records on disk", k)
                    .isBetween(onDisk - 1, onDisk);
            long first = SimFeed.firstEcgSample(f.startDateTime());
            double[][] ref = SimFeed.referenceEcg(seed, (int) first + f.length(1));
            double[] ii = f.physical(1);
            for (int i = 0; i < ii.length; i++) {
                assertThat(Math.abs(ii[i] - ref[1][(int) first + i])).as("kill %d: lead II sample %d", k, i)
                        .isLessThanOrEqualTo(0.0005 + 1e-9);
            }
            assertThat(f.annotations().stream().filter(a -> a.text().equals("N")).count()).isPositive();
            JsonNode mne = mne(file, "ECG II");
            if (mne != null) {
                assertThat(mne.get("n_times").asInt()).as("kill %d: MNE samples", k).isEqualTo(f.length(1));
                assertThat(mne.get("data").get(ii.length - 1).asDouble() * 1000).isCloseTo(ii[ii.length - 1],
                        within(1e-6));
                mneChecked = true;
            }
            System.out.printf("kill %d: %d records reported written, %d complete on disk, header %d, read %d%n", k,
                    reported, onDisk, f.declaredDataRecords(), f.dataRecords());
        }
        assumeTrue(mneChecked, "MNE not installed; the EdfReader part passed, the MNE part was skipped");
    }

    /** MNE's reading of a file, or null when MNE is missing (an AssertionError when CARDIOGATE_REQUIRE_TOOLS=1). */
    private static JsonNode mne(Path edf, String channel) throws Exception {
        boolean required = "1".equals(System.getenv("CARDIOGATE_REQUIRE_TOOLS"));
        if (!Files.isExecutable(Path.of(PYTHON))
                || new ProcessBuilder(PYTHON, "-c", "import mne").start().waitFor() != 0) {
            if (required) {
                throw new AssertionError(PYTHON + " with mne is required (CARDIOGATE_REQUIRE_TOOLS=1) but missing");
            }
            return null;
        }
        Path err = Files.createTempFile("mne", ".err");
        Process p = new ProcessBuilder(PYTHON, "-c", MNE_SCRIPT, edf.toString(), channel)
                .redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String errText = Files.readString(err);
        Files.delete(err);
        assertThat(rc).as("MNE failed to read %s: %s", edf, errText).isZero();
        return new ObjectMapper().readTree(out);
    }

    private Child start(Path dir, long seed) throws IOException {
        Child child = new Child();
        child.jvm = ChildJvm.start(List.of(), RecordingCrashWriter.class, List.of(dir.toString(), Long.toString(seed)),
                child::line);
        children.add(child.jvm.process);
        return child;
    }

    private static final class Child {
        ChildJvm jvm;
        volatile Path file;
        volatile long written = -1;

        private boolean line(String line) {
            if (line.startsWith("file ")) {
                file = Path.of(line.substring(5));
                return true;
            }
            if (line.startsWith("written ")) {
                written = Long.parseLong(line.substring(8));
                return true;
            }
            return false;
        }

        void awaitWritten(long n, long millis) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000L;
            while (written < n || file == null) {
                if (System.nanoTime() > end || !jvm.process.isAlive()) {
                    throw new AssertionError("the recorder wrote " + written + " records within " + millis
                            + " ms; alive=" + jvm.process.isAlive() + "; output:\n" + jvm.log());
                }
                Thread.sleep(5);
            }
        }
    }
}
