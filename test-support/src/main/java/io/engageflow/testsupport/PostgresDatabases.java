package io.engageflow.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Fresh databases on the real PostgreSQL server (default 127.0.0.1:5432, user postgres; override with PGHOST,
 * PGPORT, PGUSER, PGPASSWORD). Each test suite gets its own database, dropped and created anew. Two checkouts that
 * test at once on one server set ENGAGEFLOW_TEST_DB_SUFFIX differently, so their suites never drop each other's
 * databases.
 */
public final class PostgresDatabases {
    public static final String HOST = env("PGHOST", "127.0.0.1");
    public static final String PORT = env("PGPORT", "5432");
    public static final String USER = env("PGUSER", "postgres");
    public static final String PASSWORD = env("PGPASSWORD", "");
    private static final String SUFFIX = env("ENGAGEFLOW_TEST_DB_SUFFIX", "");

    private PostgresDatabases() {
    }

    /** The server-side name of a test database: the suite's name plus this checkout's suffix. */
    public static String name(String database) {
        return database.endsWith(SUFFIX) ? database : database + SUFFIX;
    }

    public static void recreate(String suiteDatabase) {
        String database = name(suiteDatabase);
        if (!database.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("database names here are [a-z0-9_]+: " + database);
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER,
                PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " is needed for the tests ("
                    + e.getMessage() + "); .ci/run starts it", e);
        }
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name(database);
    }

    /** Quarkus datasource settings (JDBC for Flyway, reactive for Hibernate Reactive) for a fresh database. */
    public static Map<String, String> quarkusConfig(String database) {
        recreate(database);
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.reactive.url", "postgresql://" + HOST + ":" + PORT + "/" + name(database),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", PASSWORD);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
