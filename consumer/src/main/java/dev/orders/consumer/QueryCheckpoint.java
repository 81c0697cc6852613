package dev.orders.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.common.TopicPartition;

/**
 * What a Spark streaming query's checkpoint says about its progress, read through Hadoop's file system
 * (the checkpoint may be on hdfs: or s3a:) without starting the query: its last committed batch, and the
 * Kafka offsets it will resume from.
 *
 * <p>Spark's logs, one file per batch id: {@code offsets/N} holds {@code v1}, a line of batch metadata,
 * then one line per source (here one Kafka source: {@code {"topic":{"0":5}}}, the end of batch N);
 * {@code commits/N} exists once batch N is complete.
 */
final class QueryCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Configuration hadoopConf;
    private final Path dir;

    QueryCheckpoint(Configuration hadoopConf, String dir) {
        this.hadoopConf = hadoopConf;
        this.dir = new Path(dir);
    }

    String location() {
        return dir.toString();
    }

    /** The id of the last batch the query completed; empty when it completed none. */
    OptionalLong lastCommittedBatch() throws IOException {
        return lastBatchIn(new Path(dir, "commits"));
    }

    /**
     * Where each partition of the query's Kafka source is read from at the next start: the end offsets of
     * the last committed batch (a batch started but not committed is run again from there). Empty when
     * no batch was committed.
     */
    Map<TopicPartition, Long> resumeOffsets() throws IOException {
        OptionalLong committed = lastCommittedBatch();
        Map<TopicPartition, Long> offsets = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        if (committed.isEmpty()) {
            return offsets;
        }
        Path file = new Path(new Path(dir, "offsets"), Long.toString(committed.getAsLong()));
        FileSystem fs = file.getFileSystem(hadoopConf);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String version = in.readLine();
            String metadata = in.readLine();
            String source = in.readLine();
            if (version == null || metadata == null || source == null || source.equals("-")) {
                return offsets;
            }
            JsonNode topics = JSON.readTree(source);
            for (Iterator<Map.Entry<String, JsonNode>> t = topics.fields(); t.hasNext(); ) {
                Map.Entry<String, JsonNode> topic = t.next();
                for (Iterator<Map.Entry<String, JsonNode>> p = topic.getValue().fields(); p.hasNext(); ) {
                    Map.Entry<String, JsonNode> partition = p.next();
                    long offset = partition.getValue().asLong();
                    if (offset >= 0) { // -1 and -2 stand for latest and earliest, not offsets
                        offsets.put(new TopicPartition(topic.getKey(), Integer.parseInt(partition.getKey())), offset);
                    }
                }
            }
        }
        return offsets;
    }

    /** The highest batch id among the files of one of Spark's logs (commits, offsets, a sink's metadata). */
    static OptionalLong lastBatchIn(FileSystem fs, Path log) throws IOException {
        if (!fs.exists(log)) {
            return OptionalLong.empty();
        }
        OptionalLong last = OptionalLong.empty();
        for (FileStatus file : fs.listStatus(log)) {
            String name = file.getPath().getName();
            String id = name.endsWith(".compact") ? name.substring(0, name.length() - ".compact".length()) : name;
            if (file.isFile() && id.matches("[0-9]{1,18}")) {
                long batch = Long.parseLong(id);
                if (last.isEmpty() || batch > last.getAsLong()) {
                    last = OptionalLong.of(batch);
                }
            }
        }
        return last;
    }

    private OptionalLong lastBatchIn(Path log) throws IOException {
        return lastBatchIn(log.getFileSystem(hadoopConf), log);
    }
}
