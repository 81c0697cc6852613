package dev.orders.common.options;

import dev.orders.common.cli.UsageException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Kafka client properties given as {@code --kafka-option key=value} (SASL, SSL, timeouts...), passed
 * through to Spark's Kafka source and sink as {@code kafka.key}. Values of secret-looking keys are
 * masked whenever the options are printed.
 */
public final class KafkaClientOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "jaas", "token", "credential");

    private final Map<String, String> properties;

    private KafkaClientOptions(Map<String, String> properties) {
        this.properties = properties;
    }

    public static KafkaClientOptions parse(List<String> keyValues) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String keyValue : keyValues) {
            int equals = keyValue.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--kafka-option must be key=value, not '" + mask(keyValue) + "'");
            }
            String key = keyValue.substring(0, equals).trim();
            if (key.startsWith("kafka.")) {
                key = key.substring("kafka.".length());
            }
            properties.put(key, keyValue.substring(equals + 1));
        }
        return new KafkaClientOptions(Map.copyOf(properties));
    }

    /** The properties as Spark's Kafka source and sink options ({@code kafka.} prefix). */
    public Map<String, String> asSparkOptions() {
        return properties.entrySet().stream()
                .collect(Collectors.toMap(e -> "kafka." + e.getKey(), Map.Entry::getValue));
    }

    /**
     * Spark Kafka source or sink options for this broker: the app's own client defaults, then these
     * properties over them.
     */
    public Map<String, String> asSparkOptions(String bootstrapServers, Map<String, String> defaults) {
        Map<String, String> kafka = new HashMap<>();
        kafka.put("kafka.bootstrap.servers", bootstrapServers);
        defaults.forEach((key, value) -> kafka.put("kafka." + key, value));
        kafka.putAll(asSparkOptions());
        return kafka;
    }

    /** The properties as a plain Kafka client would take them. */
    public Map<String, String> asClientProperties() {
        return properties;
    }

    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    /** For logs: {@code security.protocol=SASL_PLAINTEXT, sasl.jaas.config=****}. */
    @Override
    public String toString() {
        return properties.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "****" : e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String mask(String keyValue) {
        return isSecret(keyValue) ? "****" : keyValue;
    }
}
