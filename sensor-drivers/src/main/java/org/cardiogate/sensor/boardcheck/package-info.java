/**
 * Board bring-up: {@link org.cardiogate.sensor.boardcheck.BoardCheck} measures identity, registers, noise floor,
 * sample-rate error, test signal and lead-off of an emulated or real board with the production driver and writes an
 * HTML report; {@link org.cardiogate.sensor.boardcheck.BoardSpec} parses a board description such as
 * {@code ads1292r@/dev/spidev0.0,drdy=gpiochip0:25} and opens it.
 */
package org.cardiogate.sensor.boardcheck;
