package dev.orders.producer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one producer micro-batch did: every line read is either published or rejected with a reason,
 * so {@code linesIn == published + sum(rejected)}.
 */
public record BatchReport(
        long batchId,
        List<String> files,
        long linesIn,
        long published,
        Map<String, Long> rejected,
        long durationMillis) {

    public BatchReport {
        files = List.copyOf(files);
        rejected = Map.copyOf(rejected);
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One log line: {@code batch 3 [order_2.csv]: 100 lines, 97 published, rejected {...}, 840 ms}. */
    public String summary() {
        String fileNames = files.stream().map(f -> f.substring(f.lastIndexOf('/') + 1))
                .collect(Collectors.joining(", "));
        String rejections = rejectedTotal() == 0 ? "none rejected"
                : "rejected " + new TreeMap<>(rejected).entrySet().stream()
                        .filter(e -> e.getValue() > 0)
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ", "{", "}"));
        return String.format("batch %d [%s]: %d lines, %d published, %s, %d ms",
                batchId, fileNames, linesIn, published, rejections, durationMillis);
    }
}
