package org.cardiogate.inference.alarm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.MonotonicClock;

/**
 * The alarm system after IEC 60601-1-8 conventions. Rhythm and technical events ({@link CardiacEvent}) raise and
 * end alarm conditions; there is one alarm per stream and condition type, however often the condition is reported
 * (no floods). Each alarm has a priority (escalated one step if neither acknowledged nor paused within
 * {@link AlarmPolicy#escalateAfterNanos()}), may latch (stay after its condition ends until {@link #reset}), and
 * can be acknowledged (audio off while the condition lasts, for at most {@link AlarmPolicy#acknowledgedNanos()}) or
 * have its audio paused (for {@link AlarmPolicy#audioPausedNanos()}).
 *
 * <p>Time comes only from the injected clock; call {@link #tick()} periodically (e.g. once a second) so time limits
 * and escalation take effect. Every change is given to the listener as an {@link AlarmView}.
 *
 * <p>Not thread-safe: one thread (the gateway's output thread) calls all methods.
 */
public final class AlarmManager {
    private final MonotonicClock clock;
    private final AlarmPolicy policy;
    private final Map<EventType, AlarmCondition> conditions = new EnumMap<>(EventType.class);
    private final Consumer<AlarmView> listener;
    private final Map<String, Alarm> byKey = new LinkedHashMap<>();

    private static final class Alarm {
        String id;
        String streamId;
        AlarmCondition condition;
        AlarmPriority priority;
        boolean conditionActive;
        boolean acknowledged;
        long acknowledgedAt;
        long pausedUntil = Long.MIN_VALUE;
        long raisedAt;
        long onsetSample;
        long onsetNanos;
        long[] evidence;
        String detail;
    }

    public AlarmManager(MonotonicClock clock, AlarmPolicy policy, Consumer<AlarmView> listener) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = Objects.requireNonNull(listener, "listener");
        for (EventType t : EventType.values()) {
            conditions.put(t, AlarmCondition.defaultFor(t));
        }
    }

    /** Overrides how one condition type alarms. */
    public void configure(AlarmCondition condition) {
        conditions.put(condition.type(), condition);
    }

    /**
     * An event from the rhythm monitors: an onset ({@code offsetSample == -1}) raises or refreshes the alarm of its
     * condition, a closed event ends the condition (a closed event with no alarm yet raises and ends one, so that a
     * pause, reported only closed, still alarms; it then stays only if latching).
     *
     * @param evidence R-peak samples of the beats that caused it
     */
    public void onEvent(CardiacEvent e, long[] evidence) {
        String key = e.streamId() + ":" + e.type().name();
        Alarm a = byKey.get(key);
        long now = clock.nanoTime();
        if (a == null) {
            a = new Alarm();
            a.id = key + ":" + e.onsetSample();
            a.streamId = e.streamId();
            a.condition = conditions.get(e.type());
            a.priority = a.condition.priority();
            a.raisedAt = now;
            a.onsetSample = e.onsetSample();
            a.onsetNanos = e.timestampNanos();
            a.evidence = evidence.clone();
            a.detail = e.detail();
            a.conditionActive = e.isOngoing();
            byKey.put(key, a);
            if (!a.conditionActive && !a.condition.latching()) {
                // a closed, non-latching condition: announce it once, it is already over
                publish(a);
                byKey.remove(key);
                return;
            }
            publish(a);
            return;
        }
        a.evidence = merge(a.evidence, evidence);
        a.detail = e.detail();
        boolean wasActive = a.conditionActive;
        a.conditionActive = e.isOngoing();
        if (!wasActive && a.conditionActive) {
            // the condition came back while a latched alarm was still shown: same alarm, sounds again
            a.acknowledged = false;
            a.pausedUntil = Long.MIN_VALUE;
            a.raisedAt = now;
        }
        if (!a.conditionActive && !a.condition.latching()) {
            byKey.remove(key);
        }
        publish(a);
    }

    /** Acknowledges an alarm: its audio stops while the condition lasts (up to the policy's limit); no escalation. */
    public boolean acknowledge(String alarmId) {
        Alarm a = find(alarmId);
        if (a == null) {
            return false;
        }
        a.acknowledged = true;
        a.acknowledgedAt = clock.nanoTime();
        publish(a);
        return true;
    }

    /** Pauses the audio of every alarm for the policy's audio-paused time (IEC 60601-1-8 AUDIO PAUSED). */
    public void pauseAudio() {
        long until = clock.nanoTime() + policy.audioPausedNanos();
        for (Alarm a : byKey.values()) {
            a.pausedUntil = until;
            publish(a);
        }
    }

    /**
     * Resets a latched alarm whose condition has ended (IEC 60601-1-8 ALARM RESET).
     *
     * @return false if there is no such alarm or its condition is still present (it cannot be reset then)
     */
    public boolean reset(String alarmId) {
        Alarm a = find(alarmId);
        if (a == null || a.conditionActive) {
            return false;
        }
        byKey.values().remove(a);
        a.acknowledged = true;
        publish(a);
        return true;
    }

    /** Applies time limits: expired acknowledgements and pauses, escalation. */
    public void tick() {
        long now = clock.nanoTime();
        for (Alarm a : byKey.values()) {
            boolean changed = false;
            if (a.acknowledged && a.conditionActive && policy.acknowledgedNanos() > 0
                    && now - a.acknowledgedAt >= policy.acknowledgedNanos()) {
                a.acknowledged = false;
                a.raisedAt = now;
                changed = true;
            }
            boolean paused = now < a.pausedUntil;
            if (!a.acknowledged && !paused && policy.escalateAfterNanos() > 0 && a.priority != AlarmPriority.HIGH
                    && now - a.raisedAt >= policy.escalateAfterNanos()) {
                a.priority = a.priority.escalated();
                a.raisedAt = now;
                changed = true;
            }
            if (changed) {
                publish(a);
            }
        }
    }

    /** The alarms shown now (active, or latched and not yet reset), oldest first. */
    public List<AlarmView> alarms() {
        List<AlarmView> out = new ArrayList<>();
        for (Alarm a : byKey.values()) {
            out.add(view(a));
        }
        return out;
    }

    /** The highest priority of the audible alarms, or null when nothing sounds. */
    public AlarmPriority audibleSignal() {
        AlarmPriority p = null;
        for (Alarm a : byKey.values()) {
            if (audible(a) && (p == null || a.priority.compareTo(p) > 0)) {
                p = a.priority;
            }
        }
        return p;
    }

    private Alarm find(String id) {
        for (Alarm a : byKey.values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        return null;
    }

    private boolean audible(Alarm a) {
        return byKey.containsValue(a) && !a.acknowledged && clock.nanoTime() >= a.pausedUntil;
    }

    private void publish(Alarm a) {
        listener.accept(view(a));
    }

    private AlarmView view(Alarm a) {
        return new AlarmView(a.id, a.streamId, a.condition.type(), a.condition.technical(), a.priority,
                a.condition.latching(), a.conditionActive, audible(a), a.acknowledged, a.onsetSample, a.onsetNanos,
                a.evidence, a.detail);
    }

    private static long[] merge(long[] a, long[] b) {
        if (b.length == 0) {
            return a;
        }
        long[] m = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, m, a.length, b.length);
        Arrays.sort(m);
        return Arrays.stream(m).distinct().toArray();
    }
}
