package io.engageflow.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The load generator's command line: {@code [triggers] [rate] [--flag value]…}. The older {@code -Dkafka},
 * {@code -Dorchestrator}, {@code -Drewards}, {@code -Dout} and {@code -Dpids} system properties still work.
 */
record Options(int triggers, int rate, int warmup, String target, String name, String url, Path out, Path pids,
               List<String> pgDatabases, String couponsJdbc, String couponsSql, int drainSeconds, String kafka,
               String orchestrator, String rewards, boolean findMax, double p99BoundMs, int startRate,
               double stepFactor, int stepSeconds, int maxRate, int refine) {

    static final List<String> MESH_DATABASES = List.of("engageflow_trigger", "engageflow_orchestrator",
            "engageflow_contact", "engageflow_reward", "engageflow_integration");

    static final String USAGE = """
            usage: bench [triggers=2000] [rate-per-second=200] [options]
              --warmup N           triggers sent (at the rate, or find-max's start rate) and awaited before
                                   measuring; 0 = none (default: 10 s of that rate, at least 100, at most 3000)
              --target mesh|http   mesh: triggers on Kafka triggers.inbound, instances end on workflow.events
                                   (default); http: POST to --url, done when the webhook reaches the sink
              --url TEMPLATE       http target, {id} replaced by the trigger id, e.g.
                                   http://127.0.0.1:18080/Bench/run/send
              --name NAME          the system's name in reports (default engageflow, or peer)
              --out DIR            where bench-report.{json,html,png} go (default bench/target)
              --pids DIR           a folder of NAME.pid files: the processes whose CPU is counted
                                   (default deploy/local/.run/pids)
              --pg-databases A,B   PostgreSQL backends counted: those of these databases, plus the server's own
                                   processes (default: the mesh's five for mesh, every backend for http)
              --coupons-jdbc URL   where to count the run's coupons (default the mesh's engageflow_reward)
              --coupons-sql SQL    the count; ? is bound to the run's tag (contacts are TAG-…, the mesh's
                                   workspace is bench-TAG)
              --drain-seconds S    how long to wait for the last instances after the last trigger (120)
              --find-max           raise the rate step by step until p99 passes the bound or completions
                                   fall behind; print the knee (the highest rate sustained)
              --p99-bound-ms MS    find-max's latency bound (1000)
              --start-rate R       find-max's first rate (20)
              --step-factor F      each next rate is F times the last (1.5)
              --step-seconds S     how long each rate is offered (10)
              --max-rate R         find-max stops rising here (5000)
              --refine K           bisection steps between the knee and the first failing rate (2)
              --kafka HOST:PORT, --orchestrator URL, --rewards URL   the mesh's addresses; its workspace is
                                   set up with the operator key: ENGAGEFLOW_OPERATOR_KEY, else
                                   deploy/local/.run/operator-key (run.sh makes it)
            """;

    static Options parse(String... args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> flags = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--find-max")) {
                flags.put("find-max", "true");
            } else if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            } else if (a.startsWith("--")) {
                String key = a.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + key + " needs a value\n" + USAGE);
                }
                flags.put(key, value);
            } else {
                positional.add(a);
            }
        }
        int triggers = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 2000;
        int rate = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 200;
        if (positional.size() > 2 || triggers < 1 || rate < 1) {
            throw new IllegalArgumentException("expected positive [triggers] [rate]\n" + USAGE);
        }
        String target = flags.getOrDefault("target", "mesh");
        if (!target.equals("mesh") && !target.equals("http")) {
            throw new IllegalArgumentException("--target is mesh or http\n" + USAGE);
        }
        boolean mesh = target.equals("mesh");
        String url = flags.get("url");
        if (!mesh && (url == null || !url.startsWith("http"))) {
            throw new IllegalArgumentException("--target http needs --url\n" + USAGE);
        }
        int warmupRate = flags.containsKey("find-max") ? Integer.parseInt(flags.getOrDefault("start-rate", "20"))
                : rate;
        int warmup = flags.containsKey("warmup") ? Integer.parseInt(flags.get("warmup"))
                : Math.max(100, Math.min(3000, warmupRate * 10));
        String databases = flags.get("pg-databases");
        List<String> pg = databases != null ? List.of(databases.split(","))
                : mesh ? MESH_DATABASES : List.of();
        String couponsJdbc = flags.getOrDefault("coupons-jdbc", mesh
                ? "jdbc:postgresql://127.0.0.1:5432/engageflow_reward" : null);
        String couponsSql = flags.getOrDefault("coupons-sql", mesh
                ? "SELECT count(*) FROM coupon WHERE workspace_id = 'bench-' || ?" : null);
        Options o = new Options(triggers, rate, Math.max(0, warmup), target,
                flags.getOrDefault("name", mesh ? "engageflow" : "peer"), url,
                Path.of(flags.getOrDefault("out", System.getProperty("out", "bench/target"))),
                Path.of(flags.getOrDefault("pids", System.getProperty("pids", "deploy/local/.run/pids"))),
                pg, couponsJdbc, couponsSql, Integer.parseInt(flags.getOrDefault("drain-seconds", "120")),
                flags.getOrDefault("kafka", System.getProperty("kafka", "127.0.0.1:9092")),
                flags.getOrDefault("orchestrator", System.getProperty("orchestrator", "http://127.0.0.1:8080")),
                flags.getOrDefault("rewards", System.getProperty("rewards", "http://127.0.0.1:8083")),
                flags.containsKey("find-max"), Double.parseDouble(flags.getOrDefault("p99-bound-ms", "1000")),
                Integer.parseInt(flags.getOrDefault("start-rate", "20")),
                Double.parseDouble(flags.getOrDefault("step-factor", "1.5")),
                Integer.parseInt(flags.getOrDefault("step-seconds", "10")),
                Integer.parseInt(flags.getOrDefault("max-rate", "5000")),
                Integer.parseInt(flags.getOrDefault("refine", "2")));
        List<String> known = List.of("warmup", "target", "name", "url", "out", "pids", "pg-databases", "coupons-jdbc",
                "coupons-sql", "drain-seconds", "kafka", "orchestrator", "rewards", "find-max", "p99-bound-ms",
                "start-rate", "step-factor", "step-seconds", "max-rate", "refine");
        for (String key : flags.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "\n" + USAGE);
            }
        }
        if (o.stepFactor() <= 1) {
            throw new IllegalArgumentException("--step-factor must be above 1");
        }
        return o;
    }

    /** The warm-up's rate: the measured rate, or with --find-max its first step's. */
    int warmupRate() {
        return findMax ? startRate : rate;
    }

    boolean mesh() {
        return target.equals("mesh");
    }
}
