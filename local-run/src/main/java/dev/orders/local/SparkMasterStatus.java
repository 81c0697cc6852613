package dev.orders.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What a standalone Master's web UI says of its cluster at {@code /json/}: workers, cores, applications. */
public record SparkMasterStatus(JsonNode json) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Asks the Master whose web UI is at {@code webUiUrl}; an IOException while it is not up yet. */
    public static SparkMasterStatus read(String webUiUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(webUiUrl + "/json/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(webUiUrl + "/json/ answered " + response.statusCode());
        }
        return new SparkMasterStatus(JSON.readTree(response.body()));
    }

    public int aliveWorkers() {
        return json.path("aliveworkers").asInt();
    }
}
