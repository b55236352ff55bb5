package org.cardiogate.sensor.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardiogate.sensor.SensorSource;
import org.cardiogate.sensor.ads129x.Ads129xDriver;
import org.cardiogate.sensor.bus.DataReadyLine;
import org.cardiogate.sensor.bus.I2cBus;
import org.cardiogate.sensor.bus.SpiBus;
import org.cardiogate.sensor.bus.pi4j.Pi4jBuses;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoDriver;
import org.cardiogate.sensor.max3010x.Max30102Driver;
import org.cardiogate.sensor.max86150.Max86150Driver;
import org.cardiogate.sensor.serial.CytonBoardSource;
import org.cardiogate.sensor.serial.CytonConfig;
import org.cardiogate.sensor.serial.FramedBoardConfig;
import org.cardiogate.sensor.serial.FramedBoardSource;
import org.cardiogate.sensor.timing.HostTime;

/**
 * Starts a real board from its {@link BoardWiring}: opens each fitted chip's buses and builds its production driver,
 * and returns them as one {@link CompositeSource} in the order ADS129x, MAX30102, MAX86150, LSM6DSO, serial board
 * (the stream order of {@link BoardWiring#streamIds()}).
 *
 * <p>{@link #open(BoardWiring, HostTime, TechnicalEventListener)} opens real buses through Pi4J (linuxfs SPI and I2C,
 * gpiod for DRDY on {@link BoardWiring#gpioChip()}); {@link #open(BoardWiring, BusProvider, HostTime,
 * TechnicalEventListener)} takes any {@link BusProvider}, so a test can pass {@link EmulatedBuses} and run exactly the
 * same path. Buses are opened here, on the calling thread, so a missing device node fails at once with an
 * {@link IllegalStateException} naming the device and the node (e.g. {@code "ads129x: /dev/spidev0.0 does not
 * exist: ..."}), and whatever was opened before it is closed again. A chip that is wired but does not answer is not
 * an error here: its driver reports it (I2C_NACK, DEVICE_ID_MISMATCH, ...) and keeps retrying with backoff once the
 * source is started, as after any fault.
 *
 * <p>The returned source owns the provider: closing it stops every driver, closes their buses and then the provider.
 * Technical events of all drivers go to the one listener, on their acquisition threads (thread-safe, non-blocking).
 */
public final class HardwareBoards {
    /** SPI mode of the ADS129x (CPOL 0, CPHA 1). */
    public static final int ADS129X_SPI_MODE = 1;

    private HardwareBoards() {
    }

    /** The board on real buses through Pi4J, DRDY lines on {@code wiring.gpioChip()}. */
    public static CompositeSource open(BoardWiring wiring, HostTime time, TechnicalEventListener listener) {
        Objects.requireNonNull(wiring, "wiring");
        return open(wiring, pi4j(wiring.gpioChip()), time, listener);
    }

    /**
     * The board on the buses of {@code buses}, which the returned source owns from now on (it is closed here too if
     * opening fails).
     */
    public static CompositeSource open(BoardWiring wiring, BusProvider buses, HostTime time,
                                       TechnicalEventListener listener) {
        Objects.requireNonNull(wiring, "wiring");
        Objects.requireNonNull(buses, "buses");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(listener, "listener");
        List<SensorSource> parts = new ArrayList<>();
        List<AutoCloseable> loose = new ArrayList<>();
        try {
            BoardWiring.Ads129xWiring ads = wiring.ads129x();
            if (ads != null) {
                SpiBus spi = opening("ads129x", () -> buses.spi(ads.spiBus(), ads.chipSelect(), ADS129X_SPI_MODE,
                        ads.spiHz()));
                loose.add(spi);
                DataReadyLine drdy = opening("ads129x", () -> buses.dataReady(ads.drdyGpio(), time));
                loose.add(drdy);
                parts.add(new Ads129xDriver(ads.config(), spi, drdy, time, listener));
                loose.clear();
            }
            BoardWiring.Max30102Wiring ppg = wiring.max30102();
            if (ppg != null) {
                I2cBus i2c = opening("max30102", () -> buses.i2c(ppg.i2cBus(), ppg.address()));
                loose.add(i2c);
                parts.add(new Max30102Driver(ppg.config(), i2c, time, listener));
                loose.clear();
            }
            BoardWiring.Max86150Wiring both = wiring.max86150();
            if (both != null) {
                I2cBus i2c = opening("max86150", () -> buses.i2c(both.i2cBus(), both.address()));
                loose.add(i2c);
                parts.add(new Max86150Driver(both.config(), i2c, time, listener));
                loose.clear();
            }
            BoardWiring.Lsm6dsoWiring scg = wiring.lsm6dso();
            if (scg != null) {
                I2cBus i2c = opening("lsm6dso", () -> buses.i2c(scg.i2cBus(), scg.address()));
                loose.add(i2c);
                parts.add(new Lsm6dsoDriver(scg.config(), i2c, time, listener));
                loose.clear();
            }
            BoardWiring.SerialBoardWiring serial = wiring.serialBoard();
            if (serial != null) {
                var opener = buses.serial(serial.port(), serial.baud());
                parts.add(switch (serial.protocol()) {
                    case CYTON -> new CytonBoardSource(CytonConfig.defaults(serial.streamId()), opener, time,
                            listener);
                    case FRAMED -> new FramedBoardSource(FramedBoardConfig.ecgDefaults(serial.streamId()), opener,
                            time, listener);
                });
            }
            return new Board(parts, buses);
        } catch (RuntimeException e) {
            for (AutoCloseable c : loose) {
                closeQuietly(c, e);
            }
            for (int k = parts.size() - 1; k >= 0; k--) {
                closeQuietly(parts.get(k), e);
            }
            closeQuietly(buses, e);
            throw e;
        }
    }

    /** Pi4J's buses as a {@link BusProvider}: {@code /dev/spidevB.C}, {@code /dev/i2c-B}, gpiod on {@code gpioChip}. */
    public static BusProvider pi4j(String gpioChip) {
        Pi4jBuses pi4j = Pi4jBuses.open(gpioChip);
        return new BusProvider() {
            @Override
            public SpiBus spi(int bus, int chipSelect, int mode, int clockHz) {
                return pi4j.spi(bus, chipSelect, mode, clockHz);
            }

            @Override
            public I2cBus i2c(int bus, int address) {
                return pi4j.i2c(bus, address);
            }

            @Override
            public DataReadyLine dataReady(int line, HostTime time) {
                return pi4j.dataReady(line, time);
            }

            @Override
            public void close() {
                pi4j.close();
            }
        };
    }

    private static <T> T opening(String device, java.util.function.Supplier<T> open) {
        try {
            return open.get();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(device + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(AutoCloseable c, RuntimeException primary) {
        try {
            c.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    /** The composite that also closes the bus provider after its drivers. */
    private static final class Board extends CompositeSource {
        private final BusProvider buses;
        private boolean busesClosed;

        Board(List<SensorSource> parts, BusProvider buses) {
            super(parts);
            this.buses = buses;
        }

        @Override
        public synchronized void close() {
            try {
                super.close();
            } finally {
                if (!busesClosed) {
                    busesClosed = true;
                    buses.close();
                }
            }
        }
    }
}
