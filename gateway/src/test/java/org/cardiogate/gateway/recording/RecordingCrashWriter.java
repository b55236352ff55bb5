package org.cardiogate.gateway.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.cardiogate.ui.RecordingInfo;

/**
 * Child process of {@link RecordingCrashIT}: records the simulator continuously through a real
 * {@link RecordingService} (every data record forced to the device) at about 20 times real time and prints
 * {@code file <path>} once and {@code written <n>} each time the header's record count grows. Runs until killed.
 */
public final class RecordingCrashWriter {
    private RecordingCrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        SimFeed feed = new SimFeed(seed);
        RecordingSettings s = RecordingSettings.defaults(dataDir, "crash").withContinuous(true).withQueue(4096, 1);
        RecordingService rec = new RecordingService(s, feed.streams(), feed.wall, feed.mono);
        Path file = null;
        long reported = -1;
        for (long tick = 0; ; tick++) {
            feed.tick(rec, rec, false);
            if (tick % 5 == 0) {
                Thread.sleep(2);
                if (file == null) {
                    for (RecordingInfo i : rec.list()) {
                        if (i.active() && Files.exists(rec.edfPath(i.id()))) {
                            file = rec.edfPath(i.id());
                            System.out.println("file " + file);
                            System.out.flush();
                        }
                    }
                }
                if (file != null) {
                    long n = headerCount(file);
                    if (n != reported) {
                        System.out.println("written " + n);
                        System.out.flush();
                        reported = n;
                    }
                }
            }
        }
    }

    static long headerCount(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, 236);
            String field = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            // the file exists a moment before its header is written
            return field.isEmpty() ? -1 : Long.parseLong(field);
        }
    }
}
