package dev.orders.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerProcessTest {

    @Test
    void startsOnLoopbackAndComesBackOnTheSamePortAfterAKill(@TempDir Path dataDir) throws IOException {
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir,
                KafkaBrokerProcess.Options.defaults().withTopics("orders", "orders_dlq:3"));
        String bootstrap = broker.bootstrapServers();
        try {
            assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
            assertTrue(accepts(bootstrap));
            String log = Files.readString(dataDir.resolve("broker.log"));
            assertTrue(log.contains("topics=[orders, orders_dlq]"), log);

            broker.kill();
            assertFalse(broker.isAlive());
            assertFalse(accepts(bootstrap));

            broker = broker.restart();
            assertEquals(bootstrap, broker.bootstrapServers());
            assertTrue(accepts(bootstrap));
        } finally {
            broker.close();
        }
        assertFalse(broker.isAlive());
    }

    private static boolean accepts(String bootstrap) {
        String[] hostPort = bootstrap.split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
