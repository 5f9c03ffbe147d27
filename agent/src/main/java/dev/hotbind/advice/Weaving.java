package dev.hotbind.advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which advice goes on which methods of one JDK class. Matchers compare names only, never a
 * {@code Class} literal: describing a parameter type must not load it (loading {@code java.net.Socket}
 * at {@code premain} would force a retransformation of it later).
 */
record Weaving(String typeName, List<On> advice) {

    /** One advice class and the methods of the JDK class it is woven into. */
    record On(Class<?> adviceClass, ElementMatcher<? super MethodDescription> methods) {
    }

    private static final ElementMatcher.Junction<MethodDescription> BIND =
            named("bind").and(takesArguments(2)).and(takesArgument(0, named("java.net.SocketAddress")));

    /** Every JDK class hotbind instruments, with all of its advice. */
    static final List<Weaving> ALL = List.of(
            new Weaving("java.net.ServerSocket", List.of(
                    new On(BindAdvice.class, BIND),
                    new On(SocketAcceptAdvice.class, named("implAccept").and(takesArguments(1))
                            .and(takesArgument(0, named("java.net.Socket")))),
                    new On(ClosedAcceptAdvice.class, named("accept").and(takesArguments(0))),
                    new On(ServerCloseAdvice.class, named("close").and(takesArguments(0))))),
            new Weaving("sun.nio.ch.ServerSocketChannelImpl", List.of(
                    new On(BindAdvice.class, BIND),
                    new On(ChannelAcceptAdvice.class, named("accept").and(takesArguments(0))
                            .or(named("blockingAccept").and(takesArguments(1)))),
                    new On(ServerCloseAdvice.class, named("implCloseSelectableChannel")))),
            new Weaving("java.net.Socket", List.of(
                    new On(ConnectionCloseAdvice.class, named("close").and(takesArguments(0))))),
            new Weaving("sun.nio.ch.SocketChannelImpl", List.of(
                    new On(ConnectionCloseAdvice.class, named("implCloseSelectableChannel")))),
            new Weaving("java.lang.ProcessBuilder", List.of(
                    new On(ChildProcessAdvice.class, named("start").and(takesArguments(1))
                            .and(takesArgument(0, named("java.lang.ProcessBuilder$Redirect[]")))))));

    /** The four socket classes: all a JVM without inherited sockets needs woven. */
    static final List<Weaving> SOCKETS = ALL.subList(0, 4);

    String internalName() {
        return typeName.replace('.', '/');
    }
}
