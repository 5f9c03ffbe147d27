package dev.hotbind.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Each advice is woven into exactly the JDK methods it is meant for, on JDK 17 and on JDK 25: the
 * Hooks calls found in the woven class files, method by method, are the expected ones and no others.
 */
class WeavingTest {
    private static final Path JDK_25 = Path.of(System.getProperty("hotbind.jdk25",
            "/usr/lib/jvm/temurin-25-jdk-amd64"));
    private static final Set<String> ACCEPT = Set.of("acceptEnter", "acceptExit");
    private static final Set<String> BIND = Set.of("binding", "bindFailed", "retriedBindSucceeded", "bound");

    /** The JDK class and method (name and parameters), then the Hooks methods its code calls. */
    private static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
            Map.entry("java/net/ServerSocket.bind(Ljava/net/SocketAddress;I)", BIND),
            Map.entry("java/net/ServerSocket.implAccept(Ljava/net/Socket;)", ACCEPT),
            Map.entry("java/net/ServerSocket.accept()", Set.of("acceptOnClosed")),
            Map.entry("java/net/ServerSocket.close()", Set.of("serverClosing")),
            Map.entry("sun/nio/ch/ServerSocketChannelImpl.bind(Ljava/net/SocketAddress;I)", BIND),
            Map.entry("sun/nio/ch/ServerSocketChannelImpl.accept()", ACCEPT),
            Map.entry("sun/nio/ch/ServerSocketChannelImpl.blockingAccept(J)", ACCEPT),
            Map.entry("sun/nio/ch/ServerSocketChannelImpl.implCloseSelectableChannel()", Set.of("serverClosing")),
            Map.entry("java/net/Socket.close()", Set.of("connectionClosing")),
            Map.entry("sun/nio/ch/SocketChannelImpl.implCloseSelectableChannel()", Set.of("connectionClosing")),
            Map.entry("java/lang/ProcessBuilder.start([Ljava/lang/ProcessBuilder$Redirect;)", Set.of("childStarting")));

    @Test
    void eachAdviceIsWovenIntoItsMethodsOnTheBuildJdk() throws IOException {
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of())) {
            assertWoven(jrt);
        }
    }

    @Test
    void eachAdviceIsWovenIntoItsMethodsOnJdk25() throws IOException {
        assertTrue(Files.isDirectory(JDK_25), "JDK 25 not found at " + JDK_25 + " (set -Dhotbind.jdk25)");
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"),
                Map.of("java.home", JDK_25.toString()))) {
            assertWoven(jrt);
        }
    }

    private static void assertWoven(FileSystem jrt) throws IOException {
        Map<String, Set<String>> found = new TreeMap<>();
        for (Weaving weaving : Weaving.ALL) {
            byte[] classFile = Files.readAllBytes(jrt.getPath("modules", "java.base", weaving.internalName() + ".class"));
            assertEquals(Map.of(), hookCalls(classFile), weaving.typeName() + " calls Hooks before weaving");
            found.putAll(hookCalls(Weaver.weave(weaving, classFile)));
        }
        assertEquals(new TreeMap<>(EXPECTED), found, "Hooks calls per JDK method in " + jrt);
    }

    /** The methods of a class file that call Hooks, with the Hooks methods they call. */
    private static Map<String, Set<String>> hookCalls(byte[] classFile) {
        Map<String, Set<String>> calls = new TreeMap<>();
        ClassReader reader = new ClassReader(classFile);
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                String method = reader.getClassName() + "." + name + descriptor.substring(0, descriptor.indexOf(')') + 1);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String called, String calledDescriptor,
                                                boolean isInterface) {
                        if (owner.equals("dev/hotbind/bootstrap/Hooks")) {
                            calls.computeIfAbsent(method, m -> new TreeSet<>()).add(called);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return calls;
    }
}
