package org.cardiogate.ui;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

import io.helidon.http.Status;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

/**
 * {@code GET /api/live}: a server-sent event stream of {@code status}, {@code hr}, {@code beat} and {@code event}
 * messages, each with a JSON data line. Runs on the request's own (virtual) thread, which waits on the client's
 * {@link LiveSubscription}. A {@code ping} event (data {@code {}}) is sent at once, so the browser sees the stream open,
 * and after every {@link #KEEP_ALIVE} without traffic, so that proxies keep the connection and a vanished client is
 * noticed. (Helidon 4.2.3 cannot send comment-only events.)
 */
final class LiveStreamHandler implements Handler {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final SseEvent PING = SseEvent.builder().name("ping").data("{}").build();
    private static final System.Logger LOG = System.getLogger(LiveStreamHandler.class.getName());

    private final LiveState state;

    LiveStreamHandler(LiveState state) {
        this.state = state;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws InterruptedException {
        Optional<LiveSubscription> maybe = state.subscribe();
        if (maybe.isEmpty()) {
            res.status(Status.SERVICE_UNAVAILABLE_503).send("too many live clients");
            return;
        }
        try (LiveSubscription subscription = maybe.get(); SseSink sink = res.sink(SseSink.TYPE)) {
            sink.emit(PING);
            while (subscription.isOpen()) {
                LiveMessage message = subscription.next(KEEP_ALIVE);
                if (message != null) {
                    sink.emit(SseEvent.builder().name(message.name()).data(message.json()).build());
                } else if (subscription.isOpen()) {
                    sink.emit(PING);
                }
            }
        } catch (UncheckedIOException e) {
            LOG.log(Level.DEBUG, "live client went away: {0}", e.getMessage());
        }
    }
}
