package dev.hotbind.it.exporters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotbind.it.apps.LineApp;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.FreePort;
import dev.hotbind.it.harness.JavaAgents;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Jolokia JVM agent (org.jolokia:jolokia-agent-jvm, javaagent) beside hotbind: the requests of
 * docs/jolokia.md, read from that file and sent in its order over HTTP on loopback, answer what the
 * document says: every listener through a pattern read, one by its id, its connections, a rebind and a
 * drain through the exact name a search by id answers.
 */
class JolokiaIT {
    private static final String DOC = "jolokia.md";
    /** A curl line of the document: optional {@code VAR=$(}, the URL in double quotes, an optional body. */
    private static final Pattern CURL = Pattern.compile(
            "^(?:(\\w+)=\\$\\()?curl -s \"([^\"]+)\"(?: -d '(.*)')?(?: \\| jq -r '([^']+)'\\))?$");

    /** One request of the document, in its order. */
    private record Request(String assignTo, String url, String body, String jq) {
        String url(Map<String, String> vars) {
            return substitute(url, vars);
        }

        /** The body as the shell builds it: {@code '"$NAME"'} leaves the single quotes to insert the name. */
        String body(Map<String, String> vars) {
            return substitute(body.replace("'\"$NAME\"'", "$NAME"), vars);
        }

        private static String substitute(String text, Map<String, String> vars) {
            String out = text;
            for (Map.Entry<String, String> v : vars.entrySet()) {
                out = out.replace("$" + v.getKey(), v.getValue());
            }
            return out;
        }
    }

    @ParameterizedTest(name = "{0}, hotbind by {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void theDocumentedRequestsReadRebindAndDrainAListener(Jdk jdk, Mode mode) throws Exception {
        List<Request> requests = documentedRequests();
        assertEquals(7, requests.size(), "the curl lines of docs/" + DOC + ": " + requests);
        int jolokiaPort = FreePort.pick();
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode)
                .javaagent(JavaAgents.jolokia(), "host=127.0.0.1,port=" + jolokiaPort
                        + ",discoveryEnabled=false,executor=fixed,threadNr=4")
                .start("ready", LineApp.class.getName());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), target.awaitPort("line"))) {
            int port = client.getPort();
            String peer = "127.0.0.1:" + client.getLocalPort();
            Map<String, String> vars = new java.util.LinkedHashMap<>();
            vars.put("JOLOKIA", "http://127.0.0.1:" + jolokiaPort + "/jolokia");

            // read every listener: ours among them, with its numbers, keyed by MBean name
            JsonObject all = Poll.value("the held connection in the pattern read",
                    () -> heldListener(send(requests.get(0), vars), port, 1));
            assertEquals("BOUND", all.get("State").getAsString());
            assertEquals(0, all.get("StateCode").getAsInt());
            assertTrue(all.get("AcceptedCount").getAsLong() >= 1, all.toString());
            String id = all.get("Id").getAsString();
            vars.put("ID", id);

            JsonObject one = value(send(requests.get(1), vars));
            assertEquals(1, one.size(), one.toString());
            JsonObject byId = one.entrySet().iterator().next().getValue().getAsJsonObject();
            assertEquals("127.0.0.1:" + port, byId.get("Address").getAsString());
            assertEquals(0, byId.get("StateCode").getAsInt());

            JsonObject search = send(requests.get(2), vars);
            assertEquals(".value[0]", requests.get(2).jq());
            assertEquals(1, search.getAsJsonArray("value").size(), search.toString());
            String name = search.getAsJsonArray("value").get(0).getAsString();
            assertTrue(name.contains("id=" + id) && name.contains("port " + port), name);
            vars.put(requests.get(2).assignTo(), name);

            assertTrue(hasConnectionFrom(value(send(requests.get(3), vars)), peer), "connections() of " + name);
            assertTrue(hasConnectionFrom(value(send(requests.get(4), vars)), peer), "the Agent's connections()");

            JsonObject rebound = send(requests.get(5), vars);
            assertEquals("rebind", rebound.getAsJsonObject("request").get("operation").getAsString());
            assertEquals(0, read(vars, name, "StateCode"), "BOUND after the rebind");
            try (Socket after = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertTrue(after.isConnected(), "the rebound listener accepts");
            }

            // the drain answers once the application closed the held connection (LineApp closes its end when
            // the client closes): meanwhile DRAINING
            Request drain = requests.get(6);
            CompletableFuture<String> drained = Loopback.postAsync(drain.url(vars), drain.body(vars));
            // DrainRemaining counts the connections once the port is released
            Poll.until("StateCode 2 (DRAINING) and DrainRemaining 1 while the connection is open",
                    () -> read(vars, name, "StateCode") == 2 && read(vars, name, "DrainRemaining") == 1);
            assertFalse(drained.isDone(), "the drain waits for the open connection");
            assertTrue(Http.refuses(port), "a draining listener refuses new clients");
            client.close();
            JsonObject answer = JsonParser.parseString(drained.get(60, TimeUnit.SECONDS)).getAsJsonObject();
            assertEquals(200, answer.get("status").getAsInt(), answer.toString());
            assertEquals("drain", answer.getAsJsonObject("request").get("operation").getAsString());
            assertEquals(1, read(vars, name, "StateCode"), "UNBOUND after the drain");
        }
    }

    /** The curl lines of the document's {@code sh} blocks, in order. */
    private static List<Request> documentedRequests() throws IOException {
        List<Request> requests = new ArrayList<>();
        boolean inSh = false;
        for (String line : Files.readAllLines(JavaAgents.doc(DOC))) {
            if (line.startsWith("```")) {
                inSh = !inSh && line.equals("```sh");
                continue;
            }
            Matcher m = CURL.matcher(line);
            if (inSh && m.matches()) {
                requests.add(new Request(m.group(1), m.group(2), m.group(3), m.group(4)));
            } else if (inSh && line.contains("curl")) {
                throw new AssertionError("a curl line of docs/" + DOC + " this test cannot run: " + line);
            }
        }
        return requests;
    }

    /** Sends a documented request: a GET, or a POST of its body; the answer must have status 200. */
    private static JsonObject send(Request request, Map<String, String> vars) {
        try {
            String answer = request.body() == null ? Loopback.get(request.url(vars))
                    : Loopback.postAsync(request.url(vars), request.body(vars)).get(60, TimeUnit.SECONDS);
            JsonObject json = JsonParser.parseString(answer).getAsJsonObject();
            assertEquals(200, json.get("status").getAsInt(), request + " answered " + json);
            return json;
        } catch (Exception e) {
            throw new AssertionError(request + " with " + vars, e);
        }
    }

    private static JsonObject value(JsonObject answer) {
        return answer.getAsJsonObject("value");
    }

    /** The attributes of the listener on {@code port} in a pattern read, once it shows {@code open} connections. */
    private static JsonObject heldListener(JsonObject answer, int port, int open) {
        for (Map.Entry<String, JsonElement> e : value(answer).entrySet()) {
            JsonObject attributes = e.getValue().getAsJsonObject();
            if (attributes.get("Address").getAsString().equals("127.0.0.1:" + port)
                    && attributes.get("OpenConnections").getAsInt() == open) {
                return attributes;
            }
        }
        return null;
    }

    /** Whether a connections() answer, rows keyed by connection id, has one from {@code peer}. */
    private static boolean hasConnectionFrom(JsonObject rows, String peer) {
        return rows.entrySet().stream().anyMatch(r -> {
            JsonObject row = r.getValue().getAsJsonObject();
            return row.get("remoteAddress").getAsString().equals(peer) && row.get("state").getAsString().equals("OPEN");
        });
    }

    /** A numeric attribute of {@code name}, read through Jolokia. */
    private static int read(Map<String, String> vars, String name, String attribute) {
        try {
            JsonObject read = JsonParser.parseString(Loopback.postAsync(vars.get("JOLOKIA") + "/",
                    "{\"type\":\"read\",\"mbean\":\"" + name + "\",\"attribute\":\"" + attribute + "\"}")
                    .get(20, TimeUnit.SECONDS)).getAsJsonObject();
            return read.get("value").getAsInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
