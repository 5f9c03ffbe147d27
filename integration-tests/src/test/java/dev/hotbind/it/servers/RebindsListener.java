package dev.hotbind.it.servers;

import dev.hotbind.it.apps.Replies;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.RunningServer;
import dev.hotbind.it.rebind.Rebinds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3 on a real server under connection churn: the rebind suite ({@link Rebinds}) on the
 * application's own listener while it keeps serving, and refused operations leave it as it was.
 */
interface RebindsListener extends ServerUnderTest {
    int CHURN_THREADS = 2;

    @Order(10)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void fiftyRebindsUnderChurnFailNoRequest(Setup setup) throws Exception {
        List<Long> micros = new ArrayList<>();
        Rebinds.rebindsUnderChurnFailNoRequest(serving(setup), CHURN_THREADS, micros);
        Collections.sort(micros);
        System.out.println(setup + ": median rebind " + micros.get(micros.size() / 2) + " µs, max "
                + micros.get(micros.size() - 1) + " µs");
    }

    @Order(11)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void rebindToMovesThePortAndTheClientFollows(Setup setup) throws Exception {
        Rebinds.rebindToMovesThePortAndTheClientFollows(serving(setup), Http.HOST, CHURN_THREADS);
    }

    @Order(12)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void unbindRefusesAndRebindServesAgain(Setup setup) throws Exception {
        Rebinds.unbindRefusesAndRebindServesAgain(serving(setup));
    }

    @Order(13)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void rebindToAnAddressThatCannotBeBoundFailsAndKeepsServing(Setup setup) throws Exception {
        Rebinds.unbindableAddressesFailAndKeepServing(serving(setup), CHURN_THREADS);
    }

    @Order(14)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void malformedAddressesFailWithTheReason(Setup setup) throws Exception {
        Rebinds.malformedAddressesFailWithTheReason(serving(setup));
    }

    /** The server once it answers (the tests before may have left it a moment from serving). */
    private RunningServer serving(Setup setup) throws Exception {
        RunningServer server = server(setup);
        try {
            Poll.until("the listener serving on port " + server.port(), () -> Replies.BODY.equals(quietGet(server)));
        } catch (AssertionError notServing) {
            throw new AssertionError(notServing.getMessage() + "; listener state " + server.attribute("State")
                    + "\n--- target output:\n" + server.target().output(), notServing);
        }
        return server;
    }

    private static String quietGet(RunningServer server) {
        try {
            return server.get("/");
        } catch (IOException e) {
            return null;
        }
    }
}
