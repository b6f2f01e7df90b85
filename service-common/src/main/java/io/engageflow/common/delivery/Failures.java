package io.engageflow.common.delivery;

import java.net.ConnectException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which failures are an outage (wait and try again, forever: the record is fine, the broker or the database is not)
 * and which belong to the record (try a few times, then park it). Drivers and connectors wrap what they throw, so
 * the whole cause chain is looked at.
 */
public final class Failures {
    /** SQLSTATE classes and codes of a database that is unreachable, restarting, overloaded or in a lock conflict. */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "53", "57", "58");
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("40001", "40P01", "55P03");

    private Failures() {
    }

    /** True when the failure is an outage or a conflict that goes away by itself: the record must wait, not be parked. */
    public static boolean isTransient(Throwable e) {
        return anyCause(e, t -> t instanceof org.apache.kafka.common.errors.RetriableException
                || t instanceof BrokerUnavailableException
                || t instanceof ConnectException
                || t instanceof java.nio.channels.ClosedChannelException
                || t instanceof io.vertx.sqlclient.ClosedConnectionException
                || transientSql(t)
                || connectionGone(t));
    }

    private static boolean transientSql(Throwable t) {
        if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null) {
            String state = pg.getSqlState();
            return TRANSIENT_SQL_STATES.contains(state) || TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2));
        }
        return false;
    }

    /**
     * Vert.x reports a lost or unobtainable connection with plain exceptions that only their message tells apart.
     * Only Vert.x's and the socket layer's own types count: a "timed out" from anything else (an expression's time
     * bound, an outside call) belongs to the record and must not make it wait forever.
     */
    private static boolean connectionGone(Throwable t) {
        String m = t.getMessage();
        if (m == null) {
            return false;
        }
        boolean vertx = t instanceof io.vertx.core.VertxException || t instanceof io.vertx.core.impl.NoStackTraceThrowable;
        boolean socket = t instanceof java.net.SocketException;
        return (vertx || socket) && (m.contains("Connection refused") || m.contains("onnection was closed")
                || m.contains("onnection is closed") || m.contains("onnection reset") || m.contains("Pool closed"))
                || vertx && m.equals("Timeout"); // the pool found no free connection in time
    }

    /** Whether the failure or anything in its cause chain matches. */
    public static boolean anyCause(Throwable e, Predicate<Throwable> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A short, single-line description of a failure for logs and dead letters: type and message, no stack. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (root != e) {
            text += " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }

    /** The broker did not take a record in time; thrown by the sender so the caller waits like for any outage. */
    public static final class BrokerUnavailableException extends RuntimeException {
        public BrokerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
