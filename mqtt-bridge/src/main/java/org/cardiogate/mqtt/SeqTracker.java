package org.cardiogate.mqtt;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a consumer needs per topic to use contract v1's {@code seq}: it tells a new message from a duplicate (QoS 1
 * redelivery, resend after a crash) and keeps the numbers not seen yet as gaps, which a late message (backfill after a
 * reconnect is sent after live data) can still fill. The first message seen fixes the start; what came before it is
 * not counted as missing. Not thread-safe.
 */
public final class SeqTracker {
    /** How a message's {@code seq} relates to what was seen before. */
    public enum Verdict {
        /** Higher than every seq seen so far. */
        NEW,
        /** Fills a gap: lower than the highest seen, but not seen before. */
        LATE,
        /** Seen before: drop it. */
        DUPLICATE
    }

    private long first;
    private long highest;
    /** Missing ranges, start to end inclusive. */
    private final TreeMap<Long, Long> missing = new TreeMap<>();
    private long missingCount;
    private long duplicates;
    private long unique;
    private long lastGap;

    /** Classifies a message and records it. */
    public Verdict accept(long seq) {
        lastGap = 0;
        if (unique == 0) {
            first = seq;
            highest = seq;
            unique = 1;
            return Verdict.NEW;
        }
        if (seq > highest) {
            if (seq > highest + 1) {
                missing.put(highest + 1, seq - 1);
                lastGap = seq - 1 - highest;
                missingCount += lastGap;
            }
            highest = seq;
            unique++;
            return Verdict.NEW;
        }
        Map.Entry<Long, Long> range = seq < first ? null : missing.floorEntry(seq);
        if (range != null && seq <= range.getValue()) {
            missing.remove(range.getKey());
            if (range.getKey() < seq) {
                missing.put(range.getKey(), seq - 1);
            }
            if (seq < range.getValue()) {
                missing.put(seq + 1, range.getValue());
            }
            missingCount--;
            unique++;
            return Verdict.LATE;
        }
        if (seq < first) {
            // older than the first message seen: everything between it and the first is now expected
            if (seq + 1 <= first - 1) {
                missing.put(seq + 1, first - 1);
                missingCount += first - 1 - seq;
            }
            first = seq;
            unique++;
            return Verdict.LATE;
        }
        duplicates++;
        return Verdict.DUPLICATE;
    }

    /** Size of the gap the last {@link Verdict#NEW} message opened (0 if none). */
    public long lastGap() {
        return lastGap;
    }

    /** Numbers between the first and the highest seen that have not arrived. */
    public long missingCount() {
        return missingCount;
    }

    public long duplicateCount() {
        return duplicates;
    }

    /** Distinct numbers received. */
    public long uniqueCount() {
        return unique;
    }

    public long highest() {
        return highest;
    }

    public long first() {
        return first;
    }

    /** The missing ranges as {@code "a-b"} text, at most {@code limit} of them. */
    public String describeMissing(int limit) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (Map.Entry<Long, Long> e : missing.entrySet()) {
            if (n++ == limit) {
                b.append(" ...");
                break;
            }
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(e.getKey());
            if (!e.getValue().equals(e.getKey())) {
                b.append('-').append(e.getValue());
            }
        }
        return b.toString();
    }
}
