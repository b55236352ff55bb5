/**
 * Edge inference: turns the beats found by {@code realtime-dsp} into beat classes, rhythm events and alarms.
 * <ul>
 *   <li>{@link org.cardiogate.inference.RhythmMonitor}: rule-based bradycardia, tachycardia, pause, asystole;</li>
 *   <li>{@code beat}: the beat classifier (features, ONNX Runtime session with an execution-provider chain, the
 *       batching {@code InferenceWorker}, offline evaluation);</li>
 *   <li>{@code rhythm}: atrial fibrillation from RR irregularity, ventricular tachycardia, bigeminy, trigeminy;</li>
 *   <li>{@code alarm}: the alarm system after IEC 60601-1-8 (priorities, latching, acknowledge, audio paused,
 *       escalation).</li>
 * </ul>
 *
 * <p>Threads: feature extraction runs on the DSP thread (allocation-free); classification on the inference
 * worker's thread; rhythm monitors and alarms on one consumer thread (the gateway's output thread).
 */
package org.cardiogate.inference;
