package org.cardiogate.sensor.sim;

/** The ectopic beats the simulator can inject. */
public enum EctopicKind {
    /** Premature ventricular contraction, coupled at 62 % of the sinus RR, followed by a full compensatory pause. */
    PVC(BeatKind.PVC),
    /** Premature atrial contraction, coupled at 70 % of the sinus RR; the sinus node is reset (no full pause). */
    PAC(BeatKind.PAC);

    private final BeatKind beatKind;

    EctopicKind(BeatKind beatKind) {
        this.beatKind = beatKind;
    }

    public BeatKind beatKind() {
        return beatKind;
    }
}
