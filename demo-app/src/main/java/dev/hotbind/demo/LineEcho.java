package dev.hotbind.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The blocking styles' protocol: a greeting line, then every line echoed until the client closes. */
final class LineEcho {
    private LineEcho() {
    }

    static void serve(String style, Socket socket) {
        try (socket;
             Reader in = new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8);
             Writer out = new java.io.OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
            PrintWriter writer = new PrintWriter(out, true);
            writer.println("hello from " + style);
            BufferedReader reader = new BufferedReader(in);
            String line;
            while ((line = reader.readLine()) != null) {
                writer.println(line);
            }
        } catch (IOException e) {
            System.out.println(style + " connection ended: " + e);
        }
    }
}
