package org.cardiogate.sensor.ads129x;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardiogate.sensor.acquisition.ChipFault;
import org.cardiogate.sensor.acquisition.ChipSource;
import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.DataReadyLine;
import org.cardiogate.sensor.bus.SpiBus;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Driver for the TI ADS1292R and ADS1298 ECG front-ends on SPI (mode 1) with the DRDY pin on a counting GPIO line.
 *
 * <p>Configuration (at start and after every fault): RESET, SDATAC, check the ID register (a mismatch, all-ones or
 * all-zeros raises the matching {@link TechnicalEventType} and is retried with backoff), write the register image of
 * the {@link Ads129xConfig}, read every register back and compare the writable bits, then RDATAC and START.
 *
 * <p>Acquisition: on each DRDY edge one frame ({@link Ads129xModel#frameBytes()} bytes) is clocked out. The 24-bit
 * status word must start with 1100; its lead-off bits are decoded per electrode (changes raise LEAD_OFF / LEAD_ON
 * events, the current mask is {@link #leadOffMask()}). Each channel's 24-bit two's-complement code becomes
 * {@code code * 2 * Vref / gain / 2^24} volts, published in mV. The sample's sequence number is the DRDY edge count
 * since START (plus the sequence where the stream resumed): an edge count that jumps by more than one means the
 * driver missed conversions, which become a gap. Three consecutive frames with a bad header raise SPI_ALL_ONES,
 * SPI_ALL_ZEROS or FRAME_CORRUPT; no DRDY edge within {@code max(50 ms, 20 periods)} raises DATA_READY_STALL. The
 * driver then reconfigures with backoff (device unplugged and back is the same path: the ID check fails until the
 * chip answers again).
 *
 * <p>Threading: see {@link ChipSource}. The per-frame path allocates nothing.
 */
public final class Ads129xDriver extends ChipSource {
    private static final int BAD_FRAMES_BEFORE_FAULT = 3;

    private final Ads129xConfig config;
    private final Ads129xModel model;
    private final SpiBus spi;
    private final DataReadyLine drdy;
    private final byte[] tx;
    private final byte[] rx;
    private final double[] frame;
    private final double lsbMillivolts;
    private final long stallTimeoutNanos;

    private long seqBase;
    private long edgeBase;
    private int lastLeadOff;
    private volatile int leadOffMask;
    private volatile int[] registers = new int[0];

    /**
     * @param config   validated configuration
     * @param spi      the chip's SPI device: mode 1 (CPOL 0, CPHA 1); 4 MHz is a safe SCLK
     * @param drdy     the DRDY line, counting falling edges
     * @param time     host time (real or virtual)
     * @param listener technical events, called on the acquisition thread
     */
    public Ads129xDriver(Ads129xConfig config, SpiBus spi, DataReadyLine drdy, HostTime time,
                         TechnicalEventListener listener) {
        super(describe(config), config.ringSlots(), config.blockSamples(), time, listener);
        this.config = config;
        this.model = config.model();
        this.spi = Objects.requireNonNull(spi, "spi");
        this.drdy = Objects.requireNonNull(drdy, "drdy");
        int len = Math.max(model.frameBytes(), model.registerCount() + 2);
        this.tx = new byte[len];
        this.rx = new byte[len];
        this.frame = new double[model.channels()];
        this.lsbMillivolts = config.lsbMillivolts();
        this.stallTimeoutNanos = Math.max(50_000_000L, (long) (20e9 / config.rateSps()));
    }

    /** The stream this driver produces: ECG, one channel per chip channel, in mV, at the configured rate. */
    public static StreamDescriptor describe(Ads129xConfig config) {
        List<Channel> channels = new ArrayList<>();
        for (String n : config.channelNames()) {
            channels.add(new Channel(n, "mV"));
        }
        return new StreamDescriptor(config.streamId(), config.model().name(), Modality.ECG, channels,
                config.rateSps());
    }

    public Ads129xConfig config() {
        return config;
    }

    @Override
    public java.util.Map<String, Boolean> electrodesOff(String streamId) {
        if (!config.streamId().equals(streamId) || !config.leadOffDetection()) {
            return java.util.Map.of();
        }
        int mask = leadOffMask;
        java.util.Map<String, Boolean> out = new java.util.LinkedHashMap<>();
        Ads129xModel model = config.model();
        for (int b = 0; b < model.electrodeCount(); b++) {
            out.put(model.electrodeName(b), (mask & (1 << b)) != 0);
        }
        return out;
    }

    /** Current lead-off electrodes (see {@link Ads129xModel#leadOffMask(int)}); any thread. */
    public int leadOffMask() {
        return leadOffMask;
    }

    /** Register contents read back at the last successful configuration (empty before); any thread. */
    public int[] registers() {
        return registers.clone();
    }

    @Override
    protected void configure() throws BusException, ChipFault, InterruptedException {
        command(Ads129xModel.SDATAC);
        command(Ads129xModel.STOP);
        command(Ads129xModel.RESET);
        // RESET needs 18 tCLK; the datasheet's power-up sequence waits longer for the reference to settle
        time.sleepUntil(time.nanoTime() + 1_000_000L);
        command(Ads129xModel.SDATAC);
        int id = readRegister(Ads129xModel.REG_ID);
        if (id != model.deviceId()) {
            TechnicalEventType type = id == 0xFF ? TechnicalEventType.SPI_ALL_ONES
                    : id == 0x00 ? TechnicalEventType.SPI_ALL_ZEROS : TechnicalEventType.DEVICE_ID_MISMATCH;
            throw new ChipFault(type, String.format("ID register reads 0x%02X, expected 0x%02X (%s)%s", id,
                    model.deviceId(), model, describeId(id)));
        }
        int[] image = config.registerImage();
        for (int a : config.writtenAddresses()) {
            writeRegister(a, image[a]);
        }
        int[] read = readAllRegisters();
        for (int a : config.writtenAddresses()) {
            int mask = model.writableMask(a);
            if ((read[a] & mask) != (image[a] & mask)) {
                throw new ChipFault(TechnicalEventType.CONFIG_VERIFY_FAILED, String.format(
                        "register 0x%02X reads back 0x%02X after writing 0x%02X", a, read[a], image[a]));
            }
        }
        registers = read;
        lastLeadOff = 0;
        leadOffMask = 0;
        seqBase = resumeSequence();
        edgeBase = drdy.edges();
        command(Ads129xModel.RDATAC);
        command(Ads129xModel.START);
    }

    @Override
    protected void acquire() throws BusException, ChipFault, InterruptedException {
        int frameBytes = model.frameBytes();
        for (int i = 0; i < frameBytes; i++) {
            tx[i] = 0;
        }
        int bad = 0;
        while (running()) {
            long count = drdy.awaitEdge(stallTimeoutNanos);
            if (count < 0) {
                throw new ChipFault(TechnicalEventType.DATA_READY_STALL, "no DRDY edge for "
                        + stallTimeoutNanos / 1_000_000 + " ms");
            }
            long edgeNanos = drdy.lastEdgeNanos();
            spi.transfer(tx, rx, frameBytes);
            int status = ((rx[0] & 0xFF) << 16) | ((rx[1] & 0xFF) << 8) | (rx[2] & 0xFF);
            if ((status >>> 20) != Ads129xModel.STATUS_HEADER) {
                if (++bad >= BAD_FRAMES_BEFORE_FAULT) {
                    throw badFrames(frameBytes);
                }
                continue;
            }
            bad = 0;
            int lo = model.leadOffMask(status);
            if (lo != lastLeadOff) {
                leadOffChanged(lo);
            }
            for (int c = 0; c < frame.length; c++) {
                int o = 3 + 3 * c;
                int code = (((rx[o] & 0xFF) << 16) | ((rx[o + 1] & 0xFF) << 8) | (rx[o + 2] & 0xFF)) << 8 >> 8;
                frame[c] = code * lsbMillivolts;
            }
            emit(seqBase + (count - edgeBase - 1), frame, edgeNanos);
        }
    }

    private ChipFault badFrames(int frameBytes) {
        boolean ones = true;
        boolean zeros = true;
        for (int i = 0; i < frameBytes; i++) {
            ones &= rx[i] == (byte) 0xFF;
            zeros &= rx[i] == 0;
        }
        TechnicalEventType type = ones ? TechnicalEventType.SPI_ALL_ONES
                : zeros ? TechnicalEventType.SPI_ALL_ZEROS : TechnicalEventType.FRAME_CORRUPT;
        return new ChipFault(type, BAD_FRAMES_BEFORE_FAULT + " consecutive frames without the 1100 status header, last "
                + String.format("%02X%02X%02X", rx[0], rx[1], rx[2]));
    }

    private void leadOffChanged(int mask) {
        int newlyOff = mask & ~lastLeadOff;
        lastLeadOff = mask;
        leadOffMask = mask;
        if (newlyOff != 0) {
            report(TechnicalEventType.LEAD_OFF, model.electrodeNames(newlyOff) + " off (now off: "
                    + model.electrodeNames(mask) + ")");
        } else if (mask == 0) {
            report(TechnicalEventType.LEAD_ON, "all electrodes connected");
        }
    }

    @Override
    protected void quiesce() {
        try {
            command(Ads129xModel.SDATAC);
            command(Ads129xModel.STOP);
        } catch (BusException e) {
            // shutting down: nothing more to do with a bus that fails
        }
    }

    @Override
    protected void releaseBuses() {
        drdy.close();
        spi.close();
    }

    private static String describeId(int id) {
        return switch (id) {
            case 0x73 -> " - this is an ADS1292R";
            case 0x53 -> " - this is an ADS1292 (no respiration)";
            case 0x92 -> " - this is an ADS1298";
            case 0xD2 -> " - this is an ADS1298R";
            case 0x90, 0x91 -> " - this is an ADS1294/ADS1296";
            case 0xFF -> " - MISO stuck high or nothing connected";
            case 0x00 -> " - MISO stuck low or chip unpowered";
            default -> "";
        };
    }

    private void command(int opcode) throws BusException {
        tx[0] = (byte) opcode;
        spi.transfer(tx, rx, 1);
    }

    private int readRegister(int address) throws BusException {
        tx[0] = (byte) (Ads129xModel.RREG | address);
        tx[1] = 0;
        tx[2] = 0;
        spi.transfer(tx, rx, 3);
        return rx[2] & 0xFF;
    }

    private void writeRegister(int address, int value) throws BusException {
        tx[0] = (byte) (Ads129xModel.WREG | address);
        tx[1] = 0;
        tx[2] = (byte) value;
        spi.transfer(tx, rx, 3);
    }

    private int[] readAllRegisters() throws BusException {
        int n = model.registerCount();
        tx[0] = (byte) Ads129xModel.RREG;
        tx[1] = (byte) (n - 1);
        for (int i = 0; i < n; i++) {
            tx[2 + i] = 0;
        }
        spi.transfer(tx, rx, n + 2);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rx[2 + i] & 0xFF;
        }
        return out;
    }
}
