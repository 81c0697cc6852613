package dev.orders.common.cli;

import java.util.function.Supplier;

/** The apps' start: parse the command line, or print help (exit 0) or one error line (exit 2). */
public final class CommandLineApp {
    public static final int USAGE_ERROR = 2;

    public static <T> T parseOrExit(CommandLine commandLine, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (HelpRequested help) {
            System.out.print(commandLine.usage());
            System.exit(0);
        } catch (UsageException e) {
            System.err.println(commandLine.program() + ": " + e.getMessage() + " (see --help)");
            System.exit(USAGE_ERROR);
        }
        throw new AssertionError("unreachable");
    }

    private CommandLineApp() {
    }
}
