package io.engageflow.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The log lines of INFO and above that any thread writes while it is open, as the console shows them: level,
 * category, the formatted message and the exception with its causes. It sits on the root logger, beside the console.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() < Level.INFO.intValue()) {
            return;
        }
        StringWriter line = new StringWriter();
        line.append(record.getLevel().getName()).append(' ').append(record.getLoggerName()).append(' ')
                .append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        if (record.getThrown() != null) {
            line.append('\n');
            record.getThrown().printStackTrace(new PrintWriter(line));
        }
        lines.add(line.toString());
    }

    /** Every line captured so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines captured so far that contain the text. */
    public List<String> containing(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
