/**
 * The built-in physiological simulator: {@link org.cardiogate.sensor.sim.PhysiologySimulator} generates
 * time-aligned two-lead ECG, PPG (red, IR) and SCG with exact per-beat ground truth
 * ({@link org.cardiogate.sensor.sim.SimulatedBeat}); {@link org.cardiogate.sensor.sim.SimulatorSource} runs it on an
 * acquisition thread behind the {@link org.cardiogate.sensor.SensorSource} seam, paced by an injected clock. It is
 * the default source of {@code gateway demo} and a test source for the DSP, fusion, UI and MQTT tests.
 */
package org.cardiogate.sensor.sim;
