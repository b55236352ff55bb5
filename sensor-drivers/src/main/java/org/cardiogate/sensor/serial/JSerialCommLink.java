package org.cardiogate.sensor.serial;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fazecast.jSerialComm.SerialPort;

import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.SerialLink;

/**
 * A {@link SerialLink} on a jSerialComm port opened by device path ({@code /dev/ttyUSB0}, {@code /dev/ttyACM0}, or a
 * {@code socat} pty link such as {@code /tmp/cg/board}), 8N1, no flow control. A read or write that fails (the USB
 * device was unplugged, the pty's other end closed: jSerialComm returns -1 with EIO) throws {@link BusException}; the
 * link is then dead and the driver reopens a new one through its {@link SerialLinkOpener}.
 *
 * <p>Threading: one reader thread, which may also write.
 */
public final class JSerialCommLink implements SerialLink {
    private final SerialPort port;
    private final String path;
    private int timeoutMillis = -1;
    private boolean closed;

    private JSerialCommLink(SerialPort port, String path) {
        this.port = port;
        this.path = path;
    }

    /**
     * Opens the port.
     *
     * @param path device path or pty link
     * @param baud baud rate (ignored by ptys and USB CDC devices, used by UART bridges)
     * @throws BusException when the path does not exist or the port cannot be opened (permissions, in use)
     */
    public static JSerialCommLink open(String path, int baud) throws BusException {
        if (!Files.exists(Path.of(path))) {
            throw new BusException("serial port " + path + " does not exist (board unplugged?)");
        }
        SerialPort p = SerialPort.getCommPort(path);
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        if (!p.openPort()) {
            throw new BusException("cannot open serial port " + path + " (error " + p.getLastErrorCode()
                    + "; check permissions: the user needs the dialout group)");
        }
        return new JSerialCommLink(p, path);
    }

    /** An opener for {@link org.cardiogate.sensor.serial.SerialBoardSource} that opens this path each time. */
    public static SerialLinkOpener opener(String path, int baud) {
        return () -> open(path, baud);
    }

    @Override
    public int read(byte[] dst, int off, int len, int timeoutMillis) throws BusException {
        if (timeoutMillis != this.timeoutMillis) {
            port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, Math.max(1, timeoutMillis), 0);
            this.timeoutMillis = timeoutMillis;
        }
        int n = port.readBytes(dst, len, off);
        if (n < 0) {
            throw new BusException("serial port " + path + " failed while reading (error " + port.getLastErrorCode()
                    + "): the device vanished");
        }
        return n;
    }

    @Override
    public void write(byte[] src, int off, int len) throws BusException {
        int n = port.writeBytes(src, len, off);
        if (n != len) {
            throw new BusException("serial port " + path + " failed while writing (" + n + " of " + len
                    + " bytes, error " + port.getLastErrorCode() + "): the device vanished");
        }
    }

    @Override
    public String name() {
        return path;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            port.closePort();
        }
    }
}
