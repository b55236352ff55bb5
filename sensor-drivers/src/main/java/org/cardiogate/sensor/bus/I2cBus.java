package org.cardiogate.sensor.bus;

/**
 * One I2C device at a fixed 7-bit address, accessed as 8-bit registers. A missing acknowledge is reported as
 * {@link I2cNackException}. Threading: used by one acquisition thread only.
 */
public interface I2cBus extends AutoCloseable {

    /** The device's 7-bit address. */
    int address();

    /** Reads one register, 0..255. */
    int readRegister(int register) throws BusException;

    /** Writes one register. */
    void writeRegister(int register, int value) throws BusException;

    /**
     * A burst read starting at {@code register} into {@code dst[off..off+len)}. Whether the register address
     * auto-increments or stays (FIFO data registers) is the device's behaviour. Allocation-free.
     */
    void readRegisters(int register, byte[] dst, int off, int len) throws BusException;

    @Override
    void close();
}
