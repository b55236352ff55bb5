package org.cardiogate.inference.beat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordFeaturesTest {

    /**
     * A caller that already ran the QRS detector (the gateway's {@code analyze}) hands its R peaks to
     * {@link RecordFeatures#ofPeaks}: the features, hence the classes, must be those of the live path that detects
     * the beats itself. Records with atrial fibrillation (201, 203), pauses and ventricular flutter (207).
     */
    @ParameterizedTest
    @ValueSource(strings = {"201", "203", "207", "209"})
    void featuresOnTheCallersPeaksAreThoseOfTheLivePath(String name) throws Exception {
        String shared = System.getProperty("cardiogate.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "data", "mitdb")),
                "reference recordings not found (system property cardiogate.shared): skipping");
        Path path = Path.of(shared, "data", "mitdb", name);
        RecordFeatures live = RecordFeatures.of(path);
        WfdbRecord rec = WfdbRecord.read(path);
        RecordFeatures given = RecordFeatures.ofPeaks(name, rec.samplingFrequency(), rec.physical(0), live.detected());
        assertThat(live.beatCount()).isGreaterThan(1500);
        // Arrays.mismatch: -1 when identical, else the first differing index (AssertJ's containsExactly is far too
        // slow on half a million values)
        assertThat(Arrays.mismatch(given.detected(), live.detected())).as("first differing R peak").isEqualTo(-1);
        assertThat(Arrays.mismatch(given.rSamples(), live.rSamples())).as("first differing beat").isEqualTo(-1);
        assertThat(Arrays.mismatch(given.windows(), live.windows())).as("first differing window value").isEqualTo(-1);
        assertThat(Arrays.mismatch(given.rr(), live.rr())).as("first differing RR feature").isEqualTo(-1);
    }
}
