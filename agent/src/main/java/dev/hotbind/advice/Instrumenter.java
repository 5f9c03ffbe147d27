package dev.hotbind.advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.Instrumentation;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the advice into the JDK's socket classes, at load time or by retransforming the ones already
 * loaded. Only method bodies change (no new members), so retransformation works after an attach.
 */
public final class Instrumenter {
    private Instrumenter() {
    }

    public static void install(Instrumentation instrumentation) {
        ElementMatcher.Junction<MethodDescription> bind =
                named("bind").and(takesArguments(2)).and(takesArgument(0, SocketAddress.class));
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(new FailureReporter())
                .ignore(none())
                .type(named("java.net.ServerSocket"))
                .transform(visiting(advice(BindAdvice.class, bind),
                        advice(SocketAcceptAdvice.class,
                                named("implAccept").and(takesArguments(1)).and(takesArgument(0, Socket.class))),
                        advice(ClosedAcceptAdvice.class, named("accept").and(takesArguments(0))),
                        advice(ServerCloseAdvice.class, named("close").and(takesArguments(0)))))
                .type(named("sun.nio.ch.ServerSocketChannelImpl"))
                .transform(visiting(advice(BindAdvice.class, bind),
                        advice(ChannelAcceptAdvice.class, named("accept").and(takesArguments(0))
                                .or(named("blockingAccept").and(takesArguments(1)))),
                        advice(ServerCloseAdvice.class, named("implCloseSelectableChannel"))))
                .type(named("java.net.Socket"))
                .transform(visiting(advice(ConnectionCloseAdvice.class, named("close").and(takesArguments(0)))))
                .type(named("sun.nio.ch.SocketChannelImpl"))
                .transform(visiting(advice(ConnectionCloseAdvice.class, named("implCloseSelectableChannel"))))
                .installOn(instrumentation);
    }

    private static AsmVisitorWrapper advice(Class<?> adviceClass, ElementMatcher<? super MethodDescription> methods) {
        return Advice.to(adviceClass).on(methods);
    }

    /** All advice for one JDK class, applied in a single transformation. */
    private static AgentBuilder.Transformer visiting(AsmVisitorWrapper... wrappers) {
        AsmVisitorWrapper all = new AsmVisitorWrapper.Compound(wrappers);
        return (builder, type, loader, module, domain) -> builder.visit(all);
    }

    /** Reports a class that could not be instrumented, once; the other classes keep working. */
    private static final class FailureReporter extends AgentBuilder.Listener.Adapter {
        private final Set<String> reported = ConcurrentHashMap.newKeySet();

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            if (reported.add(typeName)) {
                System.err.println("hotbind: could not instrument " + typeName + " (" + throwable
                        + "); listeners of that kind are not seen, everything else keeps working");
            }
        }
    }
}
