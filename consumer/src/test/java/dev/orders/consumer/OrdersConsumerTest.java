package dev.orders.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrdersConsumerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "hdfs://nn:8020/ck|hdfs://nn:8020/ck/orders",
        "s3a://bucket/ck|s3a://bucket/ck/orders",
        "s3a://bucket/ck/|s3a://bucket/ck/orders",
        "file:/tmp/ck|file:/tmp/ck/orders",
        "/tmp/ck|/tmp/ck/orders",
        "checkpoints/consumer|checkpoints/consumer/orders",
    })
    void eachQueryCheckpointIsJoinedWithoutLosingTheScheme(String checkpointDir, String expected) {
        assertEquals(expected, OrdersConsumer.queryCheckpoint(checkpointDir, "orders"));
    }
}
