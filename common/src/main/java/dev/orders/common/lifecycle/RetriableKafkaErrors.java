package dev.orders.common.lifecycle;

import dev.orders.common.KafkaUnreachableException;
import java.util.IdentityHashMap;
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

    /** The first throwable of the chain that makes the failure retriable, if there is one. */
    public static Optional<Throwable> retriableCause(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof KafkaUnreachableException || mentionsRetriable(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static boolean isRetriable(Throwable failure) {
        return retriableCause(failure).isPresent();
    }

    /** One line for the log: the retriable cause's class and message, without a stack trace. */
    public static String describe(Throwable failure) {
        Throwable cause = retriableCause(failure).orElse(failure);
        String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        return cause.getClass().getSimpleName() + ": " + message;
    }

    private static boolean mentionsRetriable(Throwable t) {
        String message = t.getMessage();
        return message != null && (message.contains(NOT_IN_METADATA) || message.contains(TIMEOUT_CLASS));
    }

    private RetriableKafkaErrors() {
    }
}
