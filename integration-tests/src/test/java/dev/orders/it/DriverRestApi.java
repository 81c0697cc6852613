package dev.orders.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Spark's REST API on a running driver's UI port ({@code /api/v1}): its application and executors. */
final class DriverRestApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An executor as {@code /applications/<id>/executors} reports it. */
    record Executor(String id, String hostPort, int totalTasks, int failedTasks) {
        boolean isDriver() {
            return id.equals("driver");
        }
    }

    private final String baseUrl;

    DriverRestApi(int uiPort) {
        this.baseUrl = "http://127.0.0.1:" + uiPort + "/api/v1";
    }

    /** The id of the driver's one application. */
    String applicationId() throws IOException, InterruptedException {
        JsonNode applications = get("/applications");
        if (applications.size() != 1) {
            throw new IOException(baseUrl + "/applications lists " + applications.size() + " applications: "
                    + applications);
        }
        return applications.get(0).get("id").asText();
    }

    /** The application's active executors, the driver included. */
    List<Executor> executors(String applicationId) throws IOException, InterruptedException {
        List<Executor> executors = new ArrayList<>();
        for (JsonNode executor : get("/applications/" + applicationId + "/executors")) {
            executors.add(new Executor(executor.get("id").asText(), executor.get("hostPort").asText(),
                    executor.get("totalTasks").asInt(), executor.get("failedTasks").asInt()));
        }
        return executors;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(baseUrl + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
