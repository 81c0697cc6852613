package dev.orders.common.lifecycle;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link BatchGate} of each query of an app that has one, by query name. */
public final class BatchGates {
    private final Map<String, BatchGate> gates = new ConcurrentHashMap<>();

    /** The gate of the query of this name, the same one across restarts. */
    public BatchGate of(String queryName) {
        return gates.computeIfAbsent(queryName, name -> new BatchGate());
    }

    Optional<BatchGate> find(String queryName) {
        return Optional.ofNullable(queryName).map(gates::get);
    }

    void closeAll() {
        gates.values().forEach(BatchGate::close);
    }

    void openAll() {
        gates.values().forEach(BatchGate::open);
    }
}
