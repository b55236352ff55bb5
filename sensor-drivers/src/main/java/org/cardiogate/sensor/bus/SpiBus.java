package org.cardiogate.sensor.bus;

/**
 * One SPI device (one chip select). Threading: used by one acquisition thread only.
 */
public interface SpiBus extends AutoCloseable {

    /**
     * One full-duplex transfer with chip select held low for its whole length: {@code tx[0..len)} is shifted out on
     * MOSI while {@code rx[0..len)} is filled from MISO. Allocation-free.
     */
    void transfer(byte[] tx, byte[] rx, int len) throws BusException;

    @Override
    void close();
}
