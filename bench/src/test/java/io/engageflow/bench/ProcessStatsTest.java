package io.engageflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {
    @Test
    void countsTheServersOwnProcessesAndOnlyTheBackendsOfTheRunsDatabases() {
        List<String> dbs = List.of("bench_peer_dbos", "bench_peer_dbos_sys");
        assertThat(ProcessStats.counts("/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main", dbs))
                .isTrue();
        assertThat(ProcessStats.counts("postgres: 15/main: walwriter", dbs)).isTrue();
        assertThat(ProcessStats.counts("postgres: 15/main: autovacuum launcher", dbs)).isTrue();
        assertThat(ProcessStats.counts("postgres: 15/main: postgres bench_peer_dbos_sys 127.0.0.1(44102) idle", dbs))
                .isTrue();
        assertThat(ProcessStats.counts("postgres: 15/main: postgres engageflow_e2e_reward 127.0.0.1(44102) "
                + "idle in transaction", dbs)).isFalse();
        assertThat(ProcessStats.counts("postgres: 15/main: postgres bench_peer_dbos [local] idle", dbs)).isTrue();
        assertThat(ProcessStats.counts("postgres: 15/main: postgres other [local] idle", dbs)).isFalse();
    }
}
