package dev.orders.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {

    @Test
    void stateIsSplitIntoEightPartitionsOrALocalMastersCoresWhenFewer() {
        assertEquals(2, SparkSessions.defaultShufflePartitions("local[*]", 2));
        assertEquals(8, SparkSessions.defaultShufflePartitions("local[*]", 16));
        assertEquals(4, SparkSessions.defaultShufflePartitions("local[4]", 2));
        assertEquals(3, SparkSessions.defaultShufflePartitions("local[3,2]", 2));
        assertEquals(2, SparkSessions.defaultShufflePartitions("local[*,4]", 2));
        assertEquals(1, SparkSessions.defaultShufflePartitions("local", 2));
        assertEquals(8, SparkSessions.defaultShufflePartitions("local[32]", 2));
        assertEquals(8, SparkSessions.defaultShufflePartitions("local-cluster[2,1,1024]", 2));
        assertEquals(8, SparkSessions.defaultShufflePartitions("spark://master:7077", 2));
        assertEquals(8, SparkSessions.defaultShufflePartitions("yarn", 2));
        assertEquals(8, SparkSessions.defaultShufflePartitions("k8s://https://api:6443", 2));
    }

    @Test
    void metricsAreServedInPrometheusFormatUnderTheAppsOwnNamespace() {
        assertEquals(Map.of(
                        "spark.metrics.namespace", "orders_consumer",
                        "spark.sql.streaming.metricsEnabled", "true",
                        "spark.metrics.conf.*.sink.prometheusServlet.class",
                        "org.apache.spark.metrics.sink.PrometheusServlet",
                        "spark.metrics.conf.*.sink.prometheusServlet.path", "/metrics/prometheus"),
                SparkSessions.monitoring("orders-consumer", new SparkConf(false)));
    }

    @Test
    void whatTheUserSetIsLeftAsItIs() {
        SparkConf submitted = new SparkConf(false)
                .set("spark.metrics.namespace", "shop")
                .set("spark.metrics.conf.*.sink.prometheusServlet.path", "/prom");

        assertEquals(Map.of(
                        "spark.sql.streaming.metricsEnabled", "true",
                        "spark.metrics.conf.*.sink.prometheusServlet.class",
                        "org.apache.spark.metrics.sink.PrometheusServlet"),
                SparkSessions.monitoring("orders-producer", submitted));
    }

    @Test
    void aMetricsFileOfTheUsersOwnKeepsItsSinks() {
        SparkConf submitted = new SparkConf(false).set("spark.metrics.conf", "/etc/spark/metrics.properties");

        assertEquals(Map.of(
                        "spark.metrics.namespace", "orders_producer",
                        "spark.sql.streaming.metricsEnabled", "true"),
                SparkSessions.monitoring("orders-producer", submitted));
    }
}
