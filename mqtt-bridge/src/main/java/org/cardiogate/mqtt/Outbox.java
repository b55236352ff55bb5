package org.cardiogate.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store-and-forward outbox: one append-only, segmented journal per {@link Lane}, with a persisted
 * acknowledgement cursor per lane.
 *
 * <h2>Files</h2>
 * <pre>
 * &lt;dir&gt;/outbox.lock                 held (OS file lock) while a publisher uses the directory
 * &lt;dir&gt;/boot                        number of times the outbox was opened
 * &lt;dir&gt;/clean                       present only after an orderly close
 * &lt;dir&gt;/seq.txt                     checkpoint of the per-topic seq counters ({@link TopicSequences})
 * &lt;dir&gt;/&lt;lane&gt;/&lt;first index, 20 digits&gt;.seg   records, oldest segment first
 * &lt;dir&gt;/&lt;lane&gt;/ack                  acknowledgement cursor: every record below it was acknowledged
 * </pre>
 * A record is {@code int length, int CRC-32C of the body, body}; the body is {@code long index, long seq, byte qos,
 * short topic length, topic (UTF-8), payload}, big-endian. Recovery reads every segment, stops a segment at its first
 * short or corrupt record (a torn write from a crash) and truncates it there. A segment is deleted once every record
 * in it was acknowledged; acknowledgements may arrive out of order (live data is sent before backfill), so the cursor
 * advances over the acknowledged prefix only and the rest is kept in a bit set.
 *
 * <h2>Durability</h2>
 * Appends are written to the file (the OS page cache) before the record can be sent, so a killed process loses
 * nothing that was appended. {@link #sync()} forces the segments to the device; the publisher calls it on a timer
 * and after every event. The cursor is written lazily: after a crash some acknowledged records may be sent again,
 * which consumers detect by {@code seq}; no unacknowledged record is ever skipped.
 *
 * <h2>Disk budget</h2>
 * The sum of all segment sizes is kept under {@code budgetBytes}. To make room for a record of lane L the oldest
 * segments are deleted from the lanes of lower or equal priority, waveforms first, then beats, then vitals; events
 * are never deleted. When nothing can be deleted, a record that is not an event is dropped; an event is written
 * anyway, over budget. Every record deleted before it was acknowledged is counted per lane.
 *
 * <p>Not thread-safe: the publisher's outbox thread owns it.
 */
final class Outbox implements AutoCloseable {
    static final int RECORD_HEADER = 8;
    static final int MAX_RECORD = 8 << 20;
    private static final int BODY_FIXED = 8 + 8 + 1 + 2;
    private static final int WRITE_BUFFER = 256 << 10;
    private static final int REBASE_BITS = 1 << 16;
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Path dir;
    private final long budgetBytes;
    private final long segmentBytes;
    private final LaneJournal[] lanes = new LaneJournal[Lane.ALL.length];
    private final FileChannel lockChannel;
    private final TopicSequences sequences = new TopicSequences();
    private final long boot;
    private final boolean previousShutdownClean;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
    private long totalBytes;
    private long overBudgetEvents;
    private boolean closed;

    private Outbox(Path dir, long budgetBytes, long segmentBytes) throws IOException {
        this.dir = dir;
        this.budgetBytes = budgetBytes;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("outbox.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("MQTT outbox directory " + dir + " is in use by another publisher"
                    + " (outbox.lock is held); each gateway needs its own outbox directory");
        }
        Path cleanMarker = dir.resolve("clean");
        this.previousShutdownClean = Files.exists(cleanMarker);
        Files.deleteIfExists(cleanMarker);
        this.boot = readBoot(dir.resolve("boot")) + 1;
        writeSmallFile(dir.resolve("boot"), Long.toString(boot) + "\n");
        sequences.readCheckpoint(dir.resolve("seq.txt"));
        for (Lane lane : Lane.ALL) {
            lanes[lane.ordinal()] = new LaneJournal(lane);
        }
    }

    /**
     * Opens (creating if needed) and recovers an outbox directory.
     *
     * @param budgetBytes  upper limit of the segment files together, in bytes
     * @param segmentBytes size at which a lane starts a new segment, in bytes; it is also the granularity of drops
     * @throws IllegalStateException if another publisher holds the directory, or a checkpoint is unreadable
     * @throws UncheckedIOException  if the directory or a file cannot be read or written
     */
    static Outbox open(Path dir, long budgetBytes, long segmentBytes) {
        try {
            Outbox outbox = new Outbox(dir, budgetBytes, segmentBytes);
            LOG.info("MQTT outbox {} opened (boot {}, previous shutdown {}): {} records pending, {} bytes", dir,
                    outbox.boot, outbox.previousShutdownClean ? "clean" : "unclean or first start",
                    outbox.pendingTotal(), outbox.totalBytes);
            return outbox;
        } catch (IOException e) {
            throw new UncheckedIOException("MQTT outbox " + dir + " cannot be opened: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    TopicSequences sequences() {
        return sequences;
    }

    /** How many times this directory has been opened, this time included. */
    long boot() {
        return boot;
    }

    /** False after a crash (the previous process did not close the outbox) and on the very first start. */
    boolean previousShutdownClean() {
        return previousShutdownClean;
    }

    long totalBytes() {
        return totalBytes;
    }

    long budgetBytes() {
        return budgetBytes;
    }

    /** Events written although the budget was exhausted (events are never dropped). */
    long overBudgetEvents() {
        return overBudgetEvents;
    }

    /** Records of this lane written and not yet acknowledged (nor dropped). */
    long pending(Lane lane) {
        LaneJournal j = lanes[lane.ordinal()];
        return j.nextIndex - j.cursor - j.ackedAbove;
    }

    long pendingTotal() {
        long total = 0;
        for (Lane lane : Lane.ALL) {
            total += pending(lane);
        }
        return total;
    }

    /** Records of this lane deleted unacknowledged to stay within the budget, or refused for lack of room. */
    long droppedByBudget(Lane lane) {
        return lanes[lane.ordinal()].dropped;
    }

    /** Index the next record of this lane gets. */
    long nextIndex(Lane lane) {
        return lanes[lane.ordinal()].nextIndex;
    }

    // ---- appending ----

    /**
     * Appends a record to its lane.
     *
     * @return the record, or {@code null} when the disk budget had no room for it (counted)
     */
    OutboxRecord append(Lane lane, String topic, long seq, int qos, byte[] payload) {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        int bodyLength = BODY_FIXED + topicBytes.length + payload.length;
        if (bodyLength > MAX_RECORD) {
            throw new IllegalArgumentException("MQTT message for " + topic + " is " + payload.length
                    + " bytes; the outbox takes at most " + (MAX_RECORD - BODY_FIXED - topicBytes.length));
        }
        int size = RECORD_HEADER + bodyLength;
        if (totalBytes + size > budgetBytes && !makeRoom(lane, size)) {
            if (lane != Lane.EVENTS) {
                lanes[lane.ordinal()].dropped++;
                return null;
            }
            overBudgetEvents++;
        }
        LaneJournal j = lanes[lane.ordinal()];
        long index = j.nextIndex;
        ByteBuffer body = ByteBuffer.allocate(bodyLength);
        body.putLong(index).putLong(seq).put((byte) qos).putShort((short) topicBytes.length).put(topicBytes).put(payload);
        crc.reset();
        crc.update(body.array(), 0, bodyLength);
        body.flip();
        j.write(size, (int) crc.getValue(), body);
        totalBytes += size;
        return new OutboxRecord(lane, index, seq, qos, topic, payload);
    }

    /**
     * Deletes the oldest segments of lanes of lower or equal priority than {@code lane} (waveforms first) until
     * {@code size} more bytes fit. Events are never deleted.
     */
    private boolean makeRoom(Lane lane, int size) {
        for (int v = Lane.WAVEFORMS.ordinal(); v >= Math.max(lane.ordinal(), Lane.VITALS.ordinal()); v--) {
            LaneJournal victim = lanes[v];
            while (totalBytes + size > budgetBytes && victim.dropOldestSegment()) {
                // keep deleting
            }
            if (totalBytes + size <= budgetBytes) {
                return true;
            }
        }
        return totalBytes + size <= budgetBytes;
    }

    /** Writes buffered appends to the files (not forced to the device). */
    void flush() {
        for (LaneJournal j : lanes) {
            j.flush();
        }
    }

    /** Flushes and forces every lane that was written since the last sync to the device. */
    void sync() {
        for (LaneJournal j : lanes) {
            j.sync();
        }
    }

    void sync(Lane lane) {
        lanes[lane.ordinal()].sync();
    }

    // ---- sending and acknowledging ----

    boolean isDone(Lane lane, long index) {
        return lanes[lane.ordinal()].isDone(index);
    }

    void markSent(Lane lane, long index) {
        LaneJournal j = lanes[lane.ordinal()];
        if (index >= j.base) {
            j.sent.set((int) (index - j.base));
        }
    }

    /** Forgets that a record was sent, so that it is sent again (its delivery failed). */
    void unmarkSent(Lane lane, long index) {
        LaneJournal j = lanes[lane.ordinal()];
        if (index >= j.cursor) {
            j.sent.clear((int) (index - j.base));
            j.backfillLimit = Math.max(j.backfillLimit, index + 1);
            if (index < j.readIndex) {
                j.resetReader(index);
            }
        }
    }

    /**
     * Records the broker's acknowledgement.
     *
     * @return true when the record was pending until now (false for a repeated or stale acknowledgement)
     */
    boolean acknowledge(Lane lane, long index) {
        return lanes[lane.ordinal()].acknowledge(index);
    }

    /**
     * Starts a new connection: nothing counts as sent any more, and every pending record up to now is backfill, read
     * from disk from the cursor on.
     */
    void restartSending() {
        for (LaneJournal j : lanes) {
            j.sent.clear();
            j.backfillLimit = j.nextIndex;
            j.resetReader(j.cursor);
        }
    }

    /** Makes sure records from {@code index} on are covered by backfill (the live queue let go of them). */
    void extendBackfill(Lane lane, long index) {
        LaneJournal j = lanes[lane.ordinal()];
        j.backfillLimit = Math.max(j.backfillLimit, index + 1);
        if (index < j.readIndex) {
            j.resetReader(index);
        }
    }

    /** Whether backfill of this lane may have something to send. */
    boolean hasBackfill(Lane lane) {
        LaneJournal j = lanes[lane.ordinal()];
        return j.readIndex < j.backfillLimit && j.readIndex < j.nextIndex;
    }

    /** The next pending record of this lane's backfill that was not sent on this connection, or {@code null}. */
    OutboxRecord nextBackfill(Lane lane) {
        return lanes[lane.ordinal()].nextBackfill();
    }

    // ---- housekeeping ----

    /**
     * Persists the acknowledgement cursors and deletes fully acknowledged segments (after a seq checkpoint, so the
     * counters of their topics survive).
     */
    void maintain() {
        boolean deletable = false;
        for (LaneJournal j : lanes) {
            j.writeCursor();
            deletable |= j.hasAcknowledgedSegment();
        }
        if (deletable) {
            sequences.writeCheckpoint(dir.resolve("seq.txt"));
            for (LaneJournal j : lanes) {
                j.deleteAcknowledgedSegments();
            }
        }
    }

    /** Flushes, forces, persists cursors and seq counters, and marks a clean shutdown when {@code clean}. */
    void close(boolean clean) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
            sync();
            maintain();
            sequences.writeCheckpoint(dir.resolve("seq.txt"));
            for (LaneJournal j : lanes) {
                j.close();
            }
            if (clean) {
                writeSmallFile(dir.resolve("clean"), "clean\n");
            }
        } finally {
            try {
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("MQTT outbox {}: lock file not closed: {}", dir, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        close(true);
    }

    private static long readBoot(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            LOG.warn("MQTT outbox boot counter {} holds '{}', not a number: starting again from 0", file, text);
            return 0;
        }
    }

    private static void writeSmallFile(Path file, String text) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("MQTT outbox file " + file + " cannot be written", e);
        }
    }

    static String segmentName(long firstIndex) {
        return String.format("%020d.seg", firstIndex);
    }

    private static final class Segment {
        final long firstIndex;
        final Path path;
        long count;
        long bytes;

        Segment(long firstIndex, Path path) {
            this.firstIndex = firstIndex;
            this.path = path;
        }

        long endIndex() {
            return firstIndex + count;
        }
    }

    /** One lane: its segments, its cursor and bit sets, and its backfill reader. */
    private final class LaneJournal {
        final Lane lane;
        final Path laneDir;
        final ArrayDeque<Segment> segments = new ArrayDeque<>();
        final ByteBuffer writeBuffer = ByteBuffer.allocate(WRITE_BUFFER);
        final ByteBuffer cursorBuffer = ByteBuffer.allocate(12);
        FileChannel writer;
        FileChannel ackChannel;
        boolean unsynced;
        long nextIndex;
        long cursor;
        long persistedCursor = -1;
        /** Index of bit 0 in {@link #acked} and {@link #sent}. */
        long base;
        final BitSet acked = new BitSet();
        BitSet sent = new BitSet();
        long ackedAbove;
        long dropped;
        // backfill reader
        long backfillLimit;
        long readIndex;
        Segment readSegment;
        FileChannel readChannel;
        long readPosition;

        LaneJournal(Lane lane) throws IOException {
            this.lane = lane;
            this.laneDir = dir.resolve(lane.label());
            Files.createDirectories(laneDir);
            recover();
        }

        private void recover() throws IOException {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(laneDir, "*.seg")) {
                ds.forEach(files::add);
            }
            files.sort(null);
            long storedCursor = readCursor();
            for (Path file : files) {
                long first;
                try {
                    first = Long.parseLong(file.getFileName().toString().replace(".seg", ""));
                } catch (NumberFormatException e) {
                    LOG.warn("MQTT outbox: ignoring {}, its name is not a record index", file);
                    continue;
                }
                Segment s = new Segment(first, file);
                scan(s);
                if (s.count == 0) {
                    Files.delete(file);
                    continue;
                }
                segments.add(s);
                totalBytes += s.bytes;
            }
            long firstIndex = segments.isEmpty() ? Math.max(0, storedCursor) : segments.peekFirst().firstIndex;
            nextIndex = segments.isEmpty() ? firstIndex : segments.peekLast().endIndex();
            nextIndex = Math.max(nextIndex, Math.max(0, storedCursor));
            cursor = storedCursor < firstIndex ? firstIndex : Math.min(storedCursor, nextIndex);
            base = cursor;
            // records lost to corruption between segments can never be sent: count them as acknowledged
            long expected = cursor;
            for (Segment s : segments) {
                for (long i = Math.max(expected, cursor); i < s.firstIndex; i++) {
                    acknowledge(i);
                }
                expected = Math.max(expected, s.endIndex());
            }
            Segment active = new Segment(nextIndex, laneDir.resolve(segmentName(nextIndex)));
            writer = FileChannel.open(active.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            segments.add(active);
            ackChannel = FileChannel.open(laneDir.resolve("ack"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            readIndex = cursor;
            backfillLimit = nextIndex;
            writeCursor();
            deleteAcknowledgedSegments();
        }

        /** Counts the valid records of a segment and truncates it after the last one; raises the seq counters. */
        private void scan(Segment s) throws IOException {
            try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                long pos = 0;
                long expectIndex = s.firstIndex;
                ByteBuffer h = ByteBuffer.allocate(RECORD_HEADER);
                CRC32C check = new CRC32C();
                String problem = null;
                while (pos < size) {
                    if (size - pos < RECORD_HEADER) {
                        problem = "short header";
                        break;
                    }
                    h.clear();
                    readFully(ch, h, pos);
                    int length = h.getInt(0);
                    int expectedCrc = h.getInt(4);
                    if (length < BODY_FIXED || length > MAX_RECORD || pos + RECORD_HEADER + length > size) {
                        problem = "bad or short length " + length;
                        break;
                    }
                    ByteBuffer body = ByteBuffer.allocate(length);
                    readFully(ch, body, pos + RECORD_HEADER);
                    check.reset();
                    check.update(body.array(), 0, length);
                    if ((int) check.getValue() != expectedCrc) {
                        problem = "CRC mismatch";
                        break;
                    }
                    long index = body.getLong(0);
                    if (index != expectIndex) {
                        problem = "index " + index + " where " + expectIndex + " was expected";
                        break;
                    }
                    long seq = body.getLong(8);
                    int topicLength = body.getShort(17) & 0xFFFF;
                    sequences.atLeast(new String(body.array(), BODY_FIXED, topicLength, StandardCharsets.UTF_8), seq);
                    pos += RECORD_HEADER + length;
                    expectIndex++;
                }
                if (problem != null) {
                    LOG.warn("MQTT outbox {}: {} at byte {} of {} bytes ({}): truncating after record {}", s.path,
                            problem, pos, size, lane.label(), expectIndex - 1);
                    ch.truncate(pos);
                    ch.force(true);
                }
                s.count = expectIndex - s.firstIndex;
                s.bytes = pos;
            }
        }

        private long readCursor() throws IOException {
            Path file = laneDir.resolve("ack");
            if (!Files.exists(file) || Files.size(file) < 12) {
                return -1;
            }
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            long value = b.getLong(0);
            CRC32C check = new CRC32C();
            check.update(b.array(), 0, 8);
            if ((int) check.getValue() != b.getInt(8)) {
                LOG.warn("MQTT outbox {}: acknowledgement cursor is corrupt; records from the oldest segment on will be"
                        + " sent again (consumers drop the duplicates by seq)", file);
                return -1;
            }
            return value;
        }

        void writeCursor() {
            if (cursor == persistedCursor) {
                return;
            }
            cursorBuffer.clear();
            cursorBuffer.putLong(0, cursor);
            crc.reset();
            crc.update(cursorBuffer.array(), 0, 8);
            cursorBuffer.putInt(8, (int) crc.getValue());
            try {
                ackChannel.write(cursorBuffer, 0);
            } catch (IOException e) {
                throw new UncheckedIOException("MQTT outbox " + laneDir + "/ack cannot be written", e);
            }
            persistedCursor = cursor;
        }

        void write(int size, int crcValue, ByteBuffer body) {
            Segment active = segments.peekLast();
            if (active.bytes > 0 && active.bytes + size > segmentBytes) {
                roll();
                active = segments.peekLast();
            }
            if (writeBuffer.remaining() < size) {
                flush();
            }
            if (writeBuffer.remaining() < size) {
                ByteBuffer whole = ByteBuffer.allocate(size);
                whole.putInt(body.remaining()).putInt(crcValue).put(body).flip();
                writeDirect(whole);
            } else {
                writeBuffer.putInt(body.remaining()).putInt(crcValue).put(body);
            }
            active.count++;
            active.bytes += size;
            nextIndex++;
            unsynced = true;
        }

        private void writeDirect(ByteBuffer b) {
            try {
                while (b.hasRemaining()) {
                    writer.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("MQTT outbox " + segments.peekLast().path + " cannot be written", e);
            }
        }

        void flush() {
            if (writeBuffer.position() > 0) {
                writeBuffer.flip();
                writeDirect(writeBuffer);
                writeBuffer.clear();
            }
        }

        void sync() {
            flush();
            if (unsynced) {
                try {
                    writer.force(false);
                } catch (IOException e) {
                    throw new UncheckedIOException("MQTT outbox " + segments.peekLast().path + " cannot be synced", e);
                }
                unsynced = false;
            }
        }

        /** Closes the active segment and starts a new one at {@link #nextIndex}. */
        private void roll() {
            sync();
            try {
                writer.close();
                Segment next = new Segment(nextIndex, laneDir.resolve(segmentName(nextIndex)));
                writer = FileChannel.open(next.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                segments.add(next);
            } catch (IOException e) {
                throw new UncheckedIOException("MQTT outbox " + laneDir + ": new segment cannot be started", e);
            }
        }

        boolean isDone(long index) {
            if (index < cursor) {
                return true;
            }
            int bit = (int) (index - base);
            return acked.get(bit) || sent.get(bit);
        }

        boolean acknowledge(long index) {
            if (index < cursor || index >= nextIndex) {
                return false;
            }
            int bit = (int) (index - base);
            if (acked.get(bit)) {
                return false;
            }
            acked.set(bit);
            if (index == cursor) {
                long advanced = acked.nextClearBit((int) (cursor - base)) + base;
                ackedAbove -= advanced - cursor - 1;
                cursor = advanced;
                if (cursor - base > REBASE_BITS) {
                    rebase();
                }
            } else {
                ackedAbove++;
            }
            return true;
        }

        private void rebase() {
            int shift = (int) (cursor - base);
            BitSet a = acked.get(shift, Math.max(shift, acked.length()));
            BitSet s = sent.get(shift, Math.max(shift, sent.length()));
            acked.clear();
            acked.or(a);
            sent = s;
            base = cursor;
        }

        boolean hasAcknowledgedSegment() {
            Segment first = segments.peekFirst();
            return segments.size() > 1 && first.endIndex() <= cursor;
        }

        void deleteAcknowledgedSegments() {
            while (segments.size() > 1 && segments.peekFirst().endIndex() <= cursor) {
                deleteSegment(segments.pollFirst());
            }
        }

        private void deleteSegment(Segment s) {
            if (readSegment == s) {
                closeReader();
            }
            try {
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                throw new UncheckedIOException("MQTT outbox segment " + s.path + " cannot be deleted", e);
            }
            totalBytes -= s.bytes;
        }

        /**
         * Deletes this lane's oldest segment (starting a new active segment first if it is the only one), counting
         * its unacknowledged records as dropped.
         *
         * @return false if the lane holds no records
         */
        boolean dropOldestSegment() {
            Segment oldest = segments.peekFirst();
            if (oldest.count == 0) {
                return false;
            }
            if (segments.size() == 1) {
                roll();
            }
            segments.pollFirst();
            long lost = 0;
            for (long i = Math.max(oldest.firstIndex, cursor); i < oldest.endIndex(); i++) {
                if (acknowledge(i)) {
                    lost++;
                }
            }
            dropped += lost;
            deleteSegment(oldest);
            LOG.warn("MQTT outbox over its budget of {} bytes: dropped {} unsent {} records ({} bytes)", budgetBytes,
                    lost, lane.label(), oldest.bytes);
            return true;
        }

        void resetReader(long index) {
            closeReader();
            readIndex = Math.max(index, cursor);
        }

        private void closeReader() {
            if (readChannel != null) {
                try {
                    readChannel.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
            readChannel = null;
            readSegment = null;
        }

        OutboxRecord nextBackfill() {
            if (readIndex < cursor) {
                resetReader(cursor);
            }
            while (readIndex < backfillLimit && readIndex < nextIndex) {
                if (readSegment == null && !seek()) {
                    return null;
                }
                if (readIndex >= readSegment.endIndex()) {
                    closeReader();
                    continue;
                }
                if (readSegment == segments.peekLast()) {
                    flush();
                }
                try {
                    header.clear();
                    readFully(readChannel, header, readPosition);
                    int length = header.getInt(0);
                    long index = readIndex;
                    long bodyPosition = readPosition + RECORD_HEADER;
                    readPosition = bodyPosition + length;
                    readIndex++;
                    if (isDone(index)) {
                        continue;
                    }
                    ByteBuffer body = ByteBuffer.allocate(length);
                    readFully(readChannel, body, bodyPosition);
                    long seq = body.getLong(8);
                    int qos = body.get(16);
                    int topicLength = body.getShort(17) & 0xFFFF;
                    String topic = new String(body.array(), BODY_FIXED, topicLength, StandardCharsets.UTF_8);
                    byte[] payload = new byte[length - BODY_FIXED - topicLength];
                    System.arraycopy(body.array(), BODY_FIXED + topicLength, payload, 0, payload.length);
                    return new OutboxRecord(lane, index, seq, qos, topic, payload);
                } catch (IOException e) {
                    throw new UncheckedIOException("MQTT outbox " + readSegment.path + " cannot be read at byte "
                            + readPosition, e);
                }
            }
            return null;
        }

        /** Opens the segment holding {@link #readIndex} and positions the reader on it. */
        private boolean seek() {
            Iterator<Segment> it = segments.iterator();
            while (it.hasNext()) {
                Segment s = it.next();
                if (readIndex < s.firstIndex) {
                    readIndex = s.firstIndex;
                }
                if (readIndex < s.endIndex()) {
                    if (s == segments.peekLast()) {
                        flush();
                    }
                    try {
                        readChannel = FileChannel.open(s.path, StandardOpenOption.READ);
                        long pos = 0;
                        for (long i = s.firstIndex; i < readIndex; i++) {
                            header.clear();
                            readFully(readChannel, header, pos);
                            pos += RECORD_HEADER + header.getInt(0);
                        }
                        readSegment = s;
                        readPosition = pos;
                        return true;
                    } catch (NoSuchFileException e) {
                        closeReader();
                        return false;
                    } catch (IOException e) {
                        throw new UncheckedIOException("MQTT outbox " + s.path + " cannot be read", e);
                    }
                }
            }
            readIndex = nextIndex;
            return false;
        }

        void close() {
            closeReader();
            try {
                writer.close();
                ackChannel.close();
            } catch (IOException e) {
                LOG.warn("MQTT outbox {}: not closed cleanly: {}", laneDir, e.getMessage());
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
        b.flip();
    }
}
