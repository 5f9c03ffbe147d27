package dev.hotbind.cli;

/** Ends a command with one line for the operator and the exit code that says which kind of failure. */
final class CliError extends Exception {
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliError(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** The operator typed something malformed; nothing was sent to any JVM. */
    static CliError usage(String message) {
        return new CliError(USAGE, message);
    }

    /** The command was well formed but the operation could not be done. */
    static CliError failed(String message) {
        return new CliError(FAILED, message);
    }

    /** The innermost cause of {@code t} on one line: remote exceptions nest and span lines. */
    static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.replaceAll("\\s*\\R\\s*", " ");
    }

    int exitCode() {
        return exitCode;
    }
}
