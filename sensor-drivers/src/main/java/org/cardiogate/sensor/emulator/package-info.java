/**
 * Chip emulators that model datasheet registers and data paths behind the same bus interfaces the drivers use,
 * fed from recordings ({@link org.cardiogate.sensor.emulator.WfdbFeed}) or the simulator
 * ({@link org.cardiogate.sensor.emulator.SimulatorFeed}), and {@link org.cardiogate.sensor.emulator.VirtualTime} for
 * deterministic, faster-than-real-time runs. Main code, so that {@code board-check} and the gateway's emulated mode
 * can use them.
 */
package org.cardiogate.sensor.emulator;
