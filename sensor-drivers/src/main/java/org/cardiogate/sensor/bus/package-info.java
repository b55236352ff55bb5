/**
 * The small bus seams every driver talks to: {@link org.cardiogate.sensor.bus.SpiBus},
 * {@link org.cardiogate.sensor.bus.I2cBus}, {@link org.cardiogate.sensor.bus.DataReadyLine} and
 * {@link org.cardiogate.sensor.bus.SerialLink}. Real implementations wrap Pi4J ({@code .pi4j}) and jSerialComm
 * ({@code org.cardiogate.sensor.serial}); chip emulators ({@code org.cardiogate.sensor.emulator}) implement the same
 * interfaces, so tests run the production drivers.
 */
package org.cardiogate.sensor.bus;
