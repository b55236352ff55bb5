package org.cardiogate.ui;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An HTTP client that keeps cookies like a browser, for talking to the page's API. */
final class PageClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final CookieManager cookies = new CookieManager();
    final HttpClient http;
    final String base;

    PageClient(String base) {
        this(base, null);
    }

    PageClient(String base, SSLContext ssl) {
        this.base = base;
        HttpClient.Builder b = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return post(path, json, csrf());
    }

    HttpResponse<String> post(String path, String json, String csrfHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrfHeader != null) {
            b.header(Access.CSRF_HEADER, csrfHeader);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> login(String user, String password) throws Exception {
        return post("/api/login", JSON.createObjectNode().put("user", user).put("password", password).toString(), null);
    }

    HttpResponse<String> changePassword(String old, String fresh) throws Exception {
        return post("/api/password", JSON.createObjectNode().put("old", old).put("new", fresh).toString());
    }

    String csrf() {
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            if (c.getName().equals(Access.CSRF_COOKIE)) {
                return c.getValue();
            }
        }
        return null;
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        http.close();
    }
}
