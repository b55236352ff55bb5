package org.cardiogate.sensor.bus;

/**
 * A serial byte stream (UART, USB CDC, pty). Threading: one reader thread; {@link #write} may be called from it too.
 */
public interface SerialLink extends AutoCloseable {

    /**
     * Reads up to {@code len} bytes, waiting at most {@code timeoutMillis} for the first one.
     *
     * @return bytes read, 0 on timeout
     * @throws BusException when the port has vanished or failed
     */
    int read(byte[] dst, int off, int len, int timeoutMillis) throws BusException;

    void write(byte[] src, int off, int len) throws BusException;

    /** A name for events and logs, e.g. the device path. */
    String name();

    @Override
    void close();
}
