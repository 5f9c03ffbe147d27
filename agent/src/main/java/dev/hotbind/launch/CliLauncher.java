package dev.hotbind.launch;

/** The agent jar's {@code Main-Class}: runs the CLI from the same isolated core as the agent. */
public final class CliLauncher {
    private CliLauncher() {
    }

    public static void main(String[] args) throws Exception {
        CoreLoader.call(CoreLoader.create(true), "dev.hotbind.cli.Main", "main", new Class<?>[] {String[].class},
                (Object) args);
    }
}
