package org.cardiogate.gateway.service;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Sends sd_notify datagrams from this very process over an {@code AF_UNIX}/{@code SOCK_DGRAM} socket, which the
 * JDK's channels do not offer: {@code socket(2)} and {@code sendto(2)} of the C library are called through the
 * Foreign Function &amp; Memory API. Because the gateway is compiled for release 21, where that API is still a
 * preview, it is reached by reflection and used only on a JDK 22 or newer ({@link #available()}). Sending from the
 * main process is what lets the unit keep {@code NotifyAccess=main}.
 *
 * <p>On JDK 24 and newer, run with {@code --enable-native-access=ALL-UNNAMED} to silence the JDK's warning about
 * restricted methods (the launcher does).
 */
final class NativeDatagramTransport implements NotifyTransport {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_MAX = 108;

    private final byte[] address;
    private final String path;
    private final MethodHandle sendto;
    private final MethodHandle close;
    private final Method ofConfined;
    private final Method allocate;
    private final Method copyFrom;
    private final Method ofArray;
    private final int fd;

    /** Whether this JDK has the final Foreign Function &amp; Memory API (22 or newer). */
    static boolean available() {
        return Runtime.version().feature() >= 22;
    }

    /**
     * Opens a datagram socket for messages to {@code socketPath} ({@code @name} for the abstract namespace).
     *
     * @throws IOException when the path is too long, the FFM API is missing, or {@code socket(2)} fails
     */
    NativeDatagramTransport(String socketPath) throws IOException {
        this.path = socketPath;
        this.address = sockaddr(socketPath);
        try {
            Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueC = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> segC = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
            Object linker = linkerC.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
            Object jint = valueC.getField("JAVA_INT").get(null);
            Object jlong = valueC.getField("JAVA_LONG").get(null);
            Object addr = valueC.getField("ADDRESS").get(null);
            Method find = lookupC.getMethod("find", String.class);
            Method of = descC.getMethod("of", layoutC, layoutC.arrayType());
            Method downcall = linkerC.getMethod("downcallHandle", segC, descC, optionC.arrayType());
            Object noOptions = Array.newInstance(optionC, 0);

            MethodHandle socket = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "socket"),
                    of.invoke(null, jint, layouts(layoutC, jint, jint, jint)), noOptions);
            this.sendto = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "sendto"),
                    of.invoke(null, jlong, layouts(layoutC, jint, addr, jlong, jint, addr, jint)), noOptions);
            this.close = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "close"),
                    of.invoke(null, jint, layouts(layoutC, jint)), noOptions);
            this.ofConfined = arenaC.getMethod("ofConfined");
            this.allocate = arenaC.getMethod("allocate", long.class);
            this.copyFrom = segC.getMethod("copyFrom", segC);
            this.ofArray = segC.getMethod("ofArray", byte[].class);
            this.fd = (int) socket.invokeWithArguments(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (Throwable e) {
            throw new IOException("cannot use the Foreign Function & Memory API for the notify socket: " + e, e);
        }
        if (fd < 0) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed");
        }
    }

    private static Object symbol(Method find, Object lookup, String name) throws ReflectiveOperationException {
        return ((Optional<?>) find.invoke(lookup, name)).orElseThrow(
                () -> new IllegalStateException("C library has no " + name));
    }

    private static Object layouts(Class<?> layoutC, Object... layouts) {
        Object a = Array.newInstance(layoutC, layouts.length);
        for (int i = 0; i < layouts.length; i++) {
            Array.set(a, i, layouts[i]);
        }
        return a;
    }

    /** {@code struct sockaddr_un} for the path; a leading {@code @} means the abstract namespace (NUL byte). */
    static byte[] sockaddr(String socketPath) throws IOException {
        byte[] p = socketPath.getBytes(StandardCharsets.UTF_8);
        if (p.length == 0 || p.length >= SUN_PATH_MAX) {
            throw new IOException("NOTIFY_SOCKET path must be 1.." + (SUN_PATH_MAX - 1) + " bytes: " + socketPath);
        }
        boolean abstractName = p[0] == '@';
        ByteBuffer b = ByteBuffer.allocate(2 + p.length + (abstractName ? 0 : 1)).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (abstractName) {
            b.put((byte) 0).put(p, 1, p.length - 1);
        } else {
            b.put(p).put((byte) 0);
        }
        return b.array();
    }

    @Override
    public synchronized void send(String message) throws IOException {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        long sent;
        try (AutoCloseable arena = (AutoCloseable) ofConfined.invoke(null)) {
            Object m = allocate.invoke(arena, (long) msg.length);
            copyFrom.invoke(m, ofArray.invoke(null, (Object) msg));
            Object a = allocate.invoke(arena, (long) address.length);
            copyFrom.invoke(a, ofArray.invoke(null, (Object) address));
            sent = (long) sendto.invokeWithArguments(fd, m, (long) msg.length, MSG_NOSIGNAL, a, address.length);
        } catch (Throwable e) {
            throw new IOException("sending to notify socket " + path + ": " + e, e);
        }
        if (sent != msg.length) {
            throw new IOException("sendto(" + path + ") failed: is the service manager's notify socket there?");
        }
    }

    @Override
    public String describe() {
        return "datagram to " + path + " (in-process)";
    }

    @Override
    public void close() {
        try {
            close.invokeWithArguments(fd);
        } catch (Throwable e) {
            // nothing to do: the descriptor goes with the process
        }
    }
}
