package io.engageflow.integration;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on loopback that writes its answer byte by byte, for what WireMock cannot do: drip an answer for a
 * minute, stream a body of any length, and tell whether the client read it all or closed the connection first (a
 * write to a connection the client closed fails).
 */
public final class LoopbackServer implements AutoCloseable {
    /** Writes the answer to one request (status line, headers and body) to out. */
    @FunctionalInterface
    public interface Answer {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /** How the answer on one connection ended: written whole, or cut off by the client after {@code bytes}. */
    public record Ending(boolean written, long bytes) {
    }

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Answer answer;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CompletableFuture<Ending> firstEnding = new CompletableFuture<>();
    private volatile long firstConnectionNanos;

    public LoopbackServer(Answer answer) throws IOException {
        this.answer = answer;
        Thread acceptor = new Thread(this::accept, "loopback-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Status line and headers of a chunked answer, then {@code chunkBytes} bytes every {@code everyMillis}. */
    public static Answer dripBody(int chunks, int chunkBytes, long everyMillis) {
        return out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < chunks; i++) {
                write(out, Integer.toHexString(chunkBytes) + "\r\n" + "x".repeat(chunkBytes) + "\r\n");
                Thread.sleep(everyMillis);
            }
            write(out, "0\r\n\r\n");
        };
    }

    /** The status line, then one header line every {@code everyMillis}: the headers never end in time. */
    public static Answer dripHeaders(int lines, long everyMillis) {
        return out -> {
            write(out, "HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < lines; i++) {
                write(out, "X-Drip-" + i + ": x\r\n");
                Thread.sleep(everyMillis);
            }
            write(out, "Content-Length: 0\r\n\r\n");
        };
    }

    /** Answers with exactly this text (status line, headers and body). */
    public static Answer respond(String response) {
        return out -> write(out, response);
    }

    /** A chunked body of {@code totalBytes} as fast as the client takes it, its length declared nowhere. */
    public static Answer streamBody(long totalBytes) {
        return out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ("10000\r\n" + "y".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (long sent = 0; sent < totalBytes; sent += 0x10000) {
                out.write(chunk);
            }
            write(out, "0\r\n\r\n");
        };
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Connections taken so far. */
    public int connections() {
        return accepted.size();
    }

    /** Requests whose head was read so far. */
    public int requests() {
        return requests.get();
    }

    public long firstConnectionNanos() {
        if (accepted.isEmpty()) {
            throw new AssertionError("no connection was made");
        }
        return firstConnectionNanos;
    }

    /** How the answer on the first connection ended. */
    public CompletableFuture<Ending> firstEnding() {
        return firstEnding;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                if (accepted.isEmpty()) {
                    firstConnectionNanos = System.nanoTime();
                }
                accepted.add(s);
                boolean first = accepted.size() == 1;
                Thread t = new Thread(() -> answer(s, first), "loopback-answer");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket s, boolean first) {
        Counting out = null;
        try {
            readHead(s.getInputStream());
            requests.incrementAndGet();
            out = new Counting(s.getOutputStream());
            answer.write(out);
            if (first) {
                firstEnding.complete(new Ending(true, out.bytes));
            }
        } catch (IOException | InterruptedException cutOff) {
            if (first) {
                firstEnding.complete(new Ending(false, out == null ? 0 : out.bytes));
            }
        }
    }

    /** Reads up to the blank line that ends the request's head (any body stays unread). */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before its request ended");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** Counts what was written without error. */
    private static final class Counting extends OutputStream {
        private final OutputStream out;
        private volatile long bytes;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
