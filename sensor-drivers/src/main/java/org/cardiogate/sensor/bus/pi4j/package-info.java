/** Real SPI, I2C and GPIO buses through Pi4J 3 (linuxfs and gpiod plugins), used only on real hardware. */
package org.cardiogate.sensor.bus.pi4j;
