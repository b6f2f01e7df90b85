package io.engageflow.trigger;

import static io.engageflow.trigger.TriggerTopics.WAIT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.engageflow.testsupport.PostgresDatabases;
import io.engageflow.testsupport.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /triggers while the broker cannot be reached: every Kafka client of this app points at a closed port and the
 * wait is 2 s. The app runs without the global test resource, so it starts no in-JVM broker of its own (the shared
 * broker lives in a static of the app's class loader: a second start in one JVM finds its directory taken).
 */
@QuarkusTest
@TestProfile(TriggerBrokerOutageTest.BrokerUnreachable.class)
class TriggerBrokerOutageTest {

    public static class BrokerUnreachable implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ClosedPortAndDatabase.class));
        }
    }

    public static class ClosedPortAndDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(PostgresDatabases.quarkusConfig("engageflow_trigger_outage_test"));
            config.put("kafka.bootstrap.servers", "127.0.0.1:1");
            config.put("engageflow.delivery.producer.\"max.block.ms\"", "1000");
            config.put("engageflow.triggers.http-wait", "2s");
            config.putAll(TestKeys.quarkusConfig());
            return config;
        }

        @Override
        public void stop() {
        }
    }

    @Inject
    Pool pool;

    /**
     * The request fails 503 with the contract's error body once the wait is over, yet the trigger is kept: its
     * forward waits in the outbox for the broker, and sending it again answers duplicate rather than a second copy.
     */
    @Test
    void aTriggerTheBrokerCannotTakeIsAnswered503AfterTheWaitAndKeptInTheOutbox() {
        String eventId = UUID.randomUUID().toString();
        String body = """
                {"eventId":"%s","type":"Prize.Awarded","contact":{"id":"c-outage"}}""".formatted(eventId);

        given().contentType("application/json").body(body).post("/api/workspaces/acme/triggers")
                .then().statusCode(503).body("error", equalTo("unavailable"))
                .body("message", containsString("will be forwarded when the broker is back"));
        long waiting = pool.preparedQuery("SELECT count(*) FROM outbox WHERE topic = 'workflow.triggers' "
                        + "AND payload LIKE '%' || $1 || '%'").execute(Tuple.of(eventId))
                .await().atMost(WAIT).iterator().next().getLong(0);
        assertThat(waiting).as("the forward waits in the outbox").isEqualTo(1);

        given().contentType("application/json").body(body).post("/api/workspaces/acme/triggers")
                .then().statusCode(200).body("status", equalTo("duplicate"));
    }
}
