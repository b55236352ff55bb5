package org.cardiogate.signal;

/** Beat classes of ANSI/AAMI EC57. */
public enum AamiClass {
    /** Normal and bundle-branch-block beats and escape beats (MIT labels N L R e j). */
    N,
    /** Supraventricular ectopic beats (A a J S). */
    S,
    /** Ventricular ectopic beats (V E). */
    V,
    /** Fusion of ventricular and normal beats (F). */
    F,
    /** Paced and unclassifiable beats (/ f Q). */
    Q;

    /**
     * The AAMI class of an MIT-BIH beat label, or {@code null} when the label is not a beat (rhythm changes,
     * noise marks, comments).
     */
    public static AamiClass fromMitSymbol(String symbol) {
        return switch (symbol) {
            case "N", "L", "R", "e", "j" -> N;
            case "A", "a", "J", "S" -> S;
            case "V", "E" -> V;
            case "F" -> F;
            case "/", "f", "Q" -> Q;
            default -> null;
        };
    }
}
