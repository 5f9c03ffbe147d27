package dev.hotbind.launch;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Finds the agent jar this class came from and calls into the core loaded from it. */
final class CoreLoader {
    private CoreLoader() {
    }

    static AgentClassLoader create(boolean bootstrapFromJar) throws IOException {
        return new AgentClassLoader(agentJar(), bootstrapFromJar);
    }

    /** Calls a public static method of the core, rethrowing what it throws as itself. */
    static void call(ClassLoader core, String className, String method, Class<?>[] types, Object... args)
            throws Exception {
        Method target;
        try {
            target = Class.forName(className, true, core).getMethod(method, types);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the hotbind agent jar lacks " + className + "." + method
                    + " under " + AgentClassLoader.CORE + ": " + e, e);
        }
        try {
            target.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }

    private static Path agentJar() throws IOException {
        try {
            File file = new File(CoreLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!file.isFile()) {
                throw new IOException("hotbind must run from its jar, not from " + file);
            }
            return file.toPath();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IOException("cannot locate the hotbind agent jar: " + e, e);
        }
    }
}
