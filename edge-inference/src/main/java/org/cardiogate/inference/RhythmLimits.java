package org.cardiogate.inference;

/**
 * Limits of the rule-based rhythm monitor.
 *
 * @param bradyBpm       heart rate below which bradycardia is flagged
 * @param tachyBpm       heart rate above which tachycardia is flagged
 * @param pauseSeconds   an RR interval longer than this is a pause
 * @param asystoleSeconds no beat for this long is asystole (raised while waiting, before the next beat comes)
 * @param sustainSeconds a rate condition must hold this long before it is raised (and be gone this long to end)
 * @param hysteresisBpm  a rate condition ends only when the rate is this far back inside the limit
 */
public record RhythmLimits(double bradyBpm, double tachyBpm, double pauseSeconds, double asystoleSeconds,
                           double sustainSeconds, double hysteresisBpm) {

    /** Adult bedside defaults: 40 / 150 bpm, pause 3 s, asystole 4 s, 4 s sustain, 5 bpm hysteresis. */
    public static final RhythmLimits ADULT_DEFAULTS = new RhythmLimits(40, 150, 3.0, 4.0, 4.0, 5.0);

    public RhythmLimits {
        check("bradyBpm", bradyBpm, 15, 120);
        check("tachyBpm", tachyBpm, 60, 300);
        if (bradyBpm >= tachyBpm) {
            throw new IllegalArgumentException("alarms.bradyBpm (" + bradyBpm + ") must be below alarms.tachyBpm ("
                    + tachyBpm + ")");
        }
        check("pauseSeconds", pauseSeconds, 1.5, 10);
        check("asystoleSeconds", asystoleSeconds, 2, 15);
        check("sustainSeconds", sustainSeconds, 0, 30);
        check("hysteresisBpm", hysteresisBpm, 0, 30);
    }

    private static void check(String name, double v, double min, double max) {
        if (Double.isNaN(v) || v < min || v > max) {
            throw new IllegalArgumentException("alarms." + name + " must be between " + min + " and " + max + ", got " + v);
        }
    }
}
