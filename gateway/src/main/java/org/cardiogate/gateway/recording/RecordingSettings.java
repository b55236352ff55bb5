package org.cardiogate.gateway.recording;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link RecordingService} records.
 *
 * @param directory         where EDF+ files (and cached WFDB exports) go, created if missing; by convention
 *                          {@code <dataDir>/recordings}
 * @param gatewayId         the gateway's id, first part of every file name (characters other than letters, digits,
 *                          {@code _} and {@code -} become {@code -})
 * @param continuous        record from construction until close, in addition to on-demand recordings
 * @param maxFileSeconds    a file is rotated after this many seconds of signal (rounded up to whole data records)
 * @param maxFileBytes      ... or before it would grow beyond this many bytes, whichever comes first
 * @param retainFiles       at most this many EDF files are kept in the directory, oldest deleted first (0 = no limit)
 * @param retainAge         files last modified longer ago than this are deleted ({@link Duration#ZERO} = no limit)
 * @param queueBlocks       ring slots (of 128 samples) per stream that may wait for the writer thread, rounded up to a
 *                          power of two; more are dropped and counted
 * @param forceEveryRecords force the file to the storage device every this many data records (0 = only on close)
 */
public record RecordingSettings(Path directory, String gatewayId, boolean continuous, int maxFileSeconds,
                                long maxFileBytes, int retainFiles, Duration retainAge, int queueBlocks,
                                int forceEveryRecords) {
    public RecordingSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(retainAge, "retainAge");
        if (gatewayId == null || gatewayId.isBlank()) {
            throw new IllegalArgumentException("recording: gatewayId must not be empty");
        }
        gatewayId = gatewayId.strip().replaceAll("[^A-Za-z0-9_-]", "-");
        if (maxFileSeconds < 1) {
            throw new IllegalArgumentException("recording: maxFileSeconds must be at least 1, got " + maxFileSeconds);
        }
        if (maxFileBytes < 4096) {
            throw new IllegalArgumentException("recording: maxFileBytes must be at least 4096, got " + maxFileBytes);
        }
        if (retainFiles < 0) {
            throw new IllegalArgumentException("recording: retainFiles must not be negative, got " + retainFiles);
        }
        if (retainAge.isNegative()) {
            throw new IllegalArgumentException("recording: retainAge must not be negative, got " + retainAge);
        }
        if (queueBlocks < 1) {
            throw new IllegalArgumentException("recording: queueBlocks must be at least 1, got " + queueBlocks);
        }
        if (forceEveryRecords < 0) {
            throw new IllegalArgumentException("recording: forceEveryRecords must not be negative, got "
                    + forceEveryRecords);
        }
    }

    /**
     * On-demand only, files of at most one hour or 256 MiB, the newest 200 files kept for at most 30 days, 256 ring
     * slots (of 128 samples) per stream, forced to the device every 10 data records (10 s).
     */
    public static RecordingSettings defaults(Path dataDir, String gatewayId) {
        return new RecordingSettings(dataDir.resolve("recordings"), gatewayId, false, 3600, 256L << 20, 200,
                Duration.ofDays(30), 256, 10);
    }

    public RecordingSettings withContinuous(boolean c) {
        return new RecordingSettings(directory, gatewayId, c, maxFileSeconds, maxFileBytes, retainFiles, retainAge,
                queueBlocks, forceEveryRecords);
    }

    public RecordingSettings withRotation(int seconds, long bytes) {
        return new RecordingSettings(directory, gatewayId, continuous, seconds, bytes, retainFiles, retainAge,
                queueBlocks, forceEveryRecords);
    }

    public RecordingSettings withRetention(int files, Duration age) {
        return new RecordingSettings(directory, gatewayId, continuous, maxFileSeconds, maxFileBytes, files, age,
                queueBlocks, forceEveryRecords);
    }

    public RecordingSettings withQueue(int blocksPerStream, int forceEvery) {
        return new RecordingSettings(directory, gatewayId, continuous, maxFileSeconds, maxFileBytes, retainFiles,
                retainAge, blocksPerStream, forceEvery);
    }
}
