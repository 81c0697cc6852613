package dev.orders.consumer;

import dev.orders.common.SparkSessions;
import dev.orders.common.cli.CommandLineApp;
import dev.orders.common.lifecycle.BatchGates;
import dev.orders.common.lifecycle.StreamingApp;
import dev.orders.common.options.ConsumerOptions;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
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
        BatchGates gates = new BatchGates();
        // Until both queries have ended (--available-now) or the app is stopped; when one fails, the other is
        // stopped too, and both start again (a Kafka outage) or the app fails: it runs whole or not at all.
        StreamingApp.run(OrdersConsumer.ORDERS_QUERY, spark, options.common(), gates,
                () -> new OrdersConsumer(spark, options, System.out, gates).start(),
                // the last batch's commit, before the session and the JVM end
                () -> groupMirror.ifPresent(ConsumerGroupMirror::close));
    }

    private OrdersConsumerApp() {
    }
}
