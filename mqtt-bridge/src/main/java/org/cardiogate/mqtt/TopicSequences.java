package org.cardiogate.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-topic {@code seq} counters of contract v1, owned by the outbox thread.
 *
 * <p>A number is given to an item when it is written to the outbox. Items the producer could not queue (in-memory
 * queue full) still use up a number: the producer counts its drops per topic and hands that count along with the
 * next item, so the gap appears exactly where the items were lost. The counters survive restarts: the outbox
 * recovers the highest {@code seq} of every record it still holds, and a checkpoint file holds the counters of
 * topics whose records were all acknowledged and deleted; the larger of the two wins, so a number never repeats
 * and never goes back.
 */
final class TopicSequences {
    /** Per topic: last seq given, and the producer's drop count as of that item. */
    private final Map<String, long[]> byTopic = new HashMap<>();

    /**
     * The number for the next item of a topic.
     *
     * @param dropsBefore how many items of this topic the producer had dropped before offering this one (its running
     *                    count since the process started)
     */
    long next(String topic, long dropsBefore) {
        long[] state = byTopic.get(topic);
        if (state == null) {
            state = new long[2];
            byTopic.put(topic, state);
        }
        long skipped = Math.max(0, dropsBefore - state[1]);
        state[1] = Math.max(state[1], dropsBefore);
        state[0] += 1 + skipped;
        return state[0];
    }

    /** Makes sure the next number of this topic is above {@code seq} (recovery). */
    void atLeast(String topic, long seq) {
        long[] state = byTopic.computeIfAbsent(topic, t -> new long[2]);
        state[0] = Math.max(state[0], seq);
    }

    /** The last number given on this topic, or 0. */
    long last(String topic) {
        long[] state = byTopic.get(topic);
        return state == null ? 0 : state[0];
    }

    int topicCount() {
        return byTopic.size();
    }

    /** Writes {@code <seq> <topic>} lines to a temporary file, forces it to disk, then renames it over {@code file}. */
    void writeCheckpoint(Path file) {
        StringBuilder text = new StringBuilder(byTopic.size() * 64);
        for (Map.Entry<String, long[]> e : new TreeMap<>(byTopic).entrySet()) {
            text.append(e.getValue()[0]).append(' ').append(e.getKey()).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("outbox seq checkpoint " + tmp + " cannot be written", e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("outbox seq checkpoint " + file + " cannot be replaced", e);
        }
    }

    /** Raises the counters to those in a checkpoint file, if it exists. */
    void readCheckpoint(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int space = line.indexOf(' ');
                if (space < 1) {
                    throw new IllegalStateException("outbox seq checkpoint " + file + " line " + lineNo
                            + ": expected '<seq> <topic>', got '" + line + "'");
                }
                long seq;
                try {
                    seq = Long.parseLong(line.substring(0, space));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("outbox seq checkpoint " + file + " line " + lineNo
                            + ": seq '" + line.substring(0, space) + "' is not a number", e);
                }
                atLeast(line.substring(space + 1), seq);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("outbox seq checkpoint " + file + " cannot be read", e);
        }
    }
}
