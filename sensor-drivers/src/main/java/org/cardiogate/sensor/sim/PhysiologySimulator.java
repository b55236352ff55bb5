package org.cardiogate.sensor.sim;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * A deterministic generator of time-aligned ECG (leads I and II, mV), PPG (red and IR, au) and SCG (dorso-ventral
 * axis z, milli-g) with exact ground truth for every beat.
 *
 * <h2>Model</h2>
 * The ECG is the ECGSYN model of McSharry et al. (2003) written per beat: each beat is a sum of Gaussian P, Q, R, S
 * and T events (T in two parts, for its asymmetry) placed relative to the beat's R time, with amplitudes per lead.
 * As in ECGSYN the events are positioned on the cardiac cycle, so the timing follows the RR interval that precedes the
 * beat: the P and T offsets and widths scale with {@code sqrt(RR)} (so QT follows Bazett), while the QRS, whose width
 * barely changes with rate, keeps its shape. Beats that overlap at fast rates simply add up. PVCs have no P wave, a
 * wide QRS (about 3x the normal R width) and a discordant T; PACs have an early inverted P wave and a normal QRS.
 *
 * <p>The mechanical beat follows the electrical one: aortic opening at R + PEP (PEP = pepMs - 0.4 ms per bpm above
 * 60), aortic closing after LVET = 413 - 1.7 HR ms (Weissler), the PPG foot at AO + pulse transit time (PAT - PEP at
 * 60 bpm). The SCG beat is a sum of Gabor wavelets: a small mitral-closure complex, the AO complex (its central
 * positive peak is the beat's largest), a negative rapid-ejection wave and the AC complex. The PPG pulse is a
 * gamma-variate systolic wave (whose second derivative jumps at the foot, so the foot is sharply defined) plus a
 * slower runoff wave and a Gaussian dicrotic wave one LVET after the foot, which leaves a dicrotic notch. The pulse
 * adds to a DC level (blood-volume orientation: a raw photodiode signal is its inverse); the red/IR AC/DC ratio encodes
 * the configured SpO2. PVCs eject late and weakly (PEP + 40 ms, 35 % pulse), PACs a little less (75 %), and the beat
 * after a compensatory pause is potentiated (120 %). Respiration modulates the RR (RSA), the QRS amplitudes, the PPG
 * baseline and the pulse and SCG amplitudes.
 *
 * <h2>Time and scheduling</h2>
 * One clock drives everything: sample {@code n} of a stream at rate {@code f} is at {@code n / f} seconds. Beat 0's
 * R peak is at 0.6 s. Beat {@code k + 1} is scheduled when the first stream reaches beat {@code k}'s R time: its RR
 * is drawn then, from the heart rate, RSA, jitter and any pending ectopic beat, and its {@link SimulatedBeat} goes
 * to the listener. All of a beat's waves lie after the previous R peak, so scheduling never changes samples already
 * produced. The streams are pulled independently ({@link #fill(SampleBlock)}), each with its own sample counter,
 * and may lag one another by up to 512 beats (at least 100 s of signal); pulling a stream further
 * behind throws {@link IllegalStateException}.
 *
 * <h2>Threading</h2>
 * The {@code fill} methods and the listener run on one generating thread. {@link #setHeartRate(double)},
 * {@link #injectEctopic(EctopicKind)}, {@link #setEctopicRun(EctopicKind, int)}, {@link #clearEctopicRun()},
 * {@link #startVentricularTachycardia(double)}, {@link #stopVentricularTachycardia()}, {@link #startAsystole()},
 * {@link #stopAsystole()} and {@link #setListener(BeatListener)} may be called from any thread; they take effect at
 * the next scheduled beat (an asystole's end within {@value #ASYSTOLE_POLL_SECONDS} s of signal time).
 * Generation allocates nothing in steady state; a {@link SimulatedBeat} is allocated per beat only while a listener is
 * set.
 *
 * <h2>Determinism</h2>
 * The output depends only on the configuration (seed included), on the sequence of run-time calls relative to the
 * beats, and not on how the streams are split into blocks or interleaved: RR variation and each stream's noise come
 * from separate generators split from the seed.
 */
public final class PhysiologySimulator {
    public static final String SENSOR = "simulator";
    public static final String ECG_STREAM_ID = "ecg";
    public static final String PPG_STREAM_ID = "ppg";
    public static final String SCG_STREAM_ID = "scg";

    /** R time of beat 0, seconds. */
    public static final double FIRST_R_SECONDS = 0.6;
    /** Beats kept for lagging streams; at the fastest rate they span about 100 s. */
    static final int BEAT_SLOTS = 512;

    private static final int ECG_EVENTS = 6;
    private static final int SCG_WAVELETS = 4;
    private static final double CUT_SIGMAS = 7.0;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double PVC_COUPLING = 0.62;
    private static final double PAC_COUPLING = 0.70;
    private static final double MIN_COUPLING_SECONDS = 0.18;
    private static final EctopicKind[] ECTOPIC_KINDS = EctopicKind.values();
    private static final double JITTER_AR = 0.9;
    private static final double MIN_RR_SECONDS = 0.15;
    /** Slowest and fastest ventricular tachycardia, bpm. */
    public static final double MIN_VT_BPM = 100;
    public static final double MAX_VT_BPM = 300;
    /** During asystole the simulator re-checks whether it has ended at this interval of signal time. */
    public static final double ASYSTOLE_POLL_SECONDS = 0.05;
    /** Pulse and SCG amplitude of a tachycardia beat relative to an isolated PVC's: the ventricle barely fills. */
    private static final double VT_MECHANICAL = 0.6;
    private static final double SCG_AO_MG = 25.0;
    private static final double PPG_IR_DC = 120_000;
    private static final double PPG_RED_DC = 90_000;
    private static final double PPG_IR_PERFUSION = 0.015;
    private static final double PPG_SYSTOLIC = 0.8;
    private static final double PPG_RUNOFF = 0.35;
    private static final double PPG_DICROTIC = 0.22;
    private static final double PPG_DICROTIC_SIGMA = 0.04;
    private static final double PPG_DICROTIC_INV2VAR = 1 / (2 * PPG_DICROTIC_SIGMA * PPG_DICROTIC_SIGMA);
    private static final double PPG_DICROTIC_CUT = CUT_SIGMAS * PPG_DICROTIC_SIGMA;

    private final SimulatorConfig config;
    private final StreamDescriptor ecgStream;
    private final StreamDescriptor ppgStream;
    private final StreamDescriptor scgStream;
    private final double ecgPeriod;
    private final double ppgPeriod;
    private final double scgPeriod;
    private final double respHz;
    private final double pttSeconds;
    private final double irAc;
    private final double redAc;

    private volatile double heartRateBpm;
    private volatile BeatListener listener;
    private final AtomicReference<EctopicKind> pendingEctopic = new AtomicReference<>();
    /** 0 = no run; otherwise (period << 8) | (kind ordinal + 1). */
    private volatile int ectopicRun;
    /** NaN when no ventricular tachycardia. */
    private volatile double vtRateBpm = Double.NaN;
    private volatile boolean asystole;

    private final SplittableRandom rhythmRandom;
    private final SplittableRandom ecgRandom;
    private final SplittableRandom ppgRandom;
    private final SplittableRandom scgRandom;
    private final double wanderPhaseI;
    private final double wanderPhaseII;
    private final double slowPhaseI;
    private final double slowPhaseII;
    private final double mainsPhase;

    // beat table, slot = index & (BEAT_SLOTS - 1)
    private final double[] rCenter = new double[BEAT_SLOTS];
    private final double[] ecgEnd = new double[BEAT_SLOTS];
    private final double[] ppgEnd = new double[BEAT_SLOTS];
    private final double[] scgEnd = new double[BEAT_SLOTS];
    private final int[] ecgCount = new int[BEAT_SLOTS];
    private final double[] ecgCenter = new double[BEAT_SLOTS * ECG_EVENTS];
    private final double[] ecgInv2Var = new double[BEAT_SLOTS * ECG_EVENTS];
    private final double[] ecgCut = new double[BEAT_SLOTS * ECG_EVENTS];
    private final double[] ecgAmpI = new double[BEAT_SLOTS * ECG_EVENTS];
    private final double[] ecgAmpII = new double[BEAT_SLOTS * ECG_EVENTS];
    private final double[] ppgFoot = new double[BEAT_SLOTS];
    private final double[] ppgSysTp = new double[BEAT_SLOTS];
    private final double[] ppgSysAmp = new double[BEAT_SLOTS];
    private final double[] ppgRunTp = new double[BEAT_SLOTS];
    private final double[] ppgRunAmp = new double[BEAT_SLOTS];
    private final double[] ppgDicCenter = new double[BEAT_SLOTS];
    private final double[] ppgDicAmp = new double[BEAT_SLOTS];
    private final double[] scgCenter = new double[BEAT_SLOTS * SCG_WAVELETS];
    private final double[] scgInv2Var = new double[BEAT_SLOTS * SCG_WAVELETS];
    private final double[] scgCut = new double[BEAT_SLOTS * SCG_WAVELETS];
    private final double[] scgOmega = new double[BEAT_SLOTS * SCG_WAVELETS];
    private final double[] scgAmp = new double[BEAT_SLOTS * SCG_WAVELETS];

    private long beatCount;
    private double lastR = Double.NEGATIVE_INFINITY;
    /** Signal time at which the next beat is decided: the last R time, or the next asystole check. */
    private double nextDecision;
    private boolean paused;
    private double compensatedR = Double.NaN;
    private boolean potentiateNext;
    private int beatsSinceEctopic;
    private double jitterState;
    private double overwrittenEnd = Double.NEGATIVE_INFINITY;

    private long ecgSeq;
    private long ppgSeq;
    private long scgSeq;
    private long ecgFirstBeat;
    private long ppgFirstBeat;
    private long scgFirstBeat;

    public PhysiologySimulator(SimulatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.ecgStream = new StreamDescriptor(ECG_STREAM_ID, SENSOR, Modality.ECG,
                List.of(new Channel("I", "mV"), new Channel("II", "mV")), config.ecgRateHz());
        this.ppgStream = new StreamDescriptor(PPG_STREAM_ID, SENSOR, Modality.PPG,
                List.of(new Channel("red", "au"), new Channel("ir", "au")), config.ppgRateHz());
        this.scgStream = new StreamDescriptor(SCG_STREAM_ID, SENSOR, Modality.SCG,
                List.of(new Channel("z", "mg")), config.scgRateHz());
        this.ecgPeriod = 1.0 / config.ecgRateHz();
        this.ppgPeriod = 1.0 / config.ppgRateHz();
        this.scgPeriod = 1.0 / config.scgRateHz();
        this.respHz = config.respirationRateBpm() / 60.0;
        this.pttSeconds = (config.patMs() - config.pepMs()) / 1000.0;
        this.irAc = PPG_IR_DC * PPG_IR_PERFUSION;
        double ratio = (110 - config.spo2Percent()) / 25.0;
        this.redAc = ratio * PPG_RED_DC * PPG_IR_PERFUSION;
        this.heartRateBpm = config.heartRateBpm();

        SplittableRandom root = new SplittableRandom(config.seed());
        this.rhythmRandom = root.split();
        this.ecgRandom = root.split();
        this.ppgRandom = root.split();
        this.scgRandom = root.split();
        SplittableRandom phases = root.split();
        this.wanderPhaseI = phases.nextDouble(TWO_PI);
        this.wanderPhaseII = phases.nextDouble(TWO_PI);
        this.slowPhaseI = phases.nextDouble(TWO_PI);
        this.slowPhaseII = phases.nextDouble(TWO_PI);
        this.mainsPhase = phases.nextDouble(TWO_PI);
    }

    public SimulatorConfig config() {
        return config;
    }

    /** ECG stream: channels I and II in mV at {@link SimulatorConfig#ecgRateHz()}. */
    public StreamDescriptor ecgStream() {
        return ecgStream;
    }

    /** PPG stream: channels red and ir in arbitrary units at {@link SimulatorConfig#ppgRateHz()}. */
    public StreamDescriptor ppgStream() {
        return ppgStream;
    }

    /** SCG stream: channel z (dorso-ventral) in milli-g at {@link SimulatorConfig#scgRateHz()}. */
    public StreamDescriptor scgStream() {
        return scgStream;
    }

    /** ECG, PPG and SCG descriptors, in that order. */
    public List<StreamDescriptor> streams() {
        return List.of(ecgStream, ppgStream, scgStream);
    }

    /**
     * Sets the mean sinus heart rate (20..300 bpm) used from the next scheduled beat on (the beat that ends a PVC's
     * compensatory pause keeps the time fixed when the PVC was scheduled). Any thread.
     */
    public void setHeartRate(double bpm) {
        SimulatorConfig.checkHeartRate(bpm);
        this.heartRateBpm = bpm;
    }

    public double heartRateBpm() {
        return heartRateBpm;
    }

    /**
     * Makes the next scheduled beat an ectopic one of this kind (a beat that must follow a PVC's compensatory pause
     * stays sinus, and the ectopic comes one beat later). A second call before the beat replaces the first. Any
     * thread.
     */
    public void injectEctopic(EctopicKind kind) {
        pendingEctopic.set(Objects.requireNonNull(kind, "kind"));
    }

    /**
     * Starts a run in which every {@code everyNthBeat}-th beat is ectopic: 2 gives bigeminy (N V N V), 3 trigeminy
     * (N N V). Any thread.
     */
    public void setEctopicRun(EctopicKind kind, int everyNthBeat) {
        Objects.requireNonNull(kind, "kind");
        if (everyNthBeat < 2 || everyNthBeat > 1000) {
            throw new IllegalArgumentException("ectopic run period must be 2..1000 beats, got " + everyNthBeat);
        }
        ectopicRun = (everyNthBeat << 8) | (kind.ordinal() + 1);
    }

    /** Ends an ectopic run. Any thread. */
    public void clearEctopicRun() {
        ectopicRun = 0;
    }

    /**
     * Starts (or changes the rate of) a ventricular tachycardia: from the next scheduled beat on, every beat is a
     * {@link BeatKind#PVC} (no P wave, wide QRS, discordant T) at exactly {@code bpm}, with no compensatory pause,
     * T wave and ejection timed on the tachycardia's own RR, and weak mechanical beats (pulse and SCG at 60 % of an
     * isolated PVC's: 21 % and 30 % of a sinus beat's). Ectopic runs pause and an injected ectopic waits while
     * it lasts. Any thread.
     *
     * @param bpm ventricular rate, {@value #MIN_VT_BPM}..{@value #MAX_VT_BPM}
     */
    public void startVentricularTachycardia(double bpm) {
        if (!(bpm >= MIN_VT_BPM && bpm <= MAX_VT_BPM)) {
            throw new IllegalArgumentException("ventricular tachycardia rate must be " + MIN_VT_BPM + ".."
                    + MAX_VT_BPM + " bpm, got " + bpm);
        }
        vtRateBpm = bpm;
    }

    /** Ends a ventricular tachycardia: the beat after the next scheduled one is sinus again. Any thread. */
    public void stopVentricularTachycardia() {
        vtRateBpm = Double.NaN;
    }

    /** Whether a ventricular tachycardia is set. Any thread. */
    public boolean isVentricularTachycardia() {
        return !Double.isNaN(vtRateBpm);
    }

    /**
     * Starts an asystole: the beat already scheduled (at most one RR ahead of the leading stream) still occurs,
     * then no beat is scheduled: the ECG is flat apart from the configured noise, wander and hum, the PPG is its DC
     * level with respiration, the SCG noise only. A pending compensatory beat is cancelled. Any thread.
     */
    public void startAsystole() {
        asystole = true;
    }

    /**
     * Ends an asystole: within {@value #ASYSTOLE_POLL_SECONDS} s of signal time the next beat is scheduled one
     * RR (sinus, or the tachycardia's if one is set) after that moment; its {@link SimulatedBeat#rrSeconds()} spans
     * the whole pause. Any thread.
     */
    public void stopAsystole() {
        asystole = false;
    }

    /** Whether an asystole is set. Any thread. */
    public boolean isAsystole() {
        return asystole;
    }

    /** Sets or (with {@code null}) removes the ground-truth listener. Any thread; see {@link BeatListener}. */
    public void setListener(BeatListener listener) {
        this.listener = listener;
    }

    /** Beats scheduled so far (their ground truth has been produced). Generating thread. */
    public long beatCount() {
        return beatCount;
    }

    /** The sample counter of the next sample of the stream with this modality. Generating thread. */
    public long nextSequence(Modality modality) {
        return switch (modality) {
            case ECG -> ecgSeq;
            case PPG -> ppgSeq;
            case SCG -> scgSeq;
            default -> throw new IllegalArgumentException("the simulator has no " + modality + " stream");
        };
    }

    /**
     * Fills the whole block with the next samples of its stream (chosen by the block's modality), with
     * {@code firstSequence} the stream's sample counter and {@code timestampNanos} the nanoseconds from sample 0.
     */
    public void fill(SampleBlock block) {
        long seq = nextSequence(block.stream().modality());
        fill(block, block.capacity(), Math.round(seq * 1e9 / block.stream().nominalRateHz()));
    }

    /**
     * Fills {@code length} samples of the block's stream into it, starting at the stream's sample counter, and
     * stamps the block with that counter and {@code timestampNanos}. The block's stream must have this simulator's
     * modality and channel count (the descriptors of {@link #streams()}).
     */
    public void fill(SampleBlock block, int length, long timestampNanos) {
        if (length < 1 || length > block.capacity()) {
            throw new IllegalArgumentException("fill length " + length + " outside 1.." + block.capacity());
        }
        StreamDescriptor s = block.stream();
        Modality m = s.modality();
        if (m == Modality.ECG && s.channelCount() == 2) {
            block.begin(ecgSeq, timestampNanos);
            fillEcg(block.channel(0), block.channel(1), length);
        } else if (m == Modality.PPG && s.channelCount() == 2) {
            block.begin(ppgSeq, timestampNanos);
            fillPpg(block.channel(0), block.channel(1), length);
        } else if (m == Modality.SCG && s.channelCount() == 1) {
            block.begin(scgSeq, timestampNanos);
            fillScg(block.channel(0), length);
        } else {
            throw new IllegalArgumentException("stream '" + s.streamId() + "' (" + m + ", " + s.channelCount()
                    + " channels) is not one of the simulator's streams");
        }
        block.setLength(length);
    }

    // ---------------------------------------------------------------- ECG

    private void fillEcg(double[] leadI, double[] leadII, int length) {
        double t0 = ecgSeq * ecgPeriod;
        ecgFirstBeat = catchUp(ecgFirstBeat, t0, "ecg");
        double wander = config.baselineWanderMv();
        double white = config.whiteNoiseMv();
        double hum = config.mainsHumMv();
        double wResp = TWO_PI * respHz;
        double wSlow = TWO_PI * 0.05;
        double wMains = TWO_PI * config.mainsHz();
        for (int i = 0; i < length; i++) {
            double t = (ecgSeq + i) * ecgPeriod;
            if (t >= nextDecision) {
                scheduleThrough(t);
            }
            while (ecgFirstBeat < beatCount && ecgEnd[slot(ecgFirstBeat)] < t) {
                ecgFirstBeat++;
            }
            double v1 = 0;
            double v2 = 0;
            for (long k = ecgFirstBeat; k < beatCount; k++) {
                int s = slot(k);
                int base = s * ECG_EVENTS;
                int end = base + ecgCount[s];
                for (int e = base; e < end; e++) {
                    double dt = t - ecgCenter[e];
                    if (dt * dt < ecgCut[e]) {
                        double g = Math.exp(-dt * dt * ecgInv2Var[e]);
                        v1 += ecgAmpI[e] * g;
                        v2 += ecgAmpII[e] * g;
                    }
                }
            }
            if (wander > 0) {
                v1 += wander * (0.7 * Math.sin(wResp * t + wanderPhaseI) + 0.3 * Math.sin(wSlow * t + slowPhaseI));
                v2 += wander * (0.7 * Math.sin(wResp * t + wanderPhaseII) + 0.3 * Math.sin(wSlow * t + slowPhaseII));
            }
            if (hum > 0) {
                double h = hum * Math.sin(wMains * t + mainsPhase);
                v1 += 0.8 * h;
                v2 += h;
            }
            if (white > 0) {
                v1 += white * ecgRandom.nextGaussian();
                v2 += white * ecgRandom.nextGaussian();
            }
            leadI[i] = v1;
            leadII[i] = v2;
        }
        ecgSeq += length;
    }

    /** Noise-free lead II (lead 2) or lead I at time t, from the beats near the newest. */
    private double cleanEcg(double t, boolean leadII) {
        double v = 0;
        for (long k = Math.max(0, beatCount - 6); k < beatCount; k++) {
            int s = slot(k);
            int base = s * ECG_EVENTS;
            int end = base + ecgCount[s];
            for (int e = base; e < end; e++) {
                double dt = t - ecgCenter[e];
                if (dt * dt < ecgCut[e]) {
                    v += (leadII ? ecgAmpII[e] : ecgAmpI[e]) * Math.exp(-dt * dt * ecgInv2Var[e]);
                }
            }
        }
        return v;
    }

    // ---------------------------------------------------------------- PPG

    private void fillPpg(double[] red, double[] ir, int length) {
        double t0 = ppgSeq * ppgPeriod;
        ppgFirstBeat = catchUp(ppgFirstBeat, t0, "ppg");
        double noise = config.ppgNoiseAu();
        for (int i = 0; i < length; i++) {
            double t = (ppgSeq + i) * ppgPeriod;
            if (t >= nextDecision) {
                scheduleThrough(t);
            }
            while (ppgFirstBeat < beatCount && ppgEnd[slot(ppgFirstBeat)] < t) {
                ppgFirstBeat++;
            }
            double p = pulse(t, ppgFirstBeat);
            double dc = ppgBaseline(t);
            double r = PPG_RED_DC * dc + redAc * p;
            double x = PPG_IR_DC * dc + irAc * p;
            if (noise > 0) {
                r += noise * ppgRandom.nextGaussian();
                x += noise * ppgRandom.nextGaussian();
            }
            red[i] = r;
            ir[i] = x;
        }
        ppgSeq += length;
    }

    /** The relative PPG DC level at time t: respiration modulates it by 0.3 %. */
    private double ppgBaseline(double t) {
        return 1 + 0.003 * Math.sin(TWO_PI * respHz * t);
    }

    /** The noise-free IR channel at t. */
    private double cleanIr(double t, long from) {
        return PPG_IR_DC * ppgBaseline(t) + irAc * pulse(t, from);
    }

    /** The normalised pulsatile PPG (about 1 at a normal systolic peak) at time t, summed from beat {@code from}. */
    private double pulse(double t, long from) {
        double p = 0;
        for (long k = from; k < beatCount; k++) {
            int s = slot(k);
            double tau = t - ppgFoot[s];
            if (tau > 0) {
                p += ppgSysAmp[s] * gammaVariate(tau / ppgSysTp[s]) + ppgRunAmp[s] * gammaVariate(tau / ppgRunTp[s]);
            }
            double dt = t - ppgDicCenter[s];
            if (dt > -PPG_DICROTIC_CUT && dt < PPG_DICROTIC_CUT) {
                p += ppgDicAmp[s] * Math.exp(-dt * dt * PPG_DICROTIC_INV2VAR);
            }
        }
        return p;
    }

    /** x^2 e^(2(1-x)): 0 at 0 with a jump of its second derivative there, peak 1 at x = 1. */
    private static double gammaVariate(double x) {
        return x * x * Math.exp(2 * (1 - x));
    }

    // ---------------------------------------------------------------- SCG

    private void fillScg(double[] z, int length) {
        double t0 = scgSeq * scgPeriod;
        scgFirstBeat = catchUp(scgFirstBeat, t0, "scg");
        double noise = config.scgNoiseMg();
        for (int i = 0; i < length; i++) {
            double t = (scgSeq + i) * scgPeriod;
            if (t >= nextDecision) {
                scheduleThrough(t);
            }
            while (scgFirstBeat < beatCount && scgEnd[slot(scgFirstBeat)] < t) {
                scgFirstBeat++;
            }
            double v = 0;
            for (long k = scgFirstBeat; k < beatCount; k++) {
                int base = slot(k) * SCG_WAVELETS;
                for (int w = base; w < base + SCG_WAVELETS; w++) {
                    double dt = t - scgCenter[w];
                    if (dt * dt < scgCut[w]) {
                        v += scgAmp[w] * Math.exp(-dt * dt * scgInv2Var[w]) * Math.cos(scgOmega[w] * dt);
                    }
                }
            }
            if (noise > 0) {
                v += noise * scgRandom.nextGaussian();
            }
            z[i] = v;
        }
        scgSeq += length;
    }

    // ---------------------------------------------------------------- beats

    private static int slot(long beat) {
        return (int) (beat & (BEAT_SLOTS - 1));
    }

    /** Moves a stream's oldest-beat pointer past beats that were recycled, if they no longer matter at t. */
    private long catchUp(long firstBeat, double t, String stream) {
        long oldestKept = beatCount - BEAT_SLOTS;
        if (firstBeat < oldestKept) {
            if (t < overwrittenEnd) {
                throw new IllegalStateException("stream '" + stream + "' at " + t
                        + " s lags the leading stream by more than " + BEAT_SLOTS
                        + " beats; pull the simulator's streams within about 100 s of each other");
            }
            return oldestKept;
        }
        return firstBeat;
    }

    private void scheduleThrough(double t) {
        while (t >= nextDecision) {
            if (asystole) {
                compensatedR = Double.NaN;
                potentiateNext = false;
                paused = true;
                nextDecision += ASYSTOLE_POLL_SECONDS;
            } else {
                scheduleNext();
            }
        }
    }

    private EctopicKind takeEctopic() {
        EctopicKind injected = pendingEctopic.getAndSet(null);
        if (injected != null) {
            return injected;
        }
        int run = ectopicRun;
        if (run != 0 && beatsSinceEctopic >= (run >>> 8) - 1) {
            return ECTOPIC_KINDS[(run & 0xff) - 1];
        }
        return null;
    }

    private void scheduleNext() {
        long k = beatCount;
        int s = slot(k);
        if (k >= BEAT_SLOTS) {
            overwrittenEnd = Math.max(overwrittenEnd, Math.max(ecgEnd[s], Math.max(ppgEnd[s], scgEnd[s])));
        }
        double rrMean = 60.0 / heartRateBpm;
        double rrSinus = sinusRr(rrMean);
        BeatKind kind = BeatKind.NORMAL;
        double tR;
        boolean potentiated = false;
        // after an asystole the next beat is timed from the moment it ended, otherwise from the last R
        boolean resumed = paused;
        paused = false;
        double from = resumed ? nextDecision : lastR;
        double vt = vtRateBpm;
        boolean vtBeat = false;
        if (k == 0 && !resumed) {
            tR = FIRST_R_SECONDS;
        } else if (!Double.isNaN(vt)) {
            kind = BeatKind.PVC;
            vtBeat = true;
            tR = from + 60.0 / vt;
            compensatedR = Double.NaN;
            potentiateNext = false;
        } else if (resumed) {
            tR = from + rrSinus;
        } else if (!Double.isNaN(compensatedR)) {
            tR = compensatedR;
            compensatedR = Double.NaN;
            potentiated = potentiateNext;
            potentiateNext = false;
        } else {
            EctopicKind ectopic = takeEctopic();
            if (ectopic == EctopicKind.PVC) {
                kind = BeatKind.PVC;
                tR = lastR + Math.max(PVC_COUPLING * rrSinus, MIN_COUPLING_SECONDS);
                compensatedR = lastR + 2 * rrSinus;
                potentiateNext = true;
            } else if (ectopic == EctopicKind.PAC) {
                kind = BeatKind.PAC;
                tR = lastR + Math.max(PAC_COUPLING * rrSinus, MIN_COUPLING_SECONDS);
            } else {
                tR = lastR + rrSinus;
            }
        }
        beatsSinceEctopic = kind == BeatKind.NORMAL ? beatsSinceEctopic + 1 : 0;
        double rr = k == 0 ? Double.NaN : tR - lastR;
        // isolated ectopic beats keep the sinus timing of repolarisation and ejection; sinus beats and a tachycardia
        // follow their own RR
        double rrShape = vtBeat ? tR - from : k == 0 || resumed || kind != BeatKind.NORMAL ? rrSinus : rr;
        double resp = Math.sin(TWO_PI * respHz * tR);

        rCenter[s] = tR;
        buildEcg(s, kind, tR, rrShape, resp);

        double hr = 60.0 / rrShape;
        double pep = clamp(config.pepMs() / 1000.0 - 0.0004 * (hr - 60), 0.04, 0.2);
        double lvet = clamp((413 - 1.7 * hr) / 1000.0, 0.12, 0.45);
        double ptt = pttSeconds;
        double ppgAmp = 1 + 0.05 * resp;
        double scgA = SCG_AO_MG * (1 + 0.1 * resp);
        if (kind == BeatKind.PVC) {
            pep += 0.04;
            lvet *= 0.8;
            ptt += 0.015;
            ppgAmp *= 0.35;
            scgA *= 0.5;
            if (vtBeat) {
                ppgAmp *= VT_MECHANICAL;
                scgA *= VT_MECHANICAL;
            }
        } else if (kind == BeatKind.PAC) {
            pep += 0.01;
            lvet *= 0.92;
            ppgAmp *= 0.75;
            scgA *= 0.8;
        } else if (potentiated) {
            ppgAmp *= 1.2;
            scgA *= 1.15;
        }

        // R: the noise-free lead II maximum, on the sample grid and in continuous time
        beatCount = k + 1;
        lastR = tR;
        nextDecision = tR;
        long n0 = (long) Math.floor((tR - 0.03) / ecgPeriod);
        long n1 = (long) Math.ceil((tR + 0.03) / ecgPeriod);
        long rSample = n0;
        double best = Double.NEGATIVE_INFINITY;
        for (long n = Math.max(0, n0); n <= n1; n++) {
            double v = cleanEcg(n * ecgPeriod, true);
            if (v > best) {
                best = v;
                rSample = n;
            }
        }
        double rTime = refineEcgMax((rSample - 1) * ecgPeriod, (rSample + 1) * ecgPeriod);

        double ao = rTime + pep;
        double ac = ao + lvet;
        double foot = ao + ptt;
        buildScg(s, ao, ac, scgA);
        double sqrtRr = Math.sqrt(clamp(rrShape, 0.2, 3.0));
        ppgFoot[s] = foot;
        ppgSysTp[s] = 0.10 * Math.sqrt(sqrtRr);
        ppgRunTp[s] = 0.28 * sqrtRr;
        ppgSysAmp[s] = PPG_SYSTOLIC * ppgAmp;
        ppgRunAmp[s] = PPG_RUNOFF * ppgAmp;
        ppgDicCenter[s] = foot + lvet + 0.06;
        ppgDicAmp[s] = PPG_DICROTIC * ppgAmp;
        ppgEnd[s] = Math.max(foot + 14 * ppgRunTp[s], ppgDicCenter[s] + CUT_SIGMAS * PPG_DICROTIC_SIGMA);
        double ppgPeak = ppgPeak(foot, ppgSysTp[s]);

        BeatListener l = listener;
        if (l != null) {
            l.onBeat(new SimulatedBeat(k, kind, rTime, rSample, rr, pep, ao, ac, foot, ppgPeak));
        }
    }

    /**
     * Heart-rate variability shrinks as the rate rises (vagal withdrawal): the configured RSA and jitter hold at
     * 72 bpm and scale with {@code (RR / 0.833 s)^2}, as a constant variability of the rate in bpm (ECGSYN's model)
     * does, between 0.1 and 2 times. At 170 bpm RSA of 30 ms becomes about 5 ms, as in a sinus tachycardia.
     */
    private static double hrvScale(double rrMean) {
        double r = rrMean / (60.0 / 72.0);
        return clamp(r * r, 0.1, 2.0);
    }

    private double sinusRr(double rrMean) {
        double scale = hrvScale(rrMean);
        double jitter = scale * config.hrvJitterMs() / 1000.0;
        if (jitter > 0) {
            jitterState = JITTER_AR * jitterState
                    + Math.sqrt(1 - JITTER_AR * JITTER_AR) * jitter * rhythmRandom.nextGaussian();
        }
        double rr = rrMean;
        if (config.rsaMs() > 0 && lastR > Double.NEGATIVE_INFINITY) {
            // inspiration (positive phase) shortens RR
            rr -= scale * config.rsaMs() / 1000.0 * Math.sin(TWO_PI * respHz * lastR);
        }
        rr += jitterState;
        return Math.max(MIN_RR_SECONDS, clamp(rr, 0.6 * rrMean, 1.4 * rrMean));
    }

    private void buildEcg(int s, BeatKind kind, double tR, double rrShape, double resp) {
        double q = Math.sqrt(clamp(rrShape, 0.2, 3.0));
        double mI = 1 - 0.04 * resp;
        double mII = 1 + 0.04 * resp;
        int n = 0;
        int base = s * ECG_EVENTS;
        switch (kind) {
            case NORMAL -> {
                n = event(base, n, tR - 0.170 * q, 0.022 * q, 0.07, 0.15);
                n = event(base, n, tR - 0.028, 0.008, -0.06 * mI, -0.12 * mII);
                n = event(base, n, tR, 0.0105, 0.75 * mI, 1.30 * mII);
                n = event(base, n, tR + 0.028, 0.009, -0.12 * mI, -0.28 * mII);
                n = event(base, n, tR + 0.260 * q, 0.060 * q, 0.10, 0.15);
                n = event(base, n, tR + 0.310 * q, 0.040 * q, 0.12, 0.20);
            }
            case PAC -> {
                n = event(base, n, tR - 0.125 * q, 0.020 * q, 0.04, -0.09);
                n = event(base, n, tR - 0.028, 0.008, -0.06 * mI, -0.12 * mII);
                n = event(base, n, tR, 0.0105, 0.75 * mI, 1.30 * mII);
                n = event(base, n, tR + 0.028, 0.009, -0.12 * mI, -0.28 * mII);
                n = event(base, n, tR + 0.260 * q, 0.060 * q, 0.10, 0.15);
                n = event(base, n, tR + 0.310 * q, 0.040 * q, 0.12, 0.20);
            }
            case PVC -> {
                n = event(base, n, tR - 0.045, 0.015, 0.10 * mI, -0.10 * mII);
                n = event(base, n, tR, 0.028, -0.85 * mI, 1.55 * mII);
                n = event(base, n, tR + 0.065, 0.022, 0.25 * mI, -0.35 * mII);
                n = event(base, n, tR + 0.300 * q, 0.070 * q, 0.30, -0.45);
            }
        }
        ecgCount[s] = n;
        double end = tR;
        for (int e = base; e < base + n; e++) {
            end = Math.max(end, ecgCenter[e] + Math.sqrt(ecgCut[e]));
        }
        ecgEnd[s] = end;
    }

    private int event(int base, int n, double center, double sigma, double ampI, double ampII) {
        int e = base + n;
        ecgCenter[e] = center;
        ecgInv2Var[e] = 1 / (2 * sigma * sigma);
        ecgCut[e] = CUT_SIGMAS * CUT_SIGMAS * sigma * sigma;
        ecgAmpI[e] = ampI;
        ecgAmpII[e] = ampII;
        return n + 1;
    }

    private void buildScg(int s, double ao, double ac, double a) {
        int base = s * SCG_WAVELETS;
        wavelet(base, ao - 0.045, 0.008, 35, 0.3 * a);
        wavelet(base + 1, ao, 0.012, 28, a);
        wavelet(base + 2, ao + 0.07, 0.025, 0, -0.25 * a);
        wavelet(base + 3, ac, 0.012, 30, 0.55 * a);
        scgEnd[s] = ac + CUT_SIGMAS * 0.012;
    }

    private void wavelet(int w, double center, double sigma, double hz, double amp) {
        scgCenter[w] = center;
        scgInv2Var[w] = 1 / (2 * sigma * sigma);
        scgCut[w] = CUT_SIGMAS * CUT_SIGMAS * sigma * sigma;
        scgOmega[w] = TWO_PI * hz;
        scgAmp[w] = amp;
    }

    /** Built once: the ground-truth searches run per beat and must not allocate. */
    private final java.util.function.DoubleUnaryOperator cleanEcgOf = t -> cleanEcg(t, true);
    private long cleanIrFrom;
    private final java.util.function.DoubleUnaryOperator cleanIrOf = t -> cleanIr(t, cleanIrFrom);

    private double refineEcgMax(double lo, double hi) {
        return goldenMax(lo, hi, cleanEcgOf);
    }

    /** Golden-section search for the maximum of a unimodal function on [lo, hi], to 1e-7 s (ground truth only). */
    private static double goldenMax(double lo, double hi, java.util.function.DoubleUnaryOperator f) {
        final double g = 0.6180339887498949;
        double a = lo;
        double b = hi;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (b - a > 1e-7) {
            if (fc > fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return 0.5 * (a + b);
    }

    /** Systolic maximum of the noise-free IR channel after this foot (within 2.5 rise times): a 0.5 ms grid, then golden-section refinement. */
    private double ppgPeak(double foot, double sysTp) {
        long from = Math.max(0, beatCount - 12);
        double best = Double.NEGATIVE_INFINITY;
        double bestT = foot;
        double span = 2.5 * sysTp;
        for (double t = foot; t <= foot + span; t += 0.0005) {
            double v = cleanIr(t, from);
            if (v > best) {
                best = v;
                bestT = t;
            }
        }
        cleanIrFrom = from;
        return goldenMax(bestT - 0.0005, bestT + 0.0005, cleanIrOf);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
