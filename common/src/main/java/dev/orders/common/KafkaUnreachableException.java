package dev.orders.common;

/** No Kafka broker answered the start-up check: at the first start one line and exit 1, on a restart a retry. */
public class KafkaUnreachableException extends StartupException {
    private static final long serialVersionUID = 1L;

    public KafkaUnreachableException(String message) {
        super(message);
    }
}
