package dev.hotbind.cli;

import java.io.PrintStream;
import javax.management.MBeanException;
import javax.management.openmbean.CompositeData;

/**
 * An operation's answer as the CLI prints it: its {@code summary}, one fact per line, or with
 * {@code --json} every field the agent reported. And the CLI's reading of a failed operation: the
 * agent throws JDK exceptions only, {@link IllegalArgumentException} for a bad argument (exit 2, the
 * operator's input; nothing was done) and {@link IllegalStateException} for a refusal (exit 1).
 */
final class OperationAnswer {
    private OperationAnswer() {
    }

    static void print(Object answer, boolean json, PrintStream out) {
        if (json) {
            out.print(Json.of(answer));
        } else if (answer instanceof CompositeData data && data.containsKey("summary")) {
            out.println(data.get("summary"));
        } else {
            // an agent older than structured answers answers in words
            out.println(answer);
        }
    }

    static CliError failure(MBeanException e) {
        Throwable cause = e.getTargetException();
        String message = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
        return cause instanceof IllegalArgumentException ? CliError.usage(message) : CliError.failed(message);
    }
}
