package dev.orders.it;

/** The pipeline scenarios against a real Apache Kafka broker (KRaft) started by the tests on loopback. */
class PipelineEndToEndIT extends PipelineScenarios {
    @Override
    protected TestKafka kafka() {
        return TestKafka.local();
    }
}
