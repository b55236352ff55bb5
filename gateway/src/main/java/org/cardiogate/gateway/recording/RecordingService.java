package org.cardiogate.gateway.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.cardiogate.signal.Beat;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.PipelineOutput;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.ui.ActionResult;
import org.cardiogate.ui.RecordingControl;
import org.cardiogate.ui.RecordingInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every stream of the gateway into EDF+ files, with beats, events and technical events as annotations.
 *
 * <h2>Files</h2>
 * One EDF+C file holds all streams (one signal per channel; rates may differ; see {@link RecordingLayout} for the
 * data record duration and physical ranges), named {@code <gatewayId>_<yyyyMMdd'T'HHmmss'Z'>.edf} after the UTC time
 * of its first sample, in {@link RecordingSettings#directory()}. The header's start date and time are UTC; a file
 * starts on a whole wall-clock second (samples before it are not recorded), and every stream's first sample in the
 * file is within one sample period of that instant. Files are rotated at a data record boundary after
 * {@link RecordingSettings#maxFileSeconds()} or before {@link RecordingSettings#maxFileBytes()}; consecutive rotated
 * files are contiguous. Retention deletes the oldest closed files beyond {@link RecordingSettings#retainFiles()} and
 * those older than {@link RecordingSettings#retainAge()}. The first file of a recording is named when {@link #start}
 * is called (the id it returns), so its name may precede its first sample by the moment it takes every stream to
 * deliver; the header's start time is exact.
 *
 * <h2>Annotations</h2>
 * Beats: the AAMI class letter ({@code N S V F Q}) at the R peak. Events: {@code <TYPE> (ongoing) <detail>} at onset
 * without duration, and {@code <TYPE> <detail>} with its duration once closed. Technical: {@code GAP}, {@code RESET},
 * {@code STALL}, {@code ABSENT}, {@code PADDING}, {@code CLIPPED}, {@code CONTINUED}. Annotations whose time lies in
 * the file before the current one (the detector's latency) go into that file while it is held open for
 * {@value #GRACE_SECONDS} s after its end; later than that, they go into the current file with a negative onset, which
 * EDF+ allows; annotations from before a recording's first file are left out.
 *
 * <h2>Gaps</h2>
 * EDF+C cannot hold a gap and EDF+D is not read by common tools (MNE among them), so a sequence gap in any stream ends
 * the file: the gap is annotated at its position ({@code GAP <stream> <n> samples lost}), the file ends at the end of
 * the stream that ends first (rounded up to a whole record, the padding annotated), and a new file starts once every
 * stream delivers again, beginning with {@code CONTINUED after GAP ...}. Nothing is interpolated. Samples the
 * recorder's own rings dropped show up the same way, as gaps. A stream that stops delivering for more than
 * {@value #MAX_SKEW_SECONDS} s while others go on ends the file too ({@code STALL}); a stream that delivers nothing for
 * {@value #ARM_TIMEOUT_SECONDS} s when a file starts is left out of it ({@code ABSENT}).
 *
 * <h2>Threading</h2>
 * {@link #accept(SampleBlock)} and the {@link PipelineOutput} methods are called on the pipeline's output thread (the
 * single producer). They copy into preallocated single-producer single-consumer rings (per stream,
 * {@link RecordingSettings#queueBlocks()} slots of {@value #RING_BLOCK_SAMPLES} samples, rounded up to a power of two;
 * 4096 beats and events) without locks, allocation or waiting; what does not fit is dropped and counted
 * ({@link #droppedBlocks()}, {@link #droppedAnnotations()}). One writer thread ("recording-writer") does all file work,
 * idling 1 ms when there is nothing to do. The {@link RecordingControl} methods are called from HTTP threads; start and
 * stop take effect once the writer has taken everything handed over before the call.
 */
public final class RecordingService implements PipelineOutput, Consumer<SampleBlock>, RecordingControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingService.class);
    static final int GRACE_SECONDS = 5;
    static final int MAX_SKEW_SECONDS = 10;
    static final int ARM_TIMEOUT_SECONDS = 5;
    static final int FAILURE_BACKOFF_SECONDS = 10;
    /** Samples per ring slot; a larger block takes several slots. */
    static final int RING_BLOCK_SAMPLES = 128;
    private static final long IDLE_NANOS = 1_000_000;
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    static final String CONTINUOUS_LABEL = "continuous";

    private final RecordingSettings settings;
    private final List<StreamDescriptor> streams;
    private final Map<String, Integer> streamIndex = new HashMap<>();
    private final Clock wall;
    private final MonotonicClock mono;
    private final List<BlockRing> rings = new ArrayList<>();
    /** Blocks of each stream published into its ring (producer), and taken out (writer). */
    private final AtomicLong[] handed;
    private final AtomicLong[] taken;
    private final ObjectRing<Object> annotations;
    private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
    private final AtomicLong droppedBlocks = new AtomicLong();
    private final AtomicLong droppedAnnotations = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread writer;
    private final Map<String, SessionInfo> sessions = new ConcurrentHashMap<>();
    /** Files being written (or held open): id to session id. */
    private final Map<String, String> openFiles = new ConcurrentHashMap<>();
    private final WfdbExport wfdb;
    private volatile int activeSessions;
    private volatile boolean running = true;
    private final List<Session> live = new ArrayList<>();

    /** {@code stopped[0]}: stop asked for; {@code closed[0]}: the writer has closed every file and applied retention. */
    private record SessionInfo(String id, String label, String user, Instant started, List<String> files,
                               boolean[] stopped, boolean[] closed) {
    }

    /** A start or stop, carried out once the writer has taken every item handed over before it ({@code marks}). */
    private record Command(String kind, String sessionId, String label, String user, long[] marks) {
    }

    /**
     * Creates the directory, applies retention, starts the writer thread and, when {@link
     * RecordingSettings#continuous()}, a continuous recording.
     *
     * @param streams every stream the pipeline produces; blocks of other streams are ignored
     * @param wall    the wall clock, for file names, EDF start times and retention
     * @param mono    the monotonic clock the block timestamps come from, to map them onto the wall clock
     */
    public RecordingService(RecordingSettings settings, List<StreamDescriptor> streams, Clock wall,
                            MonotonicClock mono) throws IOException {
        this.settings = settings;
        this.streams = List.copyOf(streams);
        if (this.streams.isEmpty()) {
            throw new IllegalArgumentException("recording: no streams to record");
        }
        RecordingLayout.recordSeconds(this.streams);
        this.wall = wall;
        this.mono = mono;
        for (int i = 0; i < this.streams.size(); i++) {
            streamIndex.put(this.streams.get(i).streamId(), i);
        }
        int slots = Integer.highestOneBit(Math.max(2, settings.queueBlocks() - 1)) << 1;
        handed = new AtomicLong[this.streams.size()];
        taken = new AtomicLong[this.streams.size()];
        for (int i = 0; i < handed.length; i++) {
            rings.add(new BlockRing(this.streams.get(i), slots, RING_BLOCK_SAMPLES));
            handed[i] = new AtomicLong();
            taken[i] = new AtomicLong();
        }
        annotations = new ObjectRing<>(4096);
        Files.createDirectories(settings.directory());
        wfdb = new WfdbExport(settings.directory());
        applyRetention();
        if (settings.continuous()) {
            ActionResult r = start(CONTINUOUS_LABEL, "system");
            if (!r.accepted()) {
                throw new IllegalStateException("recording: continuous recording did not start: " + r.reason());
            }
        }
        writer = Thread.ofPlatform().name("recording-writer").daemon(true).start(this::run);
    }

    public RecordingSettings settings() {
        return settings;
    }

    // ---- output thread ----

    /**
     * Copies the block into the stream's ring (in pieces of {@value #RING_BLOCK_SAMPLES} samples). Output thread
     * (single producer); lock-free, allocation-free, never waits; what does not fit is dropped and counted, and the
     * block is not kept.
     */
    @Override
    public void accept(SampleBlock block) {
        if (activeSessions == 0 || block.length() == 0) {
            return;
        }
        Integer idx = streamIndex.get(block.stream().streamId());
        if (idx == null) {
            return;
        }
        int s = idx;
        BlockRing ring = rings.get(s);
        double period = streams.get(s).nominalPeriodNanos();
        int channels = block.channelCount();
        for (int off = 0; off < block.length(); off += RING_BLOCK_SAMPLES) {
            SampleBlock slot = ring.claim();
            if (slot == null) {
                droppedBlocks.incrementAndGet();
                return;
            }
            int n = Math.min(RING_BLOCK_SAMPLES, block.length() - off);
            slot.begin(block.firstSequence() + off, block.timestampNanos() + Math.round(off * period));
            for (int c = 0; c < channels; c++) {
                System.arraycopy(block.channel(c), off, slot.channel(c), 0, n);
            }
            slot.setLength(n);
            ring.publish();
            handed[s].setRelease(handed[s].getPlain() + 1);
        }
    }

    @Override
    public void onBeat(Beat beat) {
        offerAnnotation(beat);
    }

    @Override
    public void onEvent(CardiacEvent event) {
        offerAnnotation(event);
    }

    private void offerAnnotation(Object item) {
        if (activeSessions != 0 && !annotations.offer(item)) {
            droppedAnnotations.incrementAndGet();
        }
    }

    /** Blocks (or their ends) not recorded because the stream's ring was full (they appear in files as gaps). */
    public long droppedBlocks() {
        return droppedBlocks.get();
    }

    /** Beats and events not annotated because their ring was full. */
    public long droppedAnnotations() {
        return droppedAnnotations.get();
    }

    /** File operations that failed (each is logged); a failed file is closed and recording goes on in a new one. */
    public long failures() {
        return failures.get();
    }

    // ---- RecordingControl (HTTP threads) ----

    @Override
    public synchronized ActionResult start(String label, String user) {
        if (!running) {
            return ActionResult.refused("the recorder is closed");
        }
        String lab = label == null || label.isBlank() ? "recording" : label.strip();
        for (SessionInfo s : sessions.values()) {
            if (!s.stopped()[0] && !s.label().equals(CONTINUOUS_LABEL) && !lab.equals(CONTINUOUS_LABEL)) {
                return ActionResult.refused("recording " + s.id() + " (" + s.label() + ") is already running");
            }
        }
        String id = uniqueId(wall.instant());
        SessionInfo info = new SessionInfo(id, lab, user == null ? "" : user, wall.instant(),
                new java.util.concurrent.CopyOnWriteArrayList<>(), new boolean[1], new boolean[1]);
        sessions.put(id, info);
        openFiles.put(id, id);
        if (!enqueue("start", id, lab, info.user())) {
            sessions.remove(id);
            openFiles.remove(id);
            return ActionResult.refused("the recorder is busy; try again");
        }
        activeSessions++;
        LOG.info("recording {} '{}' started by {}", id, lab, info.user());
        return ActionResult.done(id);
    }

    @Override
    public synchronized ActionResult stop(String id, String user) {
        SessionInfo s = sessionOf(id);
        if (s == null || s.stopped()[0]) {
            return ActionResult.refused("no running recording '" + id + "'");
        }
        if (!enqueue("stop", s.id(), s.label(), user)) {
            return ActionResult.refused("the recorder is busy; try again");
        }
        s.stopped()[0] = true;
        LOG.info("recording {} stopped by {}", s.id(), user);
        return ActionResult.done(s.id());
    }

    private SessionInfo sessionOf(String id) {
        if (id == null) {
            return null;
        }
        SessionInfo s = sessions.get(id);
        if (s != null) {
            return s;
        }
        for (SessionInfo si : sessions.values()) {
            if (si.files().contains(id)) {
                return si;
            }
        }
        return null;
    }

    /** Every EDF file in the directory, newest first; files still being written have {@code stopped == null}. */
    @Override
    public List<RecordingInfo> list() {
        List<RecordingInfo> out = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        for (SessionInfo s : sessions.values()) {
            for (String f : s.files()) {
                labels.put(f, s.label());
            }
            labels.putIfAbsent(s.id(), s.label());
        }
        for (Path p : edfFiles()) {
            String id = idOf(p);
            try {
                boolean open = openFiles.containsKey(id);
                Instant started = startOf(id, Files.getLastModifiedTime(p).toInstant());
                out.add(new RecordingInfo(id, labels.getOrDefault(id, ""), started,
                        open ? null : Files.getLastModifiedTime(p).toInstant(), Files.size(p),
                        open ? List.of() : List.of("edf", "wfdb")));
            } catch (IOException e) {
                // deleted by retention between listing and reading its attributes
            }
        }
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (RecordingInfo i : out) {
            listed.add(i.id());
        }
        for (SessionInfo s : sessions.values()) {
            // started, its first file not yet open
            if (!s.stopped()[0] && s.files().isEmpty() && !listed.contains(s.id())) {
                out.add(new RecordingInfo(s.id(), s.label(), s.started(), null, 0, List.of()));
            }
        }
        out.sort(Comparator.comparing(RecordingInfo::started).reversed().thenComparing(RecordingInfo::id));
        return out;
    }

    /**
     * A closed file: {@code "edf"} the EDF+ file itself, {@code "wfdb"} a zip of its WFDB export (made on the first
     * request and cached beside it). Empty for unknown ids, files still being written and other formats.
     */
    @Override
    public Optional<Path> file(String id, String format) {
        if (id == null || !id.matches("[A-Za-z0-9_.-]+") || openFiles.containsKey(id)) {
            return Optional.empty();
        }
        Path edf = settings.directory().resolve(id + ".edf");
        if (!Files.isRegularFile(edf)) {
            return Optional.empty();
        }
        return switch (format == null ? "" : format) {
            case "edf" -> Optional.of(edf);
            case "wfdb" -> {
                try {
                    yield Optional.of(wfdb.zip(edf));
                } catch (IOException e) {
                    LOG.warn("WFDB export of {} failed: {}", edf, e.toString());
                    yield Optional.empty();
                }
            }
            default -> Optional.empty();
        };
    }

    /** The path of a recording's EDF file, whether closed or still being written. */
    public Path edfPath(String id) {
        return settings.directory().resolve(id + ".edf");
    }

    /**
     * Ids of the files of a recording started with {@link #start}, in order; a recording that met gaps or rotation
     * has several.
     */
    public List<String> filesOf(String sessionId) {
        SessionInfo s = sessions.get(sessionId);
        return s == null ? List.of() : List.copyOf(s.files());
    }

    /** Whether every file of a recording is closed (after {@link #stop} once the writer has finished it). */
    public boolean isClosed(String sessionId) {
        SessionInfo s = sessions.get(sessionId);
        return s != null && s.closed()[0];
    }

    // ---- writer thread ----

    /**
     * Queues a command marked with how much had been handed over, so that a recording holds exactly what the pipeline
     * produced between start and stop.
     */
    private boolean enqueue(String kind, String sessionId, String label, String user) {
        long[] marks = new long[handed.length + 1];
        for (int i = 0; i < handed.length; i++) {
            marks[i] = handed[i].getAcquire();
        }
        marks[handed.length] = annotations.added();
        return commands.offer(new Command(kind, sessionId, label, user, marks));
    }

    private boolean reached(long[] marks) {
        for (int i = 0; i < handed.length; i++) {
            if (taken[i].getPlain() < marks[i]) {
                return false;
            }
        }
        return annotations.removed() >= marks[handed.length];
    }

    private void run() {
        long lastRetention = System.nanoTime();
        while (running || !commands.isEmpty()) {
            int work = 0;
            try {
                // blocks of all streams in time order, so a backlog in one ring does not run ahead of the others;
                // beats and events once the blocks up to their time have been taken
                for (int k = 0; k < 256; k++) {
                    work += dueCommands();
                    int next = -1;
                    long nextTs = Long.MAX_VALUE;
                    for (int s = 0; s < rings.size(); s++) {
                        SampleBlock h = rings.get(s).peek();
                        if (h != null && h.timestampNanos() < nextTs) {
                            next = s;
                            nextTs = h.timestampNanos();
                        }
                    }
                    work += drainAnnotations(next < 0 ? Long.MAX_VALUE : nextTs);
                    if (next < 0) {
                        break;
                    }
                    BlockRing ring = rings.get(next);
                    try {
                        onBlock(next, ring.peek());
                    } finally {
                        ring.release();
                        taken[next].setRelease(taken[next].getPlain() + 1);
                    }
                    work++;
                }
                work += dueCommands();
                if (System.nanoTime() - lastRetention > 60_000_000_000L) {
                    lastRetention = System.nanoTime();
                    applyRetention();
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.error("recording writer: {}", e.toString(), e);
            }
            if (work == 0) {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
        for (Session s : live) {
            s.finishAll();
            markClosed(s.id);
        }
        live.clear();
    }

    private void markClosed(String sessionId) {
        SessionInfo info = sessions.get(sessionId);
        if (info != null) {
            info.closed()[0] = true;
        }
    }

    private void handle(Command c) {
        if (c.kind().equals("start")) {
            live.add(new Session(c.sessionId(), c.label(), c.user()));
        } else {
            for (int i = 0; i < live.size(); i++) {
                Session s = live.get(i);
                if (s.id.equals(c.sessionId())) {
                    s.finishAll();
                    live.remove(i);
                    synchronized (this) {
                        activeSessions--;
                    }
                    openFiles.remove(s.id);
                    applyRetention();
                    markClosed(s.id);
                    break;
                }
            }
        }
    }

    /** Carries out the commands whose marks are reached, before anything handed over after them is taken. */
    private int dueCommands() {
        int n = 0;
        Command c;
        while ((c = commands.peek()) != null && reached(c.marks())) {
            commands.poll();
            handle(c);
            n++;
        }
        return n;
    }

    private int drainAnnotations(long upToNanos) {
        int n = 0;
        Object item;
        while ((item = annotations.peek()) != null) {
            long t = switch (item) {
                case Beat beat -> beat.timestampNanos();
                case CardiacEvent e -> e.timestampNanos();
                default -> Long.MIN_VALUE;
            };
            if (t > upToNanos) {
                break;
            }
            annotations.poll();
            try {
                process(item);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.error("recording writer: annotation {} failed: {}", item, e.toString());
            }
            n++;
        }
        return n;
    }

    private void onBlock(int g, SampleBlock b) {
        for (Session s : live) {
            try {
                s.onBlock(g, b);
            } catch (IOException | RuntimeException e) {
                failures.incrementAndGet();
                LOG.error("recording {}: writing failed, the file is closed and a new one starts in {} s: {}", s.id,
                        FAILURE_BACKOFF_SECONDS, e.toString());
                s.abandon(e, b.timestampNanos());
            }
        }
    }

    private void process(Object item) {
        switch (item) {
            case Beat beat -> {
                Integer g = streamIndex.get(beat.streamId());
                for (Session s : live) {
                    s.annotate(g, beat.sample(), beat.timestampNanos(), Double.NaN, beat.beatClass().name());
                }
            }
            case CardiacEvent e -> {
                Integer g = streamIndex.get(e.streamId());
                String detail = e.detail().isEmpty() ? "" : " " + e.detail();
                if (detail.length() > 200) {
                    detail = detail.substring(0, 200);
                }
                for (Session s : live) {
                    double duration = Double.NaN;
                    String text = e.type().name() + " (ongoing)" + detail;
                    if (!e.isOngoing()) {
                        double rate = g == null ? Double.NaN : streams.get(g).nominalRateHz();
                        duration = Double.isNaN(rate) ? 0 : Math.max(0, (e.offsetSample() - e.onsetSample() + 1) / rate);
                        text = e.type().name() + detail;
                    }
                    s.annotate(g, e.onsetSample(), e.timestampNanos(), duration, text);
                }
            }
            default -> throw new IllegalStateException("unexpected queue item " + item);
        }
    }

    /** One recording: a succession of files, the current one and at most a few held open for late annotations. */
    private final class Session {
        final String id;
        final String label;
        final String user;
        final long[] expected;
        EdfSegment active;
        final List<EdfSegment> retiring = new ArrayList<>();
        // arming: waiting for every stream before a file starts
        final long[] anchorSeq;
        final long[] anchorNanos;
        final boolean[] seen;
        long armSinceNanos = Long.MIN_VALUE;
        String continuation;
        String reservedId;
        long backoffUntilNanos = Long.MIN_VALUE;

        Session(String id, String label, String user) {
            this.id = id;
            this.label = label;
            this.user = user;
            this.reservedId = id;
            int n = streams.size();
            expected = new long[n];
            Arrays.fill(expected, -1);
            anchorSeq = new long[n];
            anchorNanos = new long[n];
            seen = new boolean[n];
        }

        void onBlock(int g, SampleBlock b) throws IOException {
            StreamDescriptor sd = streams.get(g);
            long exp = expected[g];
            expected[g] = b.nextSequence();
            if (exp >= 0 && b.firstSequence() != exp) {
                long lost = b.firstSequence() - exp;
                String what = lost > 0
                        ? String.format("GAP %s %d samples lost (%.3f s), recorder drops so far %d", sd.streamId(),
                        lost, lost / sd.nominalRateHz(), droppedBlocks.get())
                        : String.format("RESET %s sequence went back from %d to %d", sd.streamId(), exp,
                        b.firstSequence());
                if (active != null && active.contains(g)) {
                    active.annotate(active.onsetOf(g, exp), Double.NaN, what + "; the recording continues in the"
                            + " next file");
                    retire(active, b.timestampNanos());
                    active = null;
                    continuation = "CONTINUED after " + what;
                }
            }
            finishDue(b.timestampNanos());
            if (active == null) {
                if (b.timestampNanos() < backoffUntilNanos) {
                    return;
                }
                arm(g, b);
                return;
            }
            if (!active.contains(g)) {
                return;
            }
            active.append(g, b);
            active.writeReady(active.recordLimit - 1);
            if (active.atLimit()) {
                rotate(b.timestampNanos());
            }
            if (active != null && active.maxEndSeconds() - active.minEndSeconds() > MAX_SKEW_SECONDS) {
                int l = active.laggingStream();
                String what = String.format("STALL %s no samples for %.1f s", active.streams[l].streamId(),
                        active.maxEndSeconds() - active.endSeconds(l));
                active.annotate(active.endSeconds(l), Double.NaN, what + "; the recording continues in the next file");
                retire(active, b.timestampNanos());
                active = null;
                continuation = "CONTINUED after " + what;
            }
        }

        private void arm(int g, SampleBlock b) throws IOException {
            long period = Math.round(streams.get(g).nominalPeriodNanos());
            if (armSinceNanos == Long.MIN_VALUE) {
                armSinceNanos = b.timestampNanos();
            }
            seen[g] = true;
            anchorSeq[g] = b.nextSequence();
            anchorNanos[g] = b.timestampNanos() + b.length() * period;
            int count = 0;
            for (boolean s : seen) {
                count += s ? 1 : 0;
            }
            boolean timedOut = anchorNanos[g] - armSinceNanos > ARM_TIMEOUT_SECONDS * 1_000_000_000L;
            if (count < seen.length && !timedOut) {
                return;
            }
            long t0 = Long.MIN_VALUE;
            for (int i = 0; i < seen.length; i++) {
                if (seen[i]) {
                    t0 = Math.max(t0, anchorNanos[i]);
                }
            }
            // start on a whole wall-clock second, so the header's start time (1 s resolution) is exact
            // the wall clock read between two monotonic reads; a clock that moves in steps is read again
            long m1 = mono.nanoTime();
            Instant wallNow = wall.instant();
            long m2 = mono.nanoTime();
            for (int tries = 0; tries < 5 && m1 != m2 && m2 - m1 > 1_000_000; tries++) {
                m1 = mono.nanoTime();
                wallNow = wall.instant();
                m2 = mono.nanoTime();
            }
            Instant wallT0;
            long lag = m1 + (m2 - m1) / 2 - t0;
            if (Math.abs(lag) < 60_000_000_000L) {
                Instant w = wallNow.minusNanos(lag);
                Instant whole = w.truncatedTo(ChronoUnit.SECONDS);
                if (whole.isBefore(w)) {
                    whole = whole.plusSeconds(1);
                }
                t0 += java.time.Duration.between(w, whole).toNanos();
                wallT0 = whole;
            } else {
                wallT0 = wall.instant().truncatedTo(ChronoUnit.SECONDS);
            }
            int[] in = new int[count];
            long[] startSeq = new long[seen.length];
            int k = 0;
            StringBuilder absent = new StringBuilder();
            for (int i = 0; i < seen.length; i++) {
                if (seen[i]) {
                    in[k++] = i;
                    double per = streams.get(i).nominalPeriodNanos();
                    startSeq[i] = anchorSeq[i] + (long) Math.ceil((t0 - anchorNanos[i]) / per - 1e-9);
                } else {
                    absent.append(' ').append(streams.get(i).streamId());
                }
            }
            String fileId = reservedId != null ? reservedId : uniqueId(wallT0);
            open(fileId, wallT0, t0, in, startSeq);
            active.firstOfSession = reservedId != null;
            reservedId = null;
            if (absent.length() > 0) {
                active.annotate(0, Double.NaN, "ABSENT" + absent + " (no samples for " + ARM_TIMEOUT_SECONDS
                        + " s; not in this file)");
            }
            if (continuation != null) {
                active.annotate(0, Double.NaN, continuation);
                continuation = null;
            }
            Arrays.fill(seen, false);
            armSinceNanos = Long.MIN_VALUE;
        }

        private void open(String fileId, Instant start, long t0, int[] in, long[] startSeq) throws IOException {
            Path file = settings.directory().resolve(fileId + ".edf");
            active = new EdfSegment(fileId, file, start, t0, streams, in, startSeq, settings.maxFileSeconds(),
                    settings.maxFileBytes(), label, user, "CardioGate_" + settings.gatewayId(),
                    settings.forceEveryRecords());
            openFiles.remove(id);
            openFiles.put(fileId, id);
            SessionInfo info = sessions.get(id);
            if (info != null) {
                info.files().add(fileId);
            }
            LOG.info("recording {}: writing {} ({} s records, {} streams)", id, file, active.recordSeconds, in.length);
        }

        private void rotate(long nowNanos) throws IOException {
            EdfSegment old = active;
            long[] startSeq = new long[streams.size()];
            int[] in = new int[old.streams.length];
            int k = 0;
            for (int g = 0; g < streams.size(); g++) {
                if (old.contains(g)) {
                    in[k++] = g;
                    int l = old.local[g];
                    startSeq[g] = old.startSeq[l]
                            + old.recordLimit * RecordingLayout.samplesPerRecord(old.streams[l], old.recordSeconds);
                }
            }
            Instant start = old.start.plusSeconds(old.recordLimit * old.recordSeconds);
            String fileId = uniqueId(start);
            open(fileId, start, old.limitNanos(), in, startSeq);
            old.handOverTail(active);
            old.annotate(old.recordLimit * old.recordSeconds - 1e-3, Double.NaN, "CONTINUES in " + fileId);
            active.annotate(0, Double.NaN, "CONTINUED from " + old.id);
            retire(old, nowNanos);
            active.writeReady(active.recordLimit - 1);
        }

        private void retire(EdfSegment seg, long nowNanos) {
            seg.retireDeadlineNanos = nowNanos + GRACE_SECONDS * 1_000_000_000L;
            retiring.add(seg);
        }

        private void finishDue(long nowNanos) {
            for (int i = retiring.size() - 1; i >= 0; i--) {
                EdfSegment seg = retiring.get(i);
                if (nowNanos >= seg.retireDeadlineNanos) {
                    retiring.remove(i);
                    finish(seg);
                }
            }
        }

        private void finish(EdfSegment seg) {
            try {
                seg.finish();
            } catch (IOException | RuntimeException e) {
                failures.incrementAndGet();
                LOG.error("recording {}: closing {} failed: {}", id, seg.file, e.toString());
            }
            openFiles.remove(seg.id);
            LOG.info("recording {}: closed {}", id, seg.file);
            applyRetention();
        }

        void annotate(Integer g, long sample, long nanos, double duration, String text) {
            EdfSegment target = null;
            double onset = 0;
            for (EdfSegment seg : retiring) {
                double o = g != null && seg.contains(g) ? seg.onsetOf(g, sample) : seg.onsetOfNanos(nanos);
                if (o >= 0 && o < seg.recordLimit * seg.recordSeconds && o < seg.maxEndSeconds()) {
                    target = seg;
                    onset = o;
                }
            }
            if (target == null && active != null) {
                target = active;
                onset = g != null && active.contains(g) ? active.onsetOf(g, sample) : active.onsetOfNanos(nanos);
            }
            if (target == null || (onset < 0 && target.firstOfSession)) {
                // nothing to put it in, or it precedes the recording
                return;
            }
            try {
                target.annotate(onset, duration, text);
            } catch (IllegalArgumentException e) {
                failures.incrementAndGet();
                LOG.warn("recording {}: annotation '{}' not written: {}", id, text, e.getMessage());
            }
        }

        /** After a failed write: closes the current file as far as possible and waits before starting another. */
        void abandon(Exception cause, long nowNanos) {
            if (active != null) {
                EdfSegment seg = active;
                active = null;
                finish(seg);
            }
            Arrays.fill(seen, false);
            armSinceNanos = Long.MIN_VALUE;
            backoffUntilNanos = nowNanos + FAILURE_BACKOFF_SECONDS * 1_000_000_000L;
            continuation = "CONTINUED after a write error: " + RecordingLayout.ascii(String.valueOf(cause), 160);
        }

        void finishAll() {
            for (EdfSegment seg : retiring) {
                finish(seg);
            }
            retiring.clear();
            if (active != null) {
                finish(active);
                active = null;
            }
            openFiles.remove(id);
        }
    }

    // ---- files ----

    private synchronized String uniqueId(Instant t) {
        String base = settings.gatewayId() + "_" + NAME_TIME.format(t);
        String id = base;
        for (int n = 2; Files.exists(settings.directory().resolve(id + ".edf")) || sessions.containsKey(id)
                || openFiles.containsKey(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private Instant startOf(String id, Instant fallback) {
        int us = id.lastIndexOf('_');
        if (us >= 0) {
            String t = id.substring(us + 1);
            int dash = t.indexOf('-');
            if (dash >= 0) {
                t = t.substring(0, dash);
            }
            try {
                return LocalDateTime.parse(t, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                        .toInstant(ZoneOffset.UTC);
            } catch (RuntimeException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static String idOf(Path edf) {
        String n = edf.getFileName().toString();
        return n.substring(0, n.length() - 4);
    }

    private List<Path> edfFiles() {
        try (Stream<Path> s = Files.list(settings.directory())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".edf") && Files.isRegularFile(p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes closed files beyond the count limit (oldest first) and older than the age limit, with their exports. */
    void applyRetention() {
        try {
            List<Path> closed = new ArrayList<>();
            for (Path p : edfFiles()) {
                if (!openFiles.containsKey(idOf(p))) {
                    closed.add(p);
                }
            }
            Map<Path, Instant> mtime = new HashMap<>();
            for (Path p : closed) {
                mtime.put(p, Files.getLastModifiedTime(p).toInstant());
            }
            closed.sort(Comparator.comparing((Path p) -> mtime.get(p)).thenComparing(Path::toString));
            Instant oldest = settings.retainAge().isZero() ? Instant.MIN : wall.instant().minus(settings.retainAge());
            int excess = settings.retainFiles() == 0 ? 0 : Math.max(0, closed.size() - settings.retainFiles());
            for (int i = 0; i < closed.size(); i++) {
                Path p = closed.get(i);
                if (i < excess || mtime.get(p).isBefore(oldest)) {
                    Files.deleteIfExists(p);
                    wfdb.delete(p);
                    LOG.info("recording retention: deleted {}", p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            failures.incrementAndGet();
            LOG.warn("recording retention failed: {}", e.toString());
        }
    }

    /** Stops every recording, writes what is queued, closes the files and stops the writer thread. */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (this) {
            if (!running) {
                return;
            }
            for (SessionInfo s : sessions.values()) {
                if (!s.stopped()[0]) {
                    s.stopped()[0] = true;
                    enqueue("stop", s.id(), s.label(), "system");
                }
            }
            running = false;
        }
        while (true) {
            try {
                writer.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
