package org.cardiogate.gateway.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.edf.EdfAnnotation;
import org.cardiogate.signal.edf.EdfFile;
import org.cardiogate.signal.edf.EdfReader;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationReader;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.cardiogate.ui.ActionResult;
import org.cardiogate.ui.RecordingInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingServiceTest {
    private static final long SEED = 11;
    private static final double STEP_MV = 0.001;

    private static RecordingService service(SimFeed feed, Path dir, RecordingSettings s) throws Exception {
        return new RecordingService(s, feed.streams(), feed.wall, feed.mono);
    }

    private static RecordingSettings settings(Path dir) {
        return RecordingSettings.defaults(dir, "bed-7").withQueue(4096, 0);
    }

    private static void stopAndWait(RecordingService rec, String id) {
        assertThat(rec.stop(id, "nurse").accepted()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> rec.isClosed(id));
    }

    @Test
    void recordsEveryStreamWithBeatAnnotationsAndListsTheFileOnceStopped(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir, settings(dir))) {
            feed.seconds(1, rec);
            ActionResult started = rec.start("exercise test", "nurse");
            assertThat(started.accepted()).isTrue();
            assertThat(rec.start("another", "doctor").accepted()).as("one on-demand recording at a time").isFalse();
            feed.seconds(12, rec);
            // the writer thread opens the file when it takes the first blocks: on a loaded machine, a moment later
            await().atMost(Duration.ofSeconds(20)).until(() -> !rec.list().isEmpty());
            assertThat(rec.list()).singleElement().satisfies(i -> assertThat(i.active()).isTrue());
            stopAndWait(rec, started.id());
            assertThat(rec.stop(started.id(), "nurse").accepted()).isFalse();

            List<RecordingInfo> list = rec.list();
            assertThat(list).singleElement().satisfies(i -> {
                assertThat(i.id()).isEqualTo(started.id()).startsWith("bed-7_20261121T1000");
                assertThat(i.label()).isEqualTo("exercise test");
                assertThat(i.active()).isFalse();
                assertThat(i.formats()).containsExactly("edf", "wfdb");
                assertThat(i.bytes()).isEqualTo(Files.size(dir.resolve("recordings").resolve(i.id() + ".edf")));
            });
            Path edf = rec.file(started.id(), "edf").orElseThrow();
            EdfFile f = EdfReader.read(edf);
            assertThat(f.warnings()).isEmpty();
            assertThat(f.isEdfPlus()).isTrue();
            assertThat(f.signals()).extracting(s -> s.label().trim())
                    .containsExactly("ECG I", "ECG II", "ppg red", "ppg ir", "scg z");
            assertThat(f.samplingFrequency(0)).isEqualTo(500);
            assertThat(f.samplingFrequency(2)).isEqualTo(100);
            assertThat(f.samplingFrequency(4)).isEqualTo(500);
            assertThat(f.startDateTime().getNano()).isZero();
            assertThat(f.dataRecords()).isBetween(10, 12);
            assertThat(f.recordingIdentification()).contains("exercise_test").contains("nurse");

            long first = SimFeed.firstEcgSample(f.startDateTime());
            double[][] ref = SimFeed.referenceEcg(SEED, (int) (first + f.length(1)));
            double[] ii = f.physical(1);
            // all samples but a padded tail are the simulator's, to the recorder's 1 uV resolution
            int padFrom = ii.length;
            for (EdfAnnotation a : f.annotations()) {
                if (a.text().startsWith("PADDING ecg")) {
                    padFrom = (int) Math.round(a.onsetSeconds() * 500);
                }
            }
            assertThat(padFrom).isGreaterThan(ii.length - 500);
            for (int k = 0; k < padFrom; k++) {
                assertThat(Math.abs(ii[k] - ref[1][(int) first + k])).as("lead II sample %d", k)
                        .isLessThanOrEqualTo(STEP_MV / 2 + 1e-9);
            }
            // every beat inside the file is annotated with its class letter at its R peak
            List<EdfAnnotation> beatAnn = f.annotations().stream().filter(a -> a.text().length() == 1).toList();
            List<Long> expected = feed.beats.stream().map(b -> b.rSample() - first)
                    .filter(s -> s >= 0 && s < f.length(1)).toList();
            assertThat(beatAnn).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(Math.round(beatAnn.get(i).onsetSeconds() * 500)).isEqualTo(expected.get(i));
                assertThat(beatAnn.get(i).text()).isIn("N", "S", "V");
            }
        }
    }

    @Test
    void annotatesEventsWithTypeAndDetailAndTheirDurationOnceClosed(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir, settings(dir))) {
            String id = rec.start("events", "nurse").id();
            feed.seconds(4, rec);
            rec.onEvent(new CardiacEvent("ecg", EventType.TACHY, 2500, -1, 5_000_000_000L, "HR 160 bpm > 150 bpm"));
            feed.seconds(2, rec);
            rec.onEvent(new CardiacEvent("ecg", EventType.TACHY, 2500, 2999, 5_000_000_000L, "HR 160 bpm > 150 bpm"));
            feed.seconds(2, rec);
            stopAndWait(rec, id);
            EdfFile f = EdfReader.read(rec.file(id, "edf").orElseThrow());
            double onset = (2500 - SimFeed.firstEcgSample(f.startDateTime())) / 500.0;
            assertThat(f.annotations()).filteredOn(a -> a.text().startsWith("TACHY")).satisfiesExactly(
                    a -> {
                        assertThat(a.text()).isEqualTo("TACHY (ongoing) HR 160 bpm > 150 bpm");
                        assertThat(a.hasDuration()).isFalse();
                        assertThat(a.onsetSeconds()).isCloseTo(onset, org.assertj.core.api.Assertions.within(1e-6));
                    },
                    a -> {
                        assertThat(a.text()).isEqualTo("TACHY HR 160 bpm > 150 bpm");
                        assertThat(a.durationSeconds()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
                        assertThat(a.onsetSeconds()).isCloseTo(onset, org.assertj.core.api.Assertions.within(1e-6));
                    });
        }
    }

    @Test
    void rotatesIntoContiguousFilesOfTheConfiguredDuration(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir, settings(dir).withRotation(3, 1L << 30))) {
            String id = rec.start("rotation", "nurse").id();
            feed.seconds(12, rec);
            stopAndWait(rec, id);
            List<String> files = rec.filesOf(id);
            assertThat(files).hasSizeGreaterThanOrEqualTo(3).first().isEqualTo(id);
            List<EdfFile> edfs = new ArrayList<>();
            for (String f : files) {
                edfs.add(EdfReader.read(rec.file(f, "edf").orElseThrow()));
            }
            long first = SimFeed.firstEcgSample(edfs.get(0).startDateTime());
            int total = edfs.stream().mapToInt(e -> e.length(0)).sum();
            double[][] ref = SimFeed.referenceEcg(SEED, (int) first + total);
            int at = 0;
            for (int i = 0; i < edfs.size(); i++) {
                EdfFile e = edfs.get(i);
                if (i < edfs.size() - 1) {
                    assertThat(e.dataRecords()).as("file %d records", i).isEqualTo(3);
                    assertThat(edfs.get(i + 1).startDateTime()).isEqualTo(e.startDateTime().plusSeconds(3));
                    assertThat(e.annotations()).extracting(EdfAnnotation::text).contains("CONTINUES in " + files.get(i + 1));
                    int n = e.length(0);
                    double[] lead = e.physical(0);
                    for (int k = 0; k < n; k++) {
                        assertThat(Math.abs(lead[k] - ref[0][(int) first + at + k])).as("file %d sample %d", i, k)
                                .isLessThanOrEqualTo(STEP_MV / 2 + 1e-9);
                    }
                    // beats near the boundary arrive after the rotation and still land in this file
                    long lo = first + at;
                    long hi = lo + n;
                    long beatsIn = feed.beats.stream().filter(b -> b.rSample() >= lo && b.rSample() < hi).count();
                    assertThat(e.annotations().stream().filter(a -> a.text().length() == 1).count()).isEqualTo(beatsIn);
                    at += n;
                }
            }
        }
    }

    @Test
    void aSequenceGapEndsTheFileAnnotatedAndTheRecordingContinuesInANewOne(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir, settings(dir))) {
            String id = rec.start("gap", "nurse").id();
            feed.seconds(5, rec);
            long gapAt = -1;
            for (int i = 0; i < 3; i++) {
                feed.tick(rec, rec, true);
            }
            feed.seconds(5, rec);
            stopAndWait(rec, id);
            List<String> files = rec.filesOf(id);
            assertThat(files).hasSize(2);
            EdfFile before = EdfReader.read(rec.file(files.get(0), "edf").orElseThrow());
            EdfFile after = EdfReader.read(rec.file(files.get(1), "edf").orElseThrow());
            EdfAnnotation gap = before.annotations().stream().filter(a -> a.text().startsWith("GAP ecg")).findFirst()
                    .orElseThrow();
            assertThat(gap.text()).startsWith("GAP ecg 150 samples lost (0.300 s)");
            long first = SimFeed.firstEcgSample(before.startDateTime());
            gapAt = 50 * 50;
            assertThat(Math.round(gap.onsetSeconds() * 500)).isEqualTo(gapAt - first);
            // the file ends within one record after the gap, and what lies beyond the last ECG sample is marked
            assertThat(before.dataRecords() * 1.0).isLessThanOrEqualTo(Math.ceil(gap.onsetSeconds()));
            assertThat(before.annotations()).extracting(EdfAnnotation::text).anyMatch(t -> t.startsWith("PADDING ecg"));
            assertThat(after.annotations().get(0).text()).startsWith("CONTINUED after GAP ecg 150 samples lost");
            long firstAfter = SimFeed.firstEcgSample(after.startDateTime());
            assertThat(firstAfter).isGreaterThanOrEqualTo(gapAt + 150);
            double[][] ref = SimFeed.referenceEcg(SEED, (int) firstAfter + after.length(0));
            double[] lead = after.physical(0);
            for (int k = 0; k < 1000; k++) {
                assertThat(Math.abs(lead[k] - ref[0][(int) firstAfter + k])).isLessThanOrEqualTo(STEP_MV / 2 + 1e-9);
            }
        }
    }

    @Test
    void exportsAClosedRecordingToWfdbThatWfdbRecordAndAnnotationReaderRead(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir, settings(dir))) {
            String id = rec.start("export", "nurse").id();
            assertThat(rec.file(id, "wfdb")).as("nothing to export while recording").isEmpty();
            feed.seconds(8, rec);
            stopAndWait(rec, id);
            Path zip = rec.file(id, "wfdb").orElseThrow();
            assertThat(rec.file(id, "wfdb")).contains(zip);
            assertThat(rec.file(id, "mat")).isEmpty();
            Path out = Files.createDirectory(dir.resolve("unzipped"));
            try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
                ZipEntry e;
                while ((e = z.getNextEntry()) != null) {
                    Files.copy(z, out.resolve(e.getName()));
                }
            }
            assertThat(out.resolve(id + "_100hz.hea")).exists();
            EdfFile edf = EdfReader.read(rec.file(id, "edf").orElseThrow());
            WfdbRecord w = WfdbRecord.read(out.resolve(id));
            assertThat(w.samplingFrequency()).isEqualTo(500);
            assertThat(w.signalCount()).isEqualTo(3);
            assertThat(w.signal(1).description()).isEqualTo("ECG II");
            assertThat(w.length()).isEqualTo(edf.length(1));
            double[] wfdbII = w.physical(1);
            double[] edfII = edf.physical(1);
            for (int i = 0; i < edfII.length; i++) {
                assertThat(wfdbII[i]).isCloseTo(edfII[i], org.assertj.core.api.Assertions.within(1e-9));
            }
            WfdbRecord ppg = WfdbRecord.read(out.resolve(id + "_100hz"));
            assertThat(ppg.samplingFrequency()).isEqualTo(100);
            assertThat(ppg.physical(1)[50]).isCloseTo(edf.physical(3)[50], org.assertj.core.api.Assertions.within(1e-6));
            List<Annotation> atr = AnnotationReader.read(out.resolve(id), "atr");
            List<EdfAnnotation> beats = edf.annotations().stream().filter(a -> a.text().length() == 1).toList();
            assertThat(atr.stream().filter(Annotation::isBeat).toList()).hasSize(beats.size()).allSatisfy(a ->
                    assertThat(a.symbol()).isIn("N", "S", "V"));
            assertThat(atr.stream().filter(Annotation::isBeat).findFirst().orElseThrow().sample())
                    .isEqualTo(Math.round(beats.get(0).onsetSeconds() * 500));
        }
    }

    @Test
    void aFullQueueDropsAndCountsBlocksWhichThenShowAsAnnotatedGaps(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        // 30 s of every stream prepared in memory, then handed over as fast as memory copies go
        List<SampleBlock> burst = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            feed.tick(new RecordingSink(burst), new org.cardiogate.signal.PipelineOutput() { }, false);
        }
        try (RecordingService rec = service(feed, dir, settings(dir).withQueue(1, 0))) {
            String id = rec.start("burst", "nurse").id();
            for (SampleBlock b : burst) {
                rec.accept(b);
            }
            assertThat(rec.droppedBlocks()).isPositive();
            // later blocks reveal the holes left by the dropped ones
            for (int i = 0; i < 100; i++) {
                feed.tick(rec, rec, false);
                Thread.sleep(1);
            }
            stopAndWait(rec, id);
            long gaps = 0;
            for (String f : rec.filesOf(id)) {
                EdfFile e = EdfReader.read(rec.file(f, "edf").orElseThrow());
                gaps += e.annotations().stream().filter(a -> a.text().startsWith("GAP ")).count();
            }
            assertThat(gaps).as("dropped blocks are annotated as gaps, not bridged").isPositive();
        }
    }

    /** Keeps a copy of every block it is given. */
    private record RecordingSink(List<SampleBlock> blocks) implements java.util.function.Consumer<SampleBlock> {
        @Override
        public void accept(SampleBlock b) {
            SampleBlock copy = new SampleBlock(b.stream(), b.capacity());
            copy.copyFrom(b);
            blocks.add(copy);
        }
    }

    @Test
    void retentionKeepsTheNewestFilesAndDeletesOldOnes(@TempDir Path dir) throws Exception {
        Path recDir = Files.createDirectories(dir.resolve("recordings"));
        Path ancient = Files.writeString(recDir.resolve("bed-7_20250101T000000Z.edf"), "old");
        Files.setLastModifiedTime(ancient, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir,
                settings(dir).withRotation(1, 1L << 30).withRetention(3, Duration.ofDays(30)))) {
            assertThat(ancient).doesNotExist();
            String id = rec.start("retention", "nurse").id();
            feed.seconds(8, rec);
            stopAndWait(rec, id);
            assertThat(rec.filesOf(id)).hasSizeGreaterThan(3);
            List<String> kept = rec.list().stream().map(RecordingInfo::id).toList();
            List<String> all = rec.filesOf(id);
            assertThat(kept).containsExactlyInAnyOrderElementsOf(all.subList(all.size() - 3, all.size()));
        }
    }

    @Test
    void aStreamThatDeliversNothingIsLeftOutOfTheFileAndSaidSo(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir, settings(dir))) {
            String id = rec.start("no ppg", "nurse").id();
            // only ECG and SCG arrive
            java.util.function.Consumer<SampleBlock> noPpg = b -> {
                if (!b.stream().streamId().equals("ppg")) {
                    rec.accept(b);
                }
            };
            for (int i = 0; i < 120; i++) {
                feed.tick(noPpg, rec, false);
            }
            stopAndWait(rec, id);
            EdfFile f = EdfReader.read(rec.file(id, "edf").orElseThrow());
            assertThat(f.signals()).extracting(x -> x.label().trim()).containsExactly("ECG I", "ECG II", "scg z");
            assertThat(f.annotations()).extracting(EdfAnnotation::text)
                    .contains("ABSENT ppg (no samples for 5 s; not in this file)");
            assertThat(f.dataRecords()).isBetween(5, 7);
        }
    }

    @Test
    void aStreamThatStopsWhileOthersGoOnEndsTheFileAsAStall(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir, settings(dir))) {
            String id = rec.start("stall", "nurse").id();
            feed.seconds(4, rec);
            java.util.function.Consumer<SampleBlock> noScg = b -> {
                if (!b.stream().streamId().equals("scg")) {
                    rec.accept(b);
                }
            };
            for (int i = 0; i < 200; i++) {
                feed.tick(noScg, rec, false);
            }
            stopAndWait(rec, id);
            List<String> files = rec.filesOf(id);
            assertThat(files).hasSize(2);
            EdfFile first = EdfReader.read(rec.file(files.get(0), "edf").orElseThrow());
            assertThat(first.annotations()).extracting(EdfAnnotation::text).anyMatch(t -> t.startsWith("STALL scg"));
            assertThat(first.signalCount()).isEqualTo(5);
            EdfFile second = EdfReader.read(rec.file(files.get(1), "edf").orElseThrow());
            assertThat(second.signals()).extracting(x -> x.label().trim()).doesNotContain("scg z");
            assertThat(second.annotations()).extracting(EdfAnnotation::text).anyMatch(t -> t.startsWith("ABSENT scg"))
                    .anyMatch(t -> t.startsWith("CONTINUED after STALL scg"));
        }
    }

    @Test
    void handingOverABlockAllocatesNothing(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        try (RecordingService rec = service(feed, dir, settings(dir).withQueue(64, 0))) {
            rec.start("allocation", "nurse");
            SampleBlock ecg = new SampleBlock(feed.streams().get(0), 50);
            feed.sim.fill(ecg);
            long seq = ecg.firstSequence();
            for (int i = 0; i < 200; i++) {
                ecg.begin(seq, Math.round(seq * 2e6));
                ecg.setLength(50);
                rec.accept(ecg);
                seq += 50;
                Thread.sleep(1);
            }
            com.sun.management.ThreadMXBean mx =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            // per-call allocation would show as tens of kilobytes in every round; one-off JVM work in at most some
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 2000; i++) {
                    ecg.begin(seq, Math.round(seq * 2e6));
                    ecg.setLength(50);
                    rec.accept(ecg);
                    seq += 50;
                }
                least = Math.min(least, mx.getThreadAllocatedBytes(tid) - before);
            }
            assertThat(least).as("bytes allocated by 2000 accept() calls (least of 5 rounds)").isLessThan(256);
        }
    }

    @Test
    void continuousRecordingStartsWithTheServiceAndEndsOnClose(@TempDir Path dir) throws Exception {
        SimFeed feed = new SimFeed(SEED);
        RecordingService rec = service(feed, dir, settings(dir).withContinuous(true));
        feed.seconds(4, rec);
        await().atMost(Duration.ofSeconds(20)).until(() -> !rec.list().isEmpty());
        assertThat(rec.list()).singleElement().satisfies(i -> {
            assertThat(i.label()).isEqualTo("continuous");
            assertThat(i.active()).isTrue();
        });
        rec.close();
        assertThat(rec.list()).singleElement().satisfies(i -> assertThat(i.active()).isFalse());
        EdfFile f = EdfReader.read(dir.resolve("recordings").resolve(rec.list().get(0).id() + ".edf"));
        assertThat(f.dataRecords()).isBetween(2, 4);
    }
}
