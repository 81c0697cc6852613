package dev.orders.common;

import dev.orders.common.options.CommonOptions;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Asks Kafka for its cluster id before a query starts. Without it, a wrong address or wrong credentials
 * show up only when the first batch runs, as a retry loop in Spark's logs; with it, the app stops at once
 * with one line that says what is wrong.
 */
public final class KafkaConnectivity {

    public static void check(CommonOptions options) {
        Duration timeout = options.kafkaTimeout();
        try (Admin admin = Admin.create(adminConfig(options))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                throw new StartupException("Kafka at " + options.bootstrapServers() + " refused the credentials: "
                        + cause.getMessage());
            }
            if (cause instanceof AuthorizationException) {
                throw new StartupException("Kafka at " + options.bootstrapServers() + " denied access: "
                        + cause.getMessage());
            }
            throw unreachable(options, timeout, cause);
        } catch (TimeoutException e) {
            throw unreachable(options, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while connecting to Kafka", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new StartupException("cannot connect to Kafka at " + options.bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
    }

    /** What an admin client of these options connects with: their brokers and client properties, their timeout. */
    public static Properties adminConfig(CommonOptions options) {
        Duration timeout = options.kafkaTimeout();
        Properties config = new Properties();
        config.putAll(options.kafka().asClientProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        return config;
    }

    private static StartupException unreachable(CommonOptions options, Duration timeout, Throwable cause) {
        return new KafkaUnreachableException("no Kafka broker answered at " + options.bootstrapServers() + " within "
                + timeout.toSeconds() + " s (" + cause.getClass().getSimpleName() + ")");
    }

    private KafkaConnectivity() {
    }
}
