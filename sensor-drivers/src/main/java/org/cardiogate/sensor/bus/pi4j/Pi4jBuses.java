package org.cardiogate.sensor.bus.pi4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiChipSelect;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.linuxfs.provider.spi.LinuxFsSpiProvider;

import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.DataReadyLine;
import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.bus.I2cNackException;
import org.cardiogate.sensor.timing.HostTime;

/**
 * Real buses through Pi4J 3: SPI and I2C from the linuxfs plugin ({@code /dev/spidevB.C}, {@code /dev/i2c-B}, no
 * root daemon) and GPIO edges from the gpiod plugin ({@code /dev/gpiochipN}). Construct only when real hardware is
 * configured: opening fails with a message naming the missing device node.
 *
 * <p>Threading: create buses from the control thread; each bus is then used by one acquisition thread. The DRDY
 * handler runs on Pi4J's event thread and only counts and timestamps.
 */
public final class Pi4jBuses implements AutoCloseable {
    private final Context context;
    private final String gpioChipName;

    private Pi4jBuses(Context context, String gpioChipName) {
        this.context = context;
        this.gpioChipName = gpioChipName;
    }

    /**
     * A Pi4J context with only the linuxfs SPI/I2C and gpiod input providers (no auto-detected plugins).
     *
     * @param gpioChipName the gpiochip of DRDY lines, e.g. {@code gpiochip0} ({@code /dev/gpiochip0})
     */
    public static Pi4jBuses open(String gpioChipName) {
        Context ctx = Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(LinuxFsSpiProvider.newInstance(), LinuxFsI2CProvider.newInstance(),
                        GpioDDigitalInputProvider.newInstance())
                .setGpioChipName(gpioChipName)
                .build();
        return new Pi4jBuses(ctx, gpioChipName);
    }

    /** SPI device {@code /dev/spidev<bus>.<chipSelect>} in the given mode (ADS129x: 1) and clock. */
    public org.cardiogate.sensor.bus.SpiBus spi(int bus, int chipSelect, int mode, int baud) {
        requireNode("/dev/spidev" + bus + "." + chipSelect);
        Spi spi = context.create(Spi.newConfigBuilder(context)
                .id("spi" + bus + "." + chipSelect)
                .bus(SpiBus.getByNumber(bus))
                .chipSelect(SpiChipSelect.getByNumber(chipSelect))
                .mode(SpiMode.getByNumber(mode))
                .baud(baud)
                .provider(LinuxFsSpiProvider.class));
        return new org.cardiogate.sensor.bus.SpiBus() {
            @Override
            public void transfer(byte[] tx, byte[] rx, int len) throws BusException {
                try {
                    int n = spi.transfer(tx, 0, rx, 0, len);
                    if (n < 0) {
                        throw new BusException("SPI transfer on /dev/spidev" + bus + "." + chipSelect + " failed: " + n);
                    }
                } catch (RuntimeException e) {
                    throw new BusException("SPI transfer on /dev/spidev" + bus + "." + chipSelect + " failed", e);
                }
            }

            @Override
            public void close() {
                spi.close();
            }
        };
    }

    /** I2C device at 7-bit {@code address} on {@code /dev/i2c-<bus>}. */
    public I2cBus i2c(int bus, int address) {
        requireNode("/dev/i2c-" + bus);
        I2C i2c = context.create(I2C.newConfigBuilder(context)
                .id("i2c" + bus + "." + address)
                .bus(bus)
                .device(address)
                .provider(LinuxFsI2CProvider.class));
        return new I2cBus() {
            @Override
            public int address() {
                return address;
            }

            @Override
            public int readRegister(int register) throws BusException {
                try {
                    int v = i2c.readRegister(register);
                    if (v < 0) {
                        throw new I2cNackException(address, register);
                    }
                    return v & 0xFF;
                } catch (RuntimeException e) {
                    throw translate(e, register);
                }
            }

            @Override
            public void writeRegister(int register, int value) throws BusException {
                try {
                    if (i2c.writeRegister(register, (byte) value) < 0) {
                        throw new I2cNackException(address, register);
                    }
                } catch (RuntimeException e) {
                    throw translate(e, register);
                }
            }

            @Override
            public void readRegisters(int register, byte[] dst, int off, int len) throws BusException {
                try {
                    if (i2c.readRegister(register, dst, off, len) < 0) {
                        throw new I2cNackException(address, register);
                    }
                } catch (RuntimeException e) {
                    throw translate(e, register);
                }
            }

            private BusException translate(RuntimeException e, int register) {
                // i2c-dev reports a missing acknowledge as ENXIO or EREMOTEIO
                String m = String.valueOf(e.getMessage());
                if (m.contains("121") || m.contains("Remote I/O") || m.contains("ENXIO") || m.contains("No such device")) {
                    I2cNackException nack = new I2cNackException(address, register);
                    nack.initCause(e);
                    return nack;
                }
                return new BusException("I2C access to 0x" + Integer.toHexString(address) + " on /dev/i2c-" + bus
                        + " failed", e);
            }

            @Override
            public void close() {
                i2c.close();
            }
        };
    }

    /**
     * A DRDY line on GPIO {@code line} of the configured gpiochip, counting falling edges (ADS129x DRDY and MAX3010x
     * INT are active low), timestamped with {@code time} in the edge handler.
     */
    public DataReadyLine dataReady(int line, HostTime time) {
        requireNode("/dev/" + gpioChipName);
        DigitalInput in = context.create(DigitalInput.newConfigBuilder(context)
                .id("drdy" + line)
                .address(line)
                .pull(PullResistance.PULL_UP)
                .debounce(0L)
                .provider(GpioDDigitalInputProvider.class));
        EdgeCounter counter = new EdgeCounter(Objects.requireNonNull(time, "time"));
        in.addListener(e -> {
            if (e.state() == DigitalState.LOW) {
                counter.edge();
            }
        });
        return counter.closing(() -> context.shutdown(in));
    }

    private static void requireNode(String node) {
        if (!Files.exists(Path.of(node))) {
            throw new IllegalStateException(node + " does not exist: " + (node.startsWith("/dev/gpiochip")
                    ? "check the gpiochip name (gpioinfo lists them; a Raspberry Pi 5 header is gpiochip4 on older"
                            + " kernels)"
                    : "enable the bus (raspi-config / config.txt dtparam=spi=on, dtparam=i2c_arm=on) and check the"
                            + " board wiring"));
        }
    }

    @Override
    public void close() {
        context.shutdown();
    }

    /** Counts edges from an event thread and lets the acquisition thread wait for them. */
    static final class EdgeCounter implements DataReadyLine {
        private final HostTime time;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition edge = lock.newCondition();
        private long count;
        private long lastNanos;
        private long returned;
        private Runnable onClose = () -> { };

        EdgeCounter(HostTime time) {
            this.time = time;
        }

        EdgeCounter closing(Runnable r) {
            this.onClose = r;
            return this;
        }

        void edge() {
            long t = time.nanoTime();
            lock.lock();
            try {
                count++;
                lastNanos = t;
                edge.signal();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long awaitEdge(long timeoutNanos) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                long remaining = timeoutNanos;
                while (count <= returned) {
                    if (remaining <= 0) {
                        return -1;
                    }
                    remaining = edge.awaitNanos(remaining);
                }
                returned = count;
                return count;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long edges() {
            lock.lock();
            try {
                returned = count;
                return count;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long lastEdgeNanos() {
            lock.lock();
            try {
                return lastNanos;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            onClose.run();
        }
    }
}
