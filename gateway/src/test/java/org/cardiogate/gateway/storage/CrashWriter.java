package org.cardiogate.gateway.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;

/**
 * Child process of {@link StoreCrashIT}: writes beats (sample numbers continuing from what the database already
 * holds), an event every 10 beats and a vital every 5, through a real {@link EventStore}, and prints
 * {@code committed <beats> <events>} each time the store's synced count moves. It runs until killed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long nextBeat;
        long nextEvent;
        try (Connection c = StoreDatabase.open(dir, Clock.systemUTC().instant()); Statement st = c.createStatement()) {
            nextBeat = max(st, "SELECT COALESCE(MAX(sample) + 1, 0) FROM beats");
            nextEvent = max(st, "SELECT COALESCE(MAX(onset_sample) + 1, 0) FROM events");
        }
        long beat0 = nextBeat;
        long event0 = nextEvent;
        try (EventStore store = new EventStore(dir, 4096, Clock.systemUTC())) {
            long offered = 0;
            long reported = -1;
            Prefix prefix = new Prefix(beat0, event0);
            System.out.println("started " + beat0 + " " + event0);
            System.out.flush();
            while (true) {
                if (offered - store.written() < 2000) {
                    for (int k = 0; k < 20; k++) {
                        long b = nextBeat++;
                        store.onBeat(new Beat("ecg", b, b * 2_000_000L, AamiClass.N, 0.8, 75));
                        offered++;
                        if (b % 10 == 0) {
                            store.onEvent(new CardiacEvent("ecg", EventType.TACHY, nextEvent++, -1, b, "HR > 150"));
                            offered++;
                        }
                        if (b % 5 == 0) {
                            store.onVital(new Vital("ecg", Vital.HEART_RATE, 75, "bpm", b, b * 2_000_000L, "ecg"));
                            offered++;
                        }
                    }
                } else {
                    Thread.sleep(1);
                }
                if (store.dropped() > 0 || store.failed()) {
                    System.out.println("error dropped=" + store.dropped() + " failed=" + store.failed());
                    System.out.flush();
                    System.exit(3);
                }
                long w = store.written();
                if (w != reported) {
                    // the store commits in FIFO order, so 'written' items are a prefix of what was offered;
                    // translate the item count back to beats and events
                    prefix.advanceTo(w);
                    System.out.println("committed " + prefix.beatEnd + " " + prefix.eventEnd);
                    System.out.flush();
                    reported = w;
                }
            }
        }
    }

    /**
     * Follows the offered sequence (beat, then its event when {@code b % 10 == 0}, then its vital when
     * {@code b % 5 == 0}) up to a count of committed items and says which beats and events that covers.
     */
    static final class Prefix {
        long beatEnd;
        long eventEnd;
        private long items;
        private int pending;

        Prefix(long beat0, long event0) {
            beatEnd = beat0;
            eventEnd = event0;
        }

        void advanceTo(long committed) {
            while (items < committed) {
                if (pending == 0) {
                    long b = beatEnd;
                    items++;
                    beatEnd++;
                    pending = (b % 10 == 0 ? 1 : 0) | (b % 5 == 0 ? 2 : 0);
                } else if ((pending & 1) != 0) {
                    items++;
                    eventEnd++;
                    pending &= ~1;
                } else {
                    items++;
                    pending = 0;
                }
            }
        }
    }

    private static long max(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Connection connect(Path dir) throws Exception {
        return DriverManager.getConnection(StoreDatabase.url(dir), StoreDatabase.USER, "");
    }
}
