package dev.orders.common.cli;

/** A command line the app cannot run with. Apps print the message on one line and exit with code 2. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
