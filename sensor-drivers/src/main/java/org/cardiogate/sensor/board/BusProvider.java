package org.cardiogate.sensor.board;

import org.cardiogate.sensor.bus.DataReadyLine;
import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.bus.SpiBus;
import org.cardiogate.sensor.serial.JSerialCommLink;
import org.cardiogate.sensor.serial.SerialLinkOpener;
import org.cardiogate.sensor.timing.HostTime;

/**
 * Opens the buses a board's chips sit on: the seam between {@link HardwareBoards}, which turns a {@link BoardWiring}
 * into drivers, and the buses themselves. Production uses Pi4J ({@link HardwareBoards#pi4j(String)}: {@code
 * /dev/spidevB.C}, {@code /dev/i2c-B}, a gpiochip line); tests pass {@link EmulatedBuses}, whose chip emulators sit
 * at the wired addresses, and so run exactly the production wiring path.
 *
 * <p>Threading: open everything from the control thread, before the drivers start; each bus is then used by the one
 * acquisition thread of its driver, which closes it. A failure to open throws an unchecked exception whose message
 * names the device node or address.
 */
public interface BusProvider extends AutoCloseable {

    /**
     * SPI device on bus {@code bus}, chip select {@code chipSelect} ({@code /dev/spidev<bus>.<chipSelect>}).
     *
     * @param mode    SPI mode 0..3 (ADS129x: 1)
     * @param clockHz SCLK in Hz
     */
    SpiBus spi(int bus, int chipSelect, int mode, int clockHz);

    /** The I2C device at 7-bit {@code address} on bus {@code bus} ({@code /dev/i2c-<bus>}). */
    I2cBus i2c(int bus, int address);

    /** A data-ready input on GPIO line {@code line} of the board's gpiochip, edges timestamped with {@code time}. */
    DataReadyLine dataReady(int line, HostTime time);

    /** Opens (and after a loss reopens) a serial port; by default jSerialComm on the device path. */
    default SerialLinkOpener serial(String port, int baud) {
        return JSerialCommLink.opener(port, baud);
    }

    /** Releases what the provider itself holds (a Pi4J context); the buses it opened are closed by their drivers. */
    @Override
    void close();
}
