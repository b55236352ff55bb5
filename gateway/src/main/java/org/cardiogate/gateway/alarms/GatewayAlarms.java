package org.cardiogate.gateway.alarms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardiogate.inference.alarm.AlarmManager;
import org.cardiogate.inference.alarm.AlarmPolicy;
import org.cardiogate.inference.alarm.AlarmView;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.PipelineOutput;
import org.cardiogate.ui.ActionResult;
import org.cardiogate.ui.ActiveAlarm;
import org.cardiogate.ui.AlarmControl;
import org.cardiogate.ui.AlarmPriority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's alarms: events from the pipeline go through {@code edge-inference}'s {@link AlarmManager}
 * (priorities, latching, acknowledge, audio pause, escalation, one alarm per condition), and the page lists and
 * acknowledges them. Events arrive on the output thread, page calls on HTTP threads, escalation ticks on its own
 * thread: all go through one lock, off the real-time path.
 */
public final class GatewayAlarms implements PipelineOutput, AlarmControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayAlarms.class);

    private final AlarmManager manager;
    private final MonotonicClock clock;
    private final Thread ticker;
    private volatile boolean running = true;

    public GatewayAlarms(MonotonicClock clock) {
        this.clock = clock;
        this.manager = new AlarmManager(clock, AlarmPolicy.DEFAULTS,
                a -> LOG.info("alarm {} {} {}{}{}", a.id(), a.priority(), a.type(), a.acknowledged() ? " acknowledged" : "",
                        a.conditionActive() ? "" : " (condition ended)"));
        this.ticker = Thread.ofVirtual().name("alarm-ticker").start(this::tickLoop);
    }

    private void tickLoop() {
        while (running) {
            synchronized (this) {
                manager.tick();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public synchronized void onEvent(CardiacEvent event) {
        manager.onEvent(event, new long[0]);
    }

    @Override
    public synchronized List<ActiveAlarm> active() {
        long now = clock.nanoTime();
        Instant wallNow = Instant.now();
        List<ActiveAlarm> out = new ArrayList<>();
        for (AlarmView a : manager.alarms()) {
            out.add(new ActiveAlarm(pageId(a.id()), AlarmPriority.valueOf(a.priority().name()), a.type().name(),
                    a.streamId(), wallNow.minusNanos(Math.max(0, now - a.onsetNanos())), a.onsetSample(), a.latching(),
                    a.acknowledged(), !a.audible(), a.detail()));
        }
        return out;
    }

    @Override
    public synchronized ActionResult acknowledge(String id, String user) {
        String managerId = managerId(id);
        if (managerId == null || !manager.acknowledge(managerId)) {
            return ActionResult.refused("no active alarm " + id);
        }
        LOG.info("alarm {} acknowledged by {}", managerId, user);
        return ActionResult.done(id);
    }

    @Override
    public synchronized ActionResult silence(String id, String user) {
        if (managerId(id) == null) {
            return ActionResult.refused("no active alarm " + id);
        }
        manager.pauseAudio();
        LOG.info("alarm audio paused by {} (from alarm {})", user, id);
        return ActionResult.done(id);
    }

    /** Alarms now, as the inference module sees them (for tests and status). */
    public synchronized List<AlarmView> alarms() {
        return manager.alarms();
    }

    /** The page's ids may not contain ':'. */
    private static String pageId(String managerId) {
        return managerId.replace(':', '.');
    }

    private String managerId(String pageId) {
        for (AlarmView a : manager.alarms()) {
            if (pageId(a.id()).equals(pageId)) {
                return a.id();
            }
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        ticker.interrupt();
    }
}
