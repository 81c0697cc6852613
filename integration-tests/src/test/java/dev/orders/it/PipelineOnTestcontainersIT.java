package dev.orders.it;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The pipeline scenarios against Testcontainers' Kafka (the official apache/kafka image). Runs where a
 * Docker engine answers; elsewhere JUnit reports it as skipped, and the same scenarios still run against
 * the local broker in {@link PipelineEndToEndIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class PipelineOnTestcontainersIT extends PipelineScenarios {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1");

    @Override
    protected TestKafka kafka() {
        return new TestKafka(KAFKA.getBootstrapServers());
    }
}
