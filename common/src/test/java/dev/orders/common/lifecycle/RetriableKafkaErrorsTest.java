package dev.orders.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.KafkaUnreachableException;
import dev.orders.common.StartupException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

class RetriableKafkaErrorsTest {

    @Test
    void aKafkaTimeoutOrRetriableErrorAnywhereInTheCauseChainIsRetriable() {
        assertTrue(RetriableKafkaErrors.isRetriable(new TimeoutException("Timed out waiting for a node assignment")));
        assertTrue(RetriableKafkaErrors.isRetriable(new SparkException("Job aborted",
                new ExecutionException(new NetworkException("Disconnected from node 1")))));
        assertTrue(RetriableKafkaErrors.isRetriable(new IllegalStateException("batch 3 failed",
                new SparkException("Job aborted", new TimeoutException("Topic t not present in metadata after 60000 ms.")))));
    }

    @Test
    void aTaskFailureKnownOnlyByItsMessageIsRetriableWhenTheMessageNamesAKafkaTimeout() {
        assertTrue(RetriableKafkaErrors.isRetriable(new SparkException("Job aborted due to stage failure: Task 0 in"
                + " stage 3.0 failed 1 times, most recent failure: Lost task 0.0 (TID 3) (127.0.0.1 executor driver):"
                + " org.apache.kafka.common.errors.TimeoutException: Topic order_details_dlq not present in metadata"
                + " after 60000 ms.")));
        assertTrue(RetriableKafkaErrors.isRetriable(new RuntimeException("Topic x not present in metadata after 1 ms.")));
    }

    @Test
    void theStartUpCheckFindingNoBrokerIsRetriableButOtherStartUpErrorsAreNot() {
        assertTrue(RetriableKafkaErrors.isRetriable(
                new KafkaUnreachableException("no Kafka broker answered at 127.0.0.1:9 within 10 s (TimeoutException)")));
        assertFalse(RetriableKafkaErrors.isRetriable(new StartupException("orders folder not found: /x")));
    }

    @Test
    void otherFailuresAreNotRetriable() {
        assertFalse(RetriableKafkaErrors.isRetriable(new SparkException("Job aborted",
                new AuthenticationException("Authentication failed: Invalid username or password"))));
        assertFalse(RetriableKafkaErrors.isRetriable(new SparkException("Job aborted",
                new RecordTooLargeException("The message is 2000000 bytes"))));
        assertFalse(RetriableKafkaErrors.isRetriable(new NullPointerException()));
        // Spark's own timeout waiting for a query to start is not Kafka's.
        assertFalse(RetriableKafkaErrors.isRetriable(new java.util.concurrent.TimeoutException("Stream start timed out")));
    }

    @Test
    void aCycleInTheCauseChainEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertFalse(RetriableKafkaErrors.isRetriable(first));
    }

    @Test
    void theDescriptionOfAFailureKnownByItsMessageIsTheKafkaPartOfIt() {
        assertEquals("TimeoutException: Expiring 76 record(s) for order_details-0:16001 ms has passed since batch"
                + " creation", RetriableKafkaErrors.describe(new RuntimeException("[STREAM_FAILED] Query [id = 1]"
                + " terminated with exception: Job aborted due to stage failure: Task 0 in stage 31.0 failed 1 times,"
                + " most recent failure: Lost task 0.0 in stage 31.0 (TID 82) (localhost executor driver):"
                + " org.apache.kafka.common.errors.TimeoutException: Expiring 76 record(s) for order_details-0:16001"
                + " ms has passed since batch creation\nDriver stacktrace:")));
    }

    @Test
    void theDescriptionIsTheRetriableCauseOnOneLine() {
        assertEquals("TimeoutException: Topic t not present in metadata after 10000 ms.",
                RetriableKafkaErrors.describe(new SparkException("Job aborted: org.apache.kafka.common.errors."
                        + "TimeoutException: Topic t not present in metadata after 10000 ms.\nat line 2",
                        new TimeoutException("Topic t not present in metadata after 10000 ms.\nmore"))));
    }
}
