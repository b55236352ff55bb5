package org.cardiogate.sensor.board;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig;
import org.cardiogate.sensor.max3010x.Max30102Config;
import org.cardiogate.sensor.max86150.Max86150Config;

/**
 * Which chips a real board carries and where they are wired: the input of {@link HardwareBoards}. Immutable and
 * validated on construction; every error is an {@link IllegalArgumentException} whose message starts with the field's
 * path, e.g. {@code "ads129x.spiBus must be 0..6, got 9"}. Field names are camelCase so that a YAML section maps onto
 * them one to one; a device left null (absent) is not fitted, and an optional setting left null takes the default its
 * javadoc gives.
 *
 * <p>Across devices: at least one must be fitted, stream ids must be distinct (the gateway addresses streams by id)
 * and two I2C devices cannot share a bus and address.
 *
 * @param gpioChip    gpiochip of the data-ready lines ({@code /dev/<gpioChip>}); null = {@code gpiochip0}
 * @param ads129x     a TI ADS1292R / ADS1298 ECG front-end on SPI, or null
 * @param max30102    a MAX30102 / MAX30101 PPG sensor on I2C, or null
 * @param max86150    a MAX86150 ECG + PPG module on I2C, or null
 * @param lsm6dso     an LSM6DSO accelerometer (seismocardiogram) on I2C, or null
 * @param serialBoard a board streaming over a serial port (OpenBCI Cyton or the framed protocol), or null
 */
public record BoardWiring(String gpioChip, Ads129xWiring ads129x, Max30102Wiring max30102, Max86150Wiring max86150,
                          Lsm6dsoWiring lsm6dso, SerialBoardWiring serialBoard) {
    /** The gpiochip used when none is given. */
    public static final String DEFAULT_GPIO_CHIP = "gpiochip0";

    public BoardWiring {
        if (gpioChip == null) {
            gpioChip = DEFAULT_GPIO_CHIP;
        }
        if (!gpioChip.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("gpioChip must be a gpiochip name such as gpiochip0 (the device node"
                    + " under /dev), got '" + gpioChip + "'");
        }
        if (ads129x == null && max30102 == null && max86150 == null && lsm6dso == null && serialBoard == null) {
            throw new IllegalArgumentException("no device is fitted: configure at least one of ads129x, max30102,"
                    + " max86150, lsm6dso, serialBoard");
        }
        Map<String, String> streams = new HashMap<>();
        if (ads129x != null) {
            stream(streams, ads129x.streamId(), "ads129x.streamId");
        }
        if (max30102 != null) {
            stream(streams, max30102.streamId(), "max30102.streamId");
        }
        if (max86150 != null) {
            if (max86150.ecg()) {
                stream(streams, max86150.ecgStreamId(), "max86150.ecgStreamId");
            }
            if (max86150.ppg()) {
                stream(streams, max86150.ppgStreamId(), "max86150.ppgStreamId");
            }
        }
        if (lsm6dso != null) {
            stream(streams, lsm6dso.streamId(), "lsm6dso.streamId");
        }
        if (serialBoard != null) {
            stream(streams, serialBoard.streamId(), "serialBoard.streamId");
        }
        Map<String, String> addresses = new HashMap<>();
        if (max30102 != null) {
            i2c(addresses, max30102.i2cBus(), max30102.address(), "max30102");
        }
        if (max86150 != null) {
            i2c(addresses, max86150.i2cBus(), max86150.address(), "max86150");
        }
        if (lsm6dso != null) {
            i2c(addresses, lsm6dso.i2cBus(), lsm6dso.address(), "lsm6dso");
        }
    }

    private static void stream(Map<String, String> used, String id, String field) {
        String previous = used.putIfAbsent(id, field);
        if (previous != null) {
            throw new IllegalArgumentException(field + " '" + id + "' is already the id of " + previous
                    + "; give each stream its own id");
        }
    }

    private static void i2c(Map<String, String> used, int bus, int address, String device) {
        String key = bus + "/" + address;
        String previous = used.putIfAbsent(key, device);
        if (previous != null) {
            throw new IllegalArgumentException(device + ".address " + hex(address) + " on i2c bus " + bus
                    + " is already taken by " + previous + "; two devices cannot answer at one address");
        }
    }

    /** The ids of every stream the wired devices produce, in {@link HardwareBoards}' part order. */
    public List<String> streamIds() {
        List<String> ids = new ArrayList<>();
        if (ads129x != null) {
            ids.add(ads129x.streamId());
        }
        if (max30102 != null) {
            ids.add(max30102.streamId());
        }
        if (max86150 != null) {
            if (max86150.ecg()) {
                ids.add(max86150.ecgStreamId());
            }
            if (max86150.ppg()) {
                ids.add(max86150.ppgStreamId());
            }
        }
        if (lsm6dso != null) {
            ids.add(lsm6dso.streamId());
        }
        if (serialBoard != null) {
            ids.add(serialBoard.streamId());
        }
        return ids;
    }

    /**
     * A TI ADS1292R or ADS1298 on SPI (mode 1) with its DRDY output on a GPIO line.
     *
     * @param model      ADS1292R (2 channels) or ADS1298 (8 channels); required
     * @param streamId   id of its ECG stream (channels in mV); null = {@code ecg}
     * @param spiBus     SPI bus number B of {@code /dev/spidevB.C}, 0..6
     * @param chipSelect chip select C of {@code /dev/spidevB.C}, 0..3
     * @param spiHz      SCLK in Hz, 100000..20000000; null = 4000000
     * @param drdyGpio   line offset of DRDY (active low) on the gpiochip, >= 0 (BCM numbering on a Raspberry Pi)
     * @param rateSps    output data rate in samples/s: ADS1292R 125..8000, ADS1298 250 or 500..32000 (powers of two
     *                   times 125 or 250, see {@link Ads129xModel#supportedRates()}); null = 500
     * @param gain       PGA gain of every channel: 1, 2, 3, 4, 6, 8 or 12; null = 6
     * @param leadNames  one name per chip channel (2 or 8); null = {@code I, II} (ADS1292R) or
     *                   {@code I, II, V1..V6} (ADS1298)
     */
    public record Ads129xWiring(Ads129xModel model, String streamId, int spiBus, int chipSelect, Integer spiHz,
                                int drdyGpio, Integer rateSps, Integer gain, List<String> leadNames) {
        public Ads129xWiring {
            String p = "ads129x.";
            if (model == null) {
                throw new IllegalArgumentException(p + "model is required: ADS1292R or ADS1298");
            }
            streamId = checkStreamId(p + "streamId", streamId, "ecg");
            checkRange(p + "spiBus", spiBus, 0, 6);
            checkRange(p + "chipSelect", chipSelect, 0, 3);
            spiHz = spiHz == null ? 4_000_000 : spiHz;
            checkRange(p + "spiHz", spiHz, 100_000, 20_000_000);
            if (drdyGpio < 0) {
                throw new IllegalArgumentException(p + "drdyGpio must be a GPIO line offset >= 0, got " + drdyGpio);
            }
            rateSps = rateSps == null ? 500 : rateSps;
            if (model.config1For(rateSps) < 0) {
                throw new IllegalArgumentException(p + "rateSps " + rateSps + " is not a " + model
                        + " rate; use one of " + Arrays.toString(model.supportedRates()));
            }
            gain = gain == null ? 6 : gain;
            if (Ads129xModel.gainCode(gain) < 0) {
                throw new IllegalArgumentException(p + "gain " + gain
                        + " is not supported; use 1, 2, 3, 4, 6, 8 or 12");
            }
            if (leadNames == null) {
                leadNames = Ads129xConfig.defaults(model, streamId).channelNames();
            }
            leadNames = List.copyOf(leadNames);
            if (leadNames.size() != model.channels()) {
                throw new IllegalArgumentException(p + "leadNames must list " + model.channels() + " names (one per "
                        + model + " channel), got " + leadNames.size());
            }
            for (String n : leadNames) {
                if (n.isBlank()) {
                    throw new IllegalArgumentException(p + "leadNames must not contain a blank name");
                }
            }
        }

        /** The driver configuration: monitoring defaults at the wired rate, gain and lead names, 20 ms blocks. */
        public Ads129xConfig config() {
            Ads129xConfig d = Ads129xConfig.defaults(model, streamId);
            return new Ads129xConfig(model, streamId, rateSps, gain, d.inputs(), leadNames, d.rightLegDrive(),
                    d.leadOffDetection(), d.leadOffCurrentNanoAmps(), d.comparatorPercent(),
                    Ads129xConfig.TestSignal.OFF, Math.max(1, rateSps / 50), d.ringSlots());
        }
    }

    /**
     * A MAX30102 / MAX30101 in SpO2 mode (red and infrared LEDs) on I2C.
     *
     * @param streamId     id of its PPG stream (channels {@code red}, {@code ir}, ADC counts); null = {@code ppg}
     * @param i2cBus       bus number B of {@code /dev/i2c-B}, 0..255
     * @param address      7-bit address 0x08..0x77; null = 0x57 (the chip's fixed address)
     * @param rateHz       SPO2_SR in samples/s: 50, 100, 200, 400, 800, 1000, 1600 or 3200; null = 100. The LED
     *                     pulse is the longest the rate allows in SpO2 mode: 411 µs up to 400, 215 µs up to 800,
     *                     118 µs at 1000, 69 µs above
     * @param ledCurrentMa pulse amplitude of both LEDs, 0..51 mA; null = 7
     */
    public record Max30102Wiring(String streamId, int i2cBus, Integer address, Integer rateHz, Double ledCurrentMa) {
        public Max30102Wiring {
            String p = "max30102.";
            streamId = checkStreamId(p + "streamId", streamId, "ppg");
            checkRange(p + "i2cBus", i2cBus, 0, 255);
            address = address == null ? 0x57 : address;
            checkAddress(p + "address", address);
            rateHz = rateHz == null ? 100 : rateHz;
            ledCurrentMa = ledCurrentMa == null ? 7.0 : ledCurrentMa;
            try {
                config(streamId, rateHz, ledCurrentMa);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(p + e.getMessage().replace("MAX30102 config: ", "")
                        .replace("sampleRateHz", "rateHz").replace("redCurrentMa", "ledCurrentMa"), e);
            }
        }

        /** The driver configuration: SpO2 mode at the wired rate, 4096 nA range, no averaging, 100 ms blocks. */
        public Max30102Config config() {
            return config(streamId, rateHz, ledCurrentMa);
        }

        private static Max30102Config config(String streamId, int rateHz, double ma) {
            int pulse = rateHz <= 400 ? 411 : rateHz <= 800 ? 215 : rateHz <= 1000 ? 118 : 69;
            return new Max30102Config(streamId, rateHz, pulse, 4096, 1, ma, ma, 64, Math.max(1, rateHz / 10));
        }
    }

    /**
     * A MAX86150 ECG + PPG module on I2C. Its FIFO carries both signals at one rate, paced by the ECG converter.
     *
     * @param ecgStreamId  id of its ECG stream (one channel named {@code ecgLead}, mV); null = {@code ecg}
     * @param ppgStreamId  id of its PPG stream (channels {@code ir}, {@code red}, 19-bit ADC counts);
     *                     null = {@code ppg}
     * @param ecg          acquire the ECG; null = true
     * @param ppg          acquire the PPG; null = true
     * @param i2cBus       bus number B of {@code /dev/i2c-B}, 0..255
     * @param address      7-bit address 0x08..0x77; null = 0x5E (the chip's fixed address)
     * @param rateSps      samples/s of both streams: 200, 400, 800 or 1600 with ECG (3200 with ECG alone); with PPG
     *                     alone a PPG rate 10..3200; null = 200. LED pulses are the longest the rate allows with two
     *                     LEDs (400 µs up to 400, 200 µs up to 800, 50 µs at 1600)
     * @param ecgLead      name of the ECG channel, the lead the electrodes form; null = {@code I} (finger pads)
     * @param ledCurrentMa pulse amplitude of both LEDs, 0..51 mA; null = 10
     */
    public record Max86150Wiring(String ecgStreamId, String ppgStreamId, Boolean ecg, Boolean ppg, int i2cBus,
                                 Integer address, Integer rateSps, String ecgLead, Double ledCurrentMa) {
        public Max86150Wiring {
            String p = "max86150.";
            ecgStreamId = checkStreamId(p + "ecgStreamId", ecgStreamId, "ecg");
            ppgStreamId = checkStreamId(p + "ppgStreamId", ppgStreamId, "ppg");
            ecg = ecg == null || ecg;
            ppg = ppg == null || ppg;
            if (!ecg && !ppg) {
                throw new IllegalArgumentException(p + "ecg and ppg are both false: a fitted MAX86150 must acquire"
                        + " at least one of them (or leave max86150 out)");
            }
            checkRange(p + "i2cBus", i2cBus, 0, 255);
            address = address == null ? 0x5E : address;
            checkAddress(p + "address", address);
            rateSps = rateSps == null ? 200 : rateSps;
            ecgLead = ecgLead == null ? "I" : ecgLead;
            ledCurrentMa = ledCurrentMa == null ? 10.0 : ledCurrentMa;
            int[] rates = ecg ? (ppg ? new int[] {200, 400, 800, 1600} : new int[] {200, 400, 800, 1600, 3200})
                    : new int[] {10, 20, 50, 84, 100, 200, 400, 800, 1000, 1600};
            int rate = rateSps;
            if (Arrays.stream(rates).noneMatch(r -> r == rate)) {
                throw new IllegalArgumentException(p + "rateSps " + rateSps + " is not supported "
                        + (ecg ? (ppg ? "with ECG and PPG" : "with ECG alone") : "with PPG alone") + "; use one of "
                        + Arrays.toString(rates));
            }
            try {
                config(ecgStreamId, ppgStreamId, ecg, ppg, rateSps, ecgLead, ledCurrentMa);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(p + e.getMessage().replace("MAX86150 config: ", "")
                        .replace("irCurrentMa", "ledCurrentMa"), e);
            }
        }

        /** The driver configuration: IA 9.5 x PGA 8, 16384 nA PPG range, no averaging, rollover off, 100 ms blocks. */
        public Max86150Config config() {
            return config(ecgStreamId, ppgStreamId, ecg, ppg, rateSps, ecgLead, ledCurrentMa);
        }

        private static Max86150Config config(String ecgId, String ppgId, boolean ecg, boolean ppg, int rate,
                                             String lead, double ma) {
            Max86150Config d = Max86150Config.defaults(ecg ? ecgId : null, ppg ? ppgId : null);
            int pulse = rate <= 400 ? 400 : rate <= 800 ? 200 : 50;
            return new Max86150Config(d.ecgStreamId(), lead, d.ppgStreamId(), ecg ? rate : d.ecgRateSps(),
                    d.ecgIaGain(), d.ecgPgaGain(), ppg ? rate : d.ppgRateHz(), 1, pulse, d.ppgAdcRangeNanoAmps(), ma,
                    ma, false, d.ringSlots(), Math.max(1, rate / 10));
        }
    }

    /**
     * An ST LSM6DSO accelerometer on I2C, producing the seismocardiogram along the body's dorso-ventral axis. (The
     * driver speaks I2C; the chip's SPI mode is not supported.)
     *
     * @param streamId id of its SCG stream (one channel {@code z}, mg); null = {@code scg}
     * @param i2cBus   bus number B of {@code /dev/i2c-B}, 0..255
     * @param address  0x6A (SA0 low) or 0x6B (SA0 high); null = 0x6A
     * @param odrHz    output data rate: 833, 1667 or 3333 Hz; null = 833
     * @param axis     the chip axis pointing out of the chest: X, Y or Z; null = Z
     * @param inverted true when that axis points into the chest instead; null = false
     */
    public record Lsm6dsoWiring(String streamId, int i2cBus, Integer address, Integer odrHz, Lsm6dsoConfig.Axis axis,
                                Boolean inverted) {
        public Lsm6dsoWiring {
            String p = "lsm6dso.";
            streamId = checkStreamId(p + "streamId", streamId, "scg");
            checkRange(p + "i2cBus", i2cBus, 0, 255);
            address = address == null ? 0x6A : address;
            if (address != 0x6A && address != 0x6B) {
                throw new IllegalArgumentException(p + "address must be 0x6A (SA0 low) or 0x6B (SA0 high), got "
                        + hex(address));
            }
            odrHz = odrHz == null ? 833 : odrHz;
            if (Lsm6dsoConfig.odrCode(odrHz) < 0) {
                throw new IllegalArgumentException(p + "odrHz " + odrHz + " is not supported; use 833, 1667 or 3333");
            }
            axis = axis == null ? Lsm6dsoConfig.Axis.Z : axis;
            inverted = inverted != null && inverted;
        }

        /** The driver configuration: ±2 g, the wired rate and axis. */
        public Lsm6dsoConfig config() {
            return Lsm6dsoConfig.defaults(streamId).withOdr(odrHz).withAxis(axis, inverted);
        }
    }

    /** The wire protocol of a serial board. */
    public enum SerialProtocol {
        /** OpenBCI Cyton: 33-byte packets, 8 channels at 250 Hz. */
        CYTON,
        /** The project's framed protocol (see {@code FramedProtocol}), with its ECG defaults: leads I, II at 500 Hz. */
        FRAMED;

        /** Case-insensitive lookup ({@code cyton}, {@code framed}), with an error listing the choices. */
        public static SerialProtocol parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("serialBoard.protocol must be cyton or framed, got '" + s + "'", e);
            }
        }
    }

    /**
     * A board streaming samples over a serial port (UART, USB CDC).
     *
     * @param streamId id of its stream; null = {@code ecg}
     * @param port     device path, e.g. {@code /dev/ttyUSB0}; required
     * @param protocol CYTON or FRAMED; required
     * @param baud     baud rate (ignored by USB CDC devices); null = 115200
     */
    public record SerialBoardWiring(String streamId, String port, SerialProtocol protocol, Integer baud) {
        public SerialBoardWiring {
            String p = "serialBoard.";
            streamId = checkStreamId(p + "streamId", streamId, "ecg");
            if (port == null || port.isBlank()) {
                throw new IllegalArgumentException(p + "port is required, e.g. /dev/ttyUSB0");
            }
            if (protocol == null) {
                throw new IllegalArgumentException(p + "protocol is required: cyton or framed");
            }
            baud = baud == null ? 115_200 : baud;
            checkRange(p + "baud", baud, 300, 12_000_000);
        }
    }

    private static String checkStreamId(String field, String id, String dflt) {
        if (id == null) {
            return dflt;
        }
        if (!id.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(field + " '" + id
                    + "' must use only letters, digits, '_', '.' and '-' (it becomes an MQTT topic level)");
        }
        return id;
    }

    private static void checkRange(String field, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(field + " must be " + lo + ".." + hi + ", got " + v);
        }
    }

    private static void checkAddress(String field, int address) {
        if (address < 0x08 || address > 0x77) {
            throw new IllegalArgumentException(field + " must be a 7-bit I2C address 0x08..0x77, got " + hex(address));
        }
    }

    private static String hex(int v) {
        return String.format("0x%02X", v);
    }
}
