package dev.orders.producer;

import dev.orders.common.SparkSessions;
import dev.orders.common.cli.CommandLineApp;
import dev.orders.common.lifecycle.BatchGates;
import dev.orders.common.lifecycle.StreamingApp;
import dev.orders.common.options.ProducerOptions;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code spark-submit --class dev.orders.producer.OrdersProducerApp orders-producer.jar [options]}. */
public final class OrdersProducerApp {
    private static final Logger log = LoggerFactory.getLogger(OrdersProducerApp.class);

    public static void main(String[] args) throws Exception {
        ProducerOptions options = CommandLineApp.parseOrExit(ProducerOptions.commandLine(),
                () -> ProducerOptions.parse(args, System.getenv()));
        SparkSession spark = SparkSessions.start(OrdersProducer.QUERY_NAME, options.common());
        log.info("producer: {} -> {} at {} (customers {}, checkpoint {}{})", options.ordersDir(),
                options.common().topic(), options.common().bootstrapServers(), options.customersFile(),
                options.common().checkpointDir(), kafkaOptionsNote(options));
        ProducerMetrics metrics = new ProducerMetrics();
        metrics.register();
        BatchGates gates = new BatchGates();
        StreamingApp.run(OrdersProducer.QUERY_NAME, spark, options.common(), gates,
                () -> List.of(new OrdersProducer(spark, options, report -> {
                    log.info(report.summary());
                    metrics.record(report);
                }, ignored -> log.warn(ignored.message()), gates.of(OrdersProducer.QUERY_NAME)).start()));
    }

    static String kafkaOptionsNote(ProducerOptions options) {
        String kafka = options.common().kafka().toString();
        return kafka.isEmpty() ? "" : ", kafka options " + kafka;
    }

    private OrdersProducerApp() {
    }
}
