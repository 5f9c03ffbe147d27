package dev.hotbind.cli;

import java.io.Console;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.ObjectName;

/**
 * {@code drain <pid> <listenerId|all> <timeout>}. The drain runs inside the target while this command
 * waits for its answer; on a terminal a progress line shows the connections still open and the time
 * left until the rest are force-closed. Piped, only the answer is printed.
 */
final class DrainCommand {
    private static final long PROGRESS_MILLIS = 250;

    private DrainCommand() {
    }

    static void run(Args args, PrintStream out) throws CliError {
        args.expect(3, 3);
        boolean all = args.text(1).equals("all");
        long id = all ? 0 : args.listenerId(1);
        long timeoutMillis = args.durationMillis(2, "timeout");
        long pid = args.pid(0);
        try (TargetConnection target = TargetConnection.attach(pid)) {
            HotbindMBeans hotbind = HotbindMBeans.in(target);
            MBeanReads reads = new MBeanReads(target);
            List<ObjectName> watched = all ? reads.listeners() : List.of(hotbind.listener(id));
            FutureTask<Object> answer = new FutureTask<>(() -> all ? reads.invokeAgent("drainAll", timeoutMillis)
                    : hotbind.invoke(id, "drain", timeoutMillis));
            Thread waiting = new Thread(answer, "hotbind-drain");
            waiting.setDaemon(true);
            waiting.start();
            Object done = await(answer, interactive() && !args.json()
                    ? new Progress(reads, watched, timeoutMillis, out) : null);
            OperationAnswer.print(done, args.json(), out);
        }
    }

    private static Object await(FutureTask<Object> answer, Progress progress) throws CliError {
        try {
            while (true) {
                try {
                    Object done = answer.get(PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
                    if (progress != null) {
                        progress.clear();
                    }
                    return done;
                } catch (TimeoutException stillDraining) {
                    if (progress != null) {
                        progress.show();
                    }
                }
            }
        } catch (ExecutionException e) {
            if (progress != null) {
                progress.clear();
            }
            if (e.getCause() instanceof CliError) {
                throw (CliError) e.getCause();
            }
            throw CliError.failed("drain failed: " + CliError.rootCause(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliError.failed("interrupted while the drain ran; it goes on in the target");
        }
    }

    /**
     * Whether stdout is an operator's terminal. JDK 22+ has a console also when piped, and says by
     * {@code Console.isTerminal()} whether it is one; before, a console exists only on a terminal.
     */
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true;
        }
    }

    /** The line a terminal shows while the drain runs, rewritten in place. */
    private static final class Progress {
        private final MBeanReads reads;
        private final List<ObjectName> listeners;
        private final long deadline;
        private final PrintStream out;
        private int width;

        Progress(MBeanReads reads, List<ObjectName> listeners, long timeoutMillis, PrintStream out) {
            this.reads = reads;
            this.listeners = listeners;
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            this.out = out;
        }

        void show() throws CliError {
            int remaining = 0;
            int draining = 0;
            for (ObjectName listener : listeners) {
                Object left = reads.attributes(listener, List.of("DrainRemaining")).get("DrainRemaining");
                if (left instanceof Integer && (Integer) left >= 0) {
                    remaining += (Integer) left;
                    draining++;
                }
            }
            long leftMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            String line = "draining " + draining + " listener(s): " + remaining + " connection(s) still open, "
                    + "force-close in " + String.format(java.util.Locale.ROOT, "%.1f", leftMillis / 1000.0) + " s";
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            out.flush();
            width = line.length();
        }

        void clear() {
            if (width > 0) {
                out.print("\r" + " ".repeat(width) + "\r");
                out.flush();
            }
        }
    }
}
