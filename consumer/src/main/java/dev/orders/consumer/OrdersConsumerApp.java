package dev.orders.consumer;

import dev.orders.common.SparkSessions;
import dev.orders.common.StartupException;
import dev.orders.common.cli.CommandLineApp;
import dev.orders.common.options.ConsumerOptions;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code spark-submit --class dev.orders.consumer.OrdersConsumerApp orders-consumer.jar [options]}. */
public final class OrdersConsumerApp {
    private static final Logger log = LoggerFactory.getLogger(OrdersConsumerApp.class);

    public static void main(String[] args) throws Exception {
        ConsumerOptions options = CommandLineApp.parseOrExit(ConsumerOptions.commandLine(),
                () -> ConsumerOptions.parse(args, System.getenv()));
        SparkSession spark = SparkSessions.start(OrdersConsumer.ORDERS_QUERY, options.common());
        String kafkaOptions = options.common().kafka().toString();
        log.info("consumer: {} at {} -> {} (watermark {}, checkpoint {}{})", options.common().topic(),
                options.common().bootstrapServers(),
                options.sink().code() + options.outputDir().map(dir -> " " + dir).orElse(""),
                options.watermark(), options.common().checkpointDir(),
                kafkaOptions.isEmpty() ? "" : ", kafka options " + kafkaOptions);
        ConsumerMetrics metrics = new ConsumerMetrics();
        metrics.register();
        spark.streams().addListener(new BatchProgressLog(metrics::record));
        Optional<ConsumerGroupMirror> groupMirror = options.consumerGroup().map(group ->
                ConsumerGroupMirror.start(spark, OrdersConsumer.ORDERS_QUERY, group, options.common()));
        List<StreamingQuery> queries;
        try {
            queries = new OrdersConsumer(spark, options, System.out).start();
        } catch (StartupException e) {
            System.err.println("orders-consumer: " + e.getMessage());
            groupMirror.ifPresent(ConsumerGroupMirror::close);
            spark.stop();
            System.exit(1);
            return;
        }
        try {
            // Until both have ended (--available-now), or one fails: then the other is stopped too, and the
            // failure ends the app with a non-zero exit. The consumer runs whole or not at all.
            while (queries.stream().anyMatch(StreamingQuery::isActive)) {
                spark.streams().awaitAnyTermination();
                spark.streams().resetTerminated();
            }
            for (StreamingQuery query : queries) {
                if (query.exception().isDefined()) {
                    throw query.exception().get();
                }
            }
        } finally {
            for (StreamingQuery query : queries) {
                query.stop();
            }
            groupMirror.ifPresent(ConsumerGroupMirror::close); // the last batch's commit, before the JVM ends
            spark.stop();
        }
        log.info("consumer: stopped");
    }

    private OrdersConsumerApp() {
    }
}
