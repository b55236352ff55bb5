package org.cardiogate.sensor.serial;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.StreamDescriptor;

/**
 * A board streaming the gateway's {@link FramedProtocol} (it streams from power-up; no command is sent). Duplicates
 * are packets starting up to half the counter range behind the expected sample. See {@link SerialBoardSource}.
 */
public final class FramedBoardSource extends SerialBoardSource {

    public FramedBoardSource(FramedBoardConfig config, SerialLinkOpener opener, HostTime time,
                             TechnicalEventListener listener) {
        this(config, config.protocol(), opener, time, listener);
    }

    private FramedBoardSource(FramedBoardConfig config, FramedProtocol protocol, SerialLinkOpener opener,
                              HostTime time, TechnicalEventListener listener) {
        super(describe(config), config.ringSlots(), config.blockSamples(), opener, protocol.newDecoder(),
                scales(config), (1L << protocol.sequenceBits()) / 2, time, listener);
    }

    /** The stream: the configured channels, unit and nominal rate. */
    public static StreamDescriptor describe(FramedBoardConfig config) {
        List<Channel> channels = new ArrayList<>();
        for (String n : config.channelNames()) {
            channels.add(new Channel(n, config.unit()));
        }
        return new StreamDescriptor(config.streamId(), config.sensor(), config.modality(), channels, config.rateHz());
    }

    private static double[] scales(FramedBoardConfig config) {
        double[] s = new double[config.channelNames().size()];
        Arrays.fill(s, config.unitsPerLsb());
        return s;
    }
}
