package dev.orders.local;

/** The two apps, as spark-submit knows them. */
public enum SparkApp {
    PRODUCER("producer", "orders-producer", "dev.orders.producer.OrdersProducerApp"),
    CONSUMER("consumer", "orders-consumer", "dev.orders.consumer.OrdersConsumerApp");

    private final String module;
    private final String artifactId;
    private final String mainClass;

    SparkApp(String module, String artifactId, String mainClass) {
        this.module = module;
        this.artifactId = artifactId;
        this.mainClass = mainClass;
    }

    public String module() {
        return module;
    }

    public String artifactId() {
        return artifactId;
    }

    public String mainClass() {
        return mainClass;
    }
}
