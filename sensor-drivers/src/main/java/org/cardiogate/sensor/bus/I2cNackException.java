package org.cardiogate.sensor.bus;

/** The addressed I2C device did not acknowledge (absent, unpowered, or busy). */
public final class I2cNackException extends BusException {
    private final int address;
    private final int register;

    public I2cNackException(int address, int register) {
        super(String.format("I2C device 0x%02X did not acknowledge access to register 0x%02X", address, register));
        this.address = address;
        this.register = register;
    }

    public int address() {
        return address;
    }

    public int register() {
        return register;
    }
}
