package dev.orders.common;

/** A problem found before the query starts (a missing file, say): one line on stderr and exit code 1. */
public class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
