/**
 * Edge inference: turns the beats found by {@code realtime-dsp} into rhythm and alarm events. This first version
 * holds the rule-based rhythm monitor (bradycardia, tachycardia, pause, asystole); the neural beat classifier and
 * the alarm model grow here.
 *
 * <p>Runs off the real-time thread: the gateway calls it from its output thread, one beat at a time.
 */
package org.cardiogate.inference;
