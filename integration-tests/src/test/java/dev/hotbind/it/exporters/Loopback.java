package dev.hotbind.it.exporters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** HTTP to an agent's endpoint on loopback, as curl or Prometheus would talk to it. */
final class Loopback {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private Loopback() {
    }

    /** GET {@code url}; the body of a 200 answer, else a failure naming the status. */
    static String get(String url) throws IOException, InterruptedException {
        return ok(url, CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** POST {@code body} to {@code url}, answered later. */
    static CompletableFuture<String> postAsync(String url, String body) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> ok(url, r));
    }

    private static String ok(String url, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + " from " + url + ": " + response.body());
        }
        return response.body();
    }
}
