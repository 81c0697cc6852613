package dev.orders.common.lifecycle;

import dev.orders.common.KafkaUnreachableException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Tells a failure that waiting for Kafka can cure (a broker down or restarting, a timeout) from one it
 * cannot (bad credentials, a bug, bad data). Spark wraps what a task threw in its own exceptions, and a task
 * failure may reach the driver only as text in a message, so the whole cause chain is searched, messages
 * included.
 */
public final class RetriableKafkaErrors {
    /** What the Kafka producer says when the broker it needs has not answered within max.block.ms. */
    static final String NOT_IN_METADATA = "not present in metadata";
    private static final String TIMEOUT_CLASS = TimeoutException.class.getName();
    private static final String KAFKA_ERRORS_PACKAGE = "org.apache.kafka.common.errors.";

    /**
     * The throwable of the chain that makes the failure retriable, if there is one: a Kafka exception itself
     * where the chain holds one, else the first that names one in its message.
     */
    public static Optional<Throwable> retriableCause(Throwable failure) {
        List<Throwable> chain = chain(failure);
        return chain.stream().filter(t -> t instanceof RetriableException || t instanceof KafkaUnreachableException)
                .findFirst()
                .or(() -> chain.stream().filter(RetriableKafkaErrors::mentionsRetriable).findFirst());
    }

    public static boolean isRetriable(Throwable failure) {
        return retriableCause(failure).isPresent();
    }

    /**
     * One line for the log, without a stack trace: {@code TimeoutException: Topic t not present in metadata
     * after 60000 ms.}, from the Kafka exception or from the message that names it.
     */
    public static String describe(Throwable failure) {
        Throwable cause = retriableCause(failure).orElse(failure);
        String message = String.valueOf(cause.getMessage());
        int named = message.lastIndexOf(KAFKA_ERRORS_PACKAGE);
        String text = named >= 0 && !(cause instanceof RetriableException)
                ? message.substring(named + KAFKA_ERRORS_PACKAGE.length())
                : cause.getClass().getSimpleName() + ": " + message;
        return text.lines().findFirst().orElse("");
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static boolean mentionsRetriable(Throwable t) {
        String message = t.getMessage();
        return message != null && (message.contains(NOT_IN_METADATA) || message.contains(TIMEOUT_CLASS));
    }

    private RetriableKafkaErrors() {
    }
}
