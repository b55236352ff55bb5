package org.cardiogate.sensor.boardcheck;

import java.util.Locale;

import org.cardiogate.sensor.ads129x.Ads129xDriver;
import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.bus.pi4j.Pi4jBuses;
import org.cardiogate.sensor.emulator.Ads129xEmulator;
import org.cardiogate.sensor.emulator.SimulatorFeed;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.timing.HostTime;

/**
 * Where a board is: {@code <chip>@<spidev>,drdy=<gpiochip>:<line>[,baud=<Hz>]} for real hardware, e.g.
 * {@code ads1292r@/dev/spidev0.0,drdy=gpiochip0:25}, or {@code <chip>@emulated[,drift=<ppm>]} for an emulated board
 * fed by the physiological simulator.
 *
 * @param model     the chip
 * @param emulated  true for an emulated board
 * @param spiBus    SPI bus number (spidevB.C)
 * @param spiCs     chip select (spidevB.C)
 * @param gpioChip  gpiochip name of the DRDY line
 * @param drdyLine  line offset of DRDY on that chip
 * @param baud      SPI clock in Hz
 * @param driftPpm  emulated oscillator drift
 */
public record BoardSpec(Ads129xModel model, boolean emulated, int spiBus, int spiCs, String gpioChip, int drdyLine,
                        int baud, double driftPpm) {

    public static BoardSpec parse(String spec) {
        String s = spec.trim();
        int at = s.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("board spec '" + spec + "' must look like"
                    + " ads1292r@/dev/spidev0.0,drdy=gpiochip0:25 or ads1298@emulated");
        }
        Ads129xModel model;
        try {
            model = Ads129xModel.valueOf(s.substring(0, at).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("board spec '" + spec + "': unknown chip '" + s.substring(0, at)
                    + "', use ads1292r or ads1298", e);
        }
        String[] parts = s.substring(at + 1).split(",");
        boolean emulated = parts[0].equals("emulated");
        int bus = 0;
        int cs = 0;
        if (!emulated) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("/dev/spidev(\\d+)\\.(\\d+)").matcher(parts[0]);
            if (!m.matches()) {
                throw new IllegalArgumentException("board spec '" + spec + "': '" + parts[0]
                        + "' is not /dev/spidevB.C or 'emulated'");
            }
            bus = Integer.parseInt(m.group(1));
            cs = Integer.parseInt(m.group(2));
        }
        String chip = null;
        int line = -1;
        int baud = 4_000_000;
        double drift = 0;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("board spec '" + spec + "': '" + parts[i] + "' is not key=value");
            }
            switch (kv[0]) {
                case "drdy" -> {
                    String[] cl = kv[1].split(":");
                    if (cl.length != 2) {
                        throw new IllegalArgumentException("board spec '" + spec + "': drdy must be <gpiochip>:<line>");
                    }
                    chip = cl[0];
                    line = Integer.parseInt(cl[1]);
                }
                case "baud" -> baud = Integer.parseInt(kv[1]);
                case "drift" -> drift = Double.parseDouble(kv[1]);
                default -> throw new IllegalArgumentException("board spec '" + spec + "': unknown key '" + kv[0]
                        + "' (drdy, baud, drift)");
            }
        }
        if (!emulated && chip == null) {
            throw new IllegalArgumentException("board spec '" + spec + "': a real board needs drdy=<gpiochip>:<line>");
        }
        return new BoardSpec(model, emulated, bus, cs, chip, line, baud, drift);
    }

    /**
     * A driver factory for {@link BoardCheck}. Real boards open their buses per driver (and close them with it); an
     * emulated board is one emulator shared by the phases, fed by the simulator at the configured rate.
     */
    public BoardCheck.DriverFactory factory(HostTime time) {
        if (emulated) {
            return (config, listener) -> {
                SimulatorConfig sc = SimulatorConfig.defaults().withRates(config.rateSps(), 100, 500);
                Ads129xEmulator chip = new Ads129xEmulator(model, time,
                        SimulatorFeed.ecgLeads(new PhysiologySimulator(sc), model.channels()), driftPpm, 1);
                return new Ads129xDriver(config, chip, chip.dataReadyLine(), time, listener);
            };
        }
        return (config, listener) -> {
            Pi4jBuses buses = Pi4jBuses.open(gpioChip);
            return new Ads129xDriver(config, buses.spi(spiBus, spiCs, 1, baud), buses.dataReady(drdyLine, time), time,
                    listener);
        };
    }
}
