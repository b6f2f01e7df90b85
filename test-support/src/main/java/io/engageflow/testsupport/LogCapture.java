package io.engageflow.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The log lines of INFO and above that any thread writes while it is open, as the console shows them: level,
 * category, the formatted message and the exception with its causes, each with the MDC fields it was written with
 * (what the JSON log shows under {@code mdc}). It sits on the root logger, beside the console.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    /** A line as the console shows it, and its MDC fields. */
    public record Line(String text, Map<String, String> mdc) {
    }

    private final Queue<Line> lines = new ConcurrentLinkedQueue<>();

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
        lines.add(new Line(line.toString(), record instanceof ExtLogRecord ext ? ext.getMdcCopy() : Map.of()));
    }

    /** Every line captured so far. */
    public List<String> lines() {
        return lines.stream().map(Line::text).toList();
    }

    /** The lines captured so far that contain the text. */
    public List<String> containing(String text) {
        return linesContaining(text).stream().map(Line::text).toList();
    }

    /** The lines captured so far that contain the text, with their MDC fields. */
    public List<Line> linesContaining(String text) {
        return lines.stream().filter(l -> l.text().contains(text)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
