/**
 * Serial-attached boards via jSerialComm: the gateway's own {@link org.cardiogate.sensor.serial.FramedProtocol} and
 * the OpenBCI Cyton stream ({@link org.cardiogate.sensor.serial.CytonProtocol}), decoded with resynchronisation and
 * lost-packet counting by {@link org.cardiogate.sensor.serial.SerialBoardSource}.
 */
package org.cardiogate.sensor.serial;
