package dev.orders.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a driver's {@code /metrics/prometheus} answers: each sample's name (labels left out, Spark's
 * PrometheusServlet gives only {@code type}) with its value as written, and the text itself.
 */
record PrometheusScrape(String text, Map<String, String> samples) {
    /** Spark's UI answers the path with a redirect to {@code /metrics/prometheus/}, which Prometheus follows too. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    static PrometheusScrape of(int uiPort) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + uiPort + "/metrics/prometheus");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        Map<String, String> samples = new LinkedHashMap<>();
        for (String line : response.body().lines().toList()) {
            int labels = line.indexOf('{');
            int value = line.lastIndexOf(' ');
            if (labels > 0 && value > labels) {
                samples.put(line.substring(0, labels), line.substring(value + 1));
            }
        }
        return new PrometheusScrape(response.body(), samples);
    }

    /** Scrapes every 200 ms until the sample has this value; fails at the deadline with the last value. */
    static PrometheusScrape awaitValue(int uiPort, String name, String value, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PrometheusScrape scrape = of(uiPort);
        while (!value.equals(scrape.samples.get(name))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " was " + scrape.samples.get(name) + ", not " + value + ", after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
            scrape = of(uiPort);
        }
        return scrape;
    }

    String value(String name) {
        String value = samples.get(name);
        if (value == null) {
            throw new AssertionError("no sample " + name + " in the scrape:\n" + text);
        }
        return value;
    }

    /** The lines whose name contains one of these, for a reader. */
    String linesWith(List<String> parts) {
        return String.join("\n", text.lines().filter(line -> parts.stream().anyMatch(line::contains)).toList());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
