package org.cardiogate.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/** Reads a server-sent event stream line by line with java.net.http, as a browser's EventSource would receive it. */
final class SseLines implements Flow.Subscriber<String>, AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Void>> response;
    private volatile Flow.Subscription subscription;
    private volatile boolean ended;
    private volatile HttpResponse.ResponseInfo responseInfo;

    private SseLines(HttpClient client, URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build();
        response = client.sendAsync(request, info -> {
            responseInfo = info;
            return HttpResponse.BodyHandlers.fromLineSubscriber(this).apply(info);
        });
    }

    static SseLines open(HttpClient client, URI uri) {
        return new SseLines(client, uri);
    }

    /** Status and headers once they have arrived, else {@code null}. The body keeps streaming. */
    HttpResponse.ResponseInfo responseInfo() {
        return responseInfo;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    boolean ended() {
        return ended;
    }

    /** Data lines of every event with this name, in arrival order. */
    List<String> data(String eventName) {
        List<String> out = new ArrayList<>();
        List<String> snapshot = lines();
        for (int i = 0; i + 1 < snapshot.size(); i++) {
            if (snapshot.get(i).equals("event:" + eventName) && snapshot.get(i + 1).startsWith("data:")) {
                out.add(snapshot.get(i + 1).substring("data:".length()));
            }
        }
        return out;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        lines.add(line);
    }

    @Override
    public void onError(Throwable throwable) {
        ended = true;
    }

    @Override
    public void onComplete() {
        ended = true;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }
}
