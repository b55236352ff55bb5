package org.cardiogate.sensor.sim;

/**
 * Ground truth of one simulated beat. Times are seconds since the simulator's sample 0 (sample {@code n} of a
 * stream at rate {@code f} is at {@code n / f} seconds).
 *
 * @param index              beat number, from 0
 * @param kind               normal, PVC or PAC
 * @param rTimeSeconds       time of the maximum of the noise-free lead II over the QRS (continuous, not sampled)
 * @param rSample            ECG sample index of that maximum: the sample where the noise-free lead II is largest
 * @param rrSeconds          interval from the previous beat's R time, or {@code NaN} for beat 0
 * @param pepSeconds         pre-ejection period: R time to aortic opening
 * @param aoTimeSeconds      aortic opening: centre (largest positive peak) of the SCG AO complex
 * @param acTimeSeconds      aortic closing: centre (positive peak) of the SCG AC complex
 * @param ppgFootTimeSeconds onset of the PPG upstroke, where the pulse's second derivative is largest
 * @param ppgPeakTimeSeconds systolic maximum of the noise-free IR channel (the largest value within 2.5 rise times
 *                           after the foot)
 */
public record SimulatedBeat(long index, BeatKind kind, double rTimeSeconds, long rSample, double rrSeconds,
                            double pepSeconds, double aoTimeSeconds, double acTimeSeconds, double ppgFootTimeSeconds,
                            double ppgPeakTimeSeconds) {

    /** Left-ventricular ejection time, AO to AC, seconds. */
    public double lvetSeconds() {
        return acTimeSeconds - aoTimeSeconds;
    }

    /** Pulse arrival time, R to PPG foot, seconds. */
    public double patSeconds() {
        return ppgFootTimeSeconds - rTimeSeconds;
    }

    /** Index of the sample nearest to {@code seconds} in a stream sampled at {@code rateHz}. */
    public static long sampleAt(double seconds, double rateHz) {
        return Math.round(seconds * rateHz);
    }
}
