package org.cardiogate.sensor.sim;

import org.cardiogate.signal.AamiClass;

/** The origin of a simulated beat. */
public enum BeatKind {
    /** Sinus beat: P wave, narrow QRS, full mechanical beat. */
    NORMAL(AamiClass.N),
    /** Premature ventricular contraction: no P wave, wide QRS, discordant T, weak late pulse, compensatory pause. */
    PVC(AamiClass.V),
    /** Premature atrial contraction: early abnormal (inverted) P wave, narrow QRS, reduced pulse, sinus reset. */
    PAC(AamiClass.S);

    private final AamiClass aamiClass;

    BeatKind(AamiClass aamiClass) {
        this.aamiClass = aamiClass;
    }

    /** The ANSI/AAMI EC57 class a classifier should assign to this beat. */
    public AamiClass aamiClass() {
        return aamiClass;
    }
}
