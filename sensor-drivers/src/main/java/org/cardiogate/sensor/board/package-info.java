/**
 * Boards and benches made of several chips: {@link org.cardiogate.sensor.board.CompositeSource} presents many sources
 * as one; {@link org.cardiogate.sensor.board.HardwareBoards} starts a real board from its
 * {@link org.cardiogate.sensor.board.BoardWiring} (the gateway's {@code sensors:} configuration) on the buses of a
 * {@link org.cardiogate.sensor.board.BusProvider}: Pi4J in production,
 * {@link org.cardiogate.sensor.board.EmulatedBuses} (chip emulators at the wired addresses) in tests;
 * {@link org.cardiogate.sensor.board.EmulatedBoards} builds the lab's emulated ADS1298 + MAX30102 + LSM6DSO bench, fed by the simulator or by a replayed WFDB record.
 */
package org.cardiogate.sensor.board;
