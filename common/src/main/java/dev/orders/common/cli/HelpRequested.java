package dev.orders.common.cli;

/** Thrown by the parser on {@code --help}: the app prints its usage and exits 0. */
public class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HelpRequested() {
        super("help requested", null, false, false);
    }
}
