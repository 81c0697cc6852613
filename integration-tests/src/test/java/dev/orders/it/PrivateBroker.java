package dev.orders.it;

import dev.orders.kafka.KafkaBrokerProcess;
import dev.orders.local.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A broker of a test class's own, for tests that kill it and start it again (the shared
 * {@link TestKafka#local()} must stay up for every other test): started before the class's tests on a data
 * folder of its own, stopped and removed after them. Register it with {@code @RegisterExtension}.
 */
final class PrivateBroker implements BeforeAllCallback, AfterAllCallback {
    private Path dataDir;
    private KafkaBrokerProcess process;
    private TestKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("orders-private-kafka");
        process = KafkaBrokerProcess.start(dataDir.resolve("kafka"), KafkaBrokerProcess.Options.defaults());
        kafka = new TestKafka(process.bootstrapServers());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (dataDir == null) {
            return; // the folder could not be made, so no broker was started either
        }
        try {
            if (process != null) {
                process.close();
            }
        } finally {
            FileTrees.deleteRecursively(dataDir);
        }
    }

    TestKafka kafka() {
        return kafka;
    }

    /** As kill -9 would. */
    void kill() {
        process.kill();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Started again on the same port and data. */
    void restart() throws IOException {
        process = process.restart();
    }
}
