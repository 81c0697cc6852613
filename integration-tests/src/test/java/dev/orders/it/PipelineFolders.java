package dev.orders.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** The folders and topics of one pipeline run in a test: order files, customer file, checkpoints, output. */
final class PipelineFolders {
    static final String ORDER_HEADER = "order_id,order_line_id,customer_id,product,amount,order_date,quantity";
    static final String CUSTOMER_HEADER = "customer_id,name,age,city";

    final Path root;
    final Path orders;
    final Path customers;
    final Path output;
    final String topic;
    final String deadLetterTopic;

    PipelineFolders(Path root) {
        this.root = root;
        this.orders = root.resolve("orders");
        this.customers = root.resolve("customers/customer.csv");
        this.output = root.resolve("output");
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.topic = "order_details_" + id;
        this.deadLetterTopic = "order_details_dlq_" + id;
        try {
            Files.createDirectories(orders);
            Files.createDirectories(customers.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes an order file whole, then moves it in, as a well-behaved upstream would. */
    Path addOrderFile(String name, String... lines) {
        return addFile(orders.resolve(name), ORDER_HEADER, List.of(lines));
    }

    Path addRawOrderFile(String name, String content) {
        try {
            Path staged = Files.writeString(root.resolve(name + ".staged"), content);
            return Files.move(staged, orders.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeCustomers(String... lines) {
        addFile(customers, CUSTOMER_HEADER, List.of(lines));
    }

    /** The producer's options for these folders and topics, then {@code extra}. */
    String[] producerArgs(String bootstrapServers, String... extra) {
        return Stream.concat(Stream.of(
                "--bootstrap-servers", bootstrapServers,
                "--topic", topic,
                "--dead-letter-topic", deadLetterTopic,
                "--orders-dir", orders.toString(),
                "--customers-file", customers.toString(),
                "--checkpoint-dir", checkpoint("producer").toString()), Stream.of(extra))
                .toArray(String[]::new);
    }

    /** The consumer's options for these folders and topics (json sink into {@link #output}), then {@code extra}. */
    String[] consumerArgs(String bootstrapServers, String... extra) {
        return Stream.concat(Stream.of(
                "--bootstrap-servers", bootstrapServers,
                "--topic", topic,
                "--dead-letter-topic", deadLetterTopic,
                "--checkpoint-dir", checkpoint("consumer").toString(),
                "--sink", "json",
                "--output-dir", output.toString()), Stream.of(extra))
                .toArray(String[]::new);
    }

    Path checkpoint(String app) {
        return root.resolve("checkpoints").resolve(app);
    }

    private Path addFile(Path target, String header, List<String> lines) {
        StringBuilder content = new StringBuilder(header).append('\n');
        lines.forEach(line -> content.append(line).append('\n'));
        try {
            Path staged = Files.writeString(root.resolve(target.getFileName() + ".staged"), content);
            return Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
