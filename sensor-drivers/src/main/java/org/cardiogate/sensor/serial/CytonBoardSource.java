package org.cardiogate.sensor.serial;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.SerialLink;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.StreamDescriptor;

/**
 * An OpenBCI Cyton on a serial port (the RFduino USB dongle, 115200 baud): sends {@code 'b'} after opening the port
 * and {@code 's'} at shutdown, decodes the {@link CytonProtocol} 33-byte packets into mV at 250 Hz. The 8-bit sample
 * number counts lost packets; only a packet repeating the previous number is a duplicate. See
 * {@link SerialBoardSource}.
 */
public final class CytonBoardSource extends SerialBoardSource {
    private final byte[] command = new byte[1];

    public CytonBoardSource(CytonConfig config, SerialLinkOpener opener, HostTime time,
                            TechnicalEventListener listener) {
        super(describe(config), config.ringSlots(), config.blockSamples(), opener, CytonProtocol.newDecoder(),
                scales(config), 1, time, listener);
    }

    /** The stream: 8 channels in mV at 250 Hz. */
    public static StreamDescriptor describe(CytonConfig config) {
        List<Channel> channels = new ArrayList<>();
        for (String n : config.channelNames()) {
            channels.add(new Channel(n, "mV"));
        }
        return new StreamDescriptor(config.streamId(), "OpenBCI-Cyton", config.modality(), channels,
                CytonProtocol.RATE_HZ);
    }

    private static double[] scales(CytonConfig config) {
        double[] s = new double[CytonProtocol.CHANNELS];
        Arrays.fill(s, CytonProtocol.lsbMillivolts(config.gain()));
        return s;
    }

    @Override
    protected void startStreaming(SerialLink link) throws BusException {
        command[0] = CytonProtocol.START_STREAMING;
        link.write(command, 0, 1);
    }

    @Override
    protected void stopStreaming(SerialLink link) throws BusException {
        command[0] = CytonProtocol.STOP_STREAMING;
        link.write(command, 0, 1);
    }
}
