package org.cardiogate.sensor.fault;

/** What went wrong (or right again) with a sensor. */
public enum TechnicalEventType {
    /** The chip's identification register did not hold the expected value (wrong chip, or nothing answering). */
    DEVICE_ID_MISMATCH,
    /** Registers written during configuration did not read back with the written value. */
    CONFIG_VERIFY_FAILED,
    /**
     * Every byte read over SPI was 0xFF (MISO stuck high or floating with a pull-up); I2C drivers raise it too when
     * every byte they read is 0xFF although the device acknowledged.
     */
    SPI_ALL_ONES,
    /** Every byte read over SPI (or, acknowledged, over I2C) was 0x00 (data line stuck low, chip unpowered). */
    SPI_ALL_ZEROS,
    /** A data frame failed its consistency check (status header, tag, CRC) more often than tolerated. */
    FRAME_CORRUPT,
    /** No data-ready edge (or no new FIFO sample) arrived within the timeout. */
    DATA_READY_STALL,
    /** An I2C transfer was not acknowledged. */
    I2C_NACK,
    /** The chip's FIFO overflowed: samples were lost before the driver read them. */
    FIFO_OVERFLOW,
    /** Samples the source counted never reached the driver (missed data-ready edges, lost packets). */
    SAMPLES_LOST,
    /** A serial port disappeared or failed. */
    PORT_LOST,
    /** Serial bytes had to be skipped to find the next valid packet. */
    RESYNC,
    /** The estimated oscillator drift exceeded the configured bound; the bound is used instead. */
    CLOCK_DRIFT_OUT_OF_RANGE,
    /** One or more electrodes went off (detail lists them). */
    LEAD_OFF,
    /** All electrodes that were off are connected again. */
    LEAD_ON,
    /** The driver is acquiring again after a fault. */
    RECOVERED
}
