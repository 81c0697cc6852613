package dev.orders.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchGateTest {

    @Test
    void anOpenGateRunsTheBatch() throws Exception {
        BatchGate gate = new BatchGate();
        AtomicInteger written = new AtomicInteger();
        gate.pass(written::incrementAndGet);
        gate.pass(written::incrementAndGet);
        assertEquals(2, written.get());
    }

    @Test
    void aBatchAtAClosedGateWritesNothingAndWaitsUntilTheStopInterruptsIt() throws Exception {
        BatchGate gate = new BatchGate();
        gate.close();
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread batch = new Thread(() -> {
            try {
                gate.pass(written::incrementAndGet);
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        batch.start();
        while (batch.getState() != Thread.State.WAITING) {
            assertTrue(batch.isAlive(), "the batch ended at a closed gate");
            Thread.sleep(1);
        }
        assertFalse(ended.isDone());
        batch.interrupt(); // what StreamingQuery.stop() does to the query's thread
        assertTrue(ended.get(30, TimeUnit.SECONDS) instanceof InterruptedException);
        assertEquals(0, written.get());

        gate.open(); // queries started again after a failure
        gate.pass(written::incrementAndGet);
        assertEquals(1, written.get());
    }
}
