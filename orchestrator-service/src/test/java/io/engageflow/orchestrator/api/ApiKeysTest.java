package io.engageflow.orchestrator.api;

import static io.engageflow.testsupport.TestKeys.withKey;
import static io.engageflow.testsupport.TestKeys.withoutKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.engageflow.contracts.auth.ApiKeys;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.auth.ApiKeyGrant;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.KafkaBroker;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.testsupport.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, authentication: every API of the orchestrator asks for a key; keys are created by the operator or a
 * workspace's admin, shown once, stored and published only as hashes, scoped to one workspace and one role, and
 * stop working the moment they are revoked.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_auth_test"))
class ApiKeysTest {
    private static final String DEFINITION = """
            {"name": "auth", "trigger": {"type": "Webhook.Received"},
             "steps": [{"id": "tag", "action": "ContactAddToList", "config": {"list": "L"}}]}""";

    private static String workspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a key with the operator key; returns the answer's body. */
    private static Map<String, Object> createKey(String ws, String role) {
        return withKey(TestKeys.OPERATOR_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", role + "-key", "role", role))
                .post("/api/workspaces/{ws}/api-keys", ws)
                .then().statusCode(201).extract().jsonPath().getMap("");
    }

    private static void assertError(ValidatableResponse response, int status, String code) {
        response.statusCode(status).contentType(ContentType.JSON)
                .body("error", equalTo(code)).body("message", notNullValue()).body("details", notNullValue());
    }

    @Test
    void withoutAKeyEveryEndpointAnswers401WithTheErrorBody() {
        String ws = workspace();
        ValidatableResponse noHeader = withoutKey().get("/api/workspaces/{ws}/instances", ws).then();
        assertError(noHeader, 401, "unauthorized");
        noHeader.header("WWW-Authenticate", "Bearer");
        assertError(withoutKey().contentType(ContentType.JSON).body(DEFINITION)
                .post("/api/workspaces/{ws}/workflows", ws).then(), 401, "unauthorized");
        assertError(withoutKey().header("Authorization", "Basic YWRtaW46YWRtaW4=")
                .get("/api/workspaces/{ws}/workflows", ws).then(), 401, "unauthorized");
        assertError(withKey("efk_" + "A".repeat(43)).get("/api/workspaces/{ws}/workflows", ws).then(),
                401, "unauthorized");
        assertError(withKey("not-a-key").get("/api/workspaces/{ws}/api-keys", ws).then(), 401, "unauthorized");
        assertError(withKey(TestKeys.OPERATOR_KEY + "x").get("/api/workspaces/{ws}/api-keys", ws).then(),
                401, "unauthorized");
    }

    @Test
    void aKeyIsShownOnceAndListedWithoutIt() {
        String ws = workspace();
        Map<String, Object> created = createKey(ws, "publisher");
        String key = (String) created.get("key");
        assertThat(key).matches("efk_[A-Za-z0-9_-]{43}");
        assertThat(created).containsEntry("role", "publisher").containsEntry("name", "publisher-key")
                .containsKey("id");

        String listing = withKey(TestKeys.OPERATOR_KEY).get("/api/workspaces/{ws}/api-keys", ws)
                .then().statusCode(200).extract().asString();
        List<Map<String, Object>> keys = JsonCodec.read(listing, List.class);
        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k).containsEntry("id", created.get("id")).containsEntry("role", "publisher")
                    .containsKeys("createdAt", "lastUsedAt").doesNotContainKey("key");
        });
        assertThat(listing).doesNotContain(key).doesNotContain(ApiKeys.hash(key));
    }

    @Test
    void eachRoleMayDoItsOwnPartOnly() {
        String ws = workspace();
        String admin = (String) createKey(ws, "admin").get("key");
        String reader = (String) createKey(ws, "reader").get("key");
        String publisher = (String) createKey(ws, "publisher").get("key");

        String workflowId = withKey(admin).contentType(ContentType.JSON).body(DEFINITION)
                .post("/api/workspaces/{ws}/workflows", ws).then().statusCode(201).extract().path("id");
        withKey(admin).post("/api/workspaces/{ws}/workflows/{id}/activate", ws, workflowId).then().statusCode(200);

        withKey(reader).get("/api/workspaces/{ws}/workflows/{id}", ws, workflowId).then().statusCode(200)
                .body("id", equalTo(workflowId));
        withKey(reader).get("/api/workspaces/{ws}/instances", ws).then().statusCode(200);
        assertError(withKey(reader).post("/api/workspaces/{ws}/workflows/{id}/deactivate", ws, workflowId).then(),
                403, "forbidden");
        assertError(withKey(reader).contentType(ContentType.JSON).body(DEFINITION)
                .post("/api/workspaces/{ws}/workflows", ws).then(), 403, "forbidden");
        assertError(withKey(reader).get("/api/workspaces/{ws}/api-keys", ws).then(), 403, "forbidden");
        assertError(withKey(reader).contentType(ContentType.JSON).body(Map.of("name", "mine", "role", "admin"))
                .post("/api/workspaces/{ws}/api-keys", ws).then(), 403, "forbidden");

        assertError(withKey(publisher).get("/api/workspaces/{ws}/instances", ws).then(), 403, "forbidden");
        assertError(withKey(publisher).get("/api/workspaces/{ws}/workflows", ws).then(), 403, "forbidden");

        // an admin manages its workspace's keys without the operator
        String second = withKey(admin).contentType(ContentType.JSON).body(Map.of("name", "ci", "role", "reader"))
                .post("/api/workspaces/{ws}/api-keys", ws).then().statusCode(201).extract().path("key");
        withKey(second).get("/api/workspaces/{ws}/workflows", ws).then().statusCode(200);
        // the workflow is still active: the reader's deactivate did nothing
        withKey(reader).get("/api/workspaces/{ws}/workflows/{id}", ws, workflowId).then().body("status", equalTo("active"));
    }

    @Test
    void aKeyOfAnotherWorkspaceFindsNothing() {
        String mine = workspace();
        String theirs = workspace();
        String admin = (String) createKey(mine, "admin").get("key");
        String theirWorkflow = withKey(TestKeys.OPERATOR_KEY).contentType(ContentType.JSON).body(DEFINITION)
                .post("/api/workspaces/{ws}/workflows", theirs).then().statusCode(201).extract().path("id");

        assertError(withKey(admin).get("/api/workspaces/{ws}/workflows/{id}", theirs, theirWorkflow).then(),
                404, "not_found");
        assertError(withKey(admin).get("/api/workspaces/{ws}/instances", theirs).then(), 404, "not_found");
        assertError(withKey(admin).contentType(ContentType.JSON).body(Map.of("name", "x", "role", "admin"))
                .post("/api/workspaces/{ws}/api-keys", theirs).then(), 404, "not_found");
        // and the same answer as for a workflow that does not exist at all
        assertError(withKey(TestKeys.OPERATOR_KEY).get("/api/workspaces/{ws}/workflows/{id}", theirs, "no-such")
                .then(), 404, "not_found");
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnceAndOnTheTopic() {
        String ws = workspace();
        Map<String, Object> created = createKey(ws, "reader");
        String key = (String) created.get("key");
        String id = (String) created.get("id");
        withKey(key).get("/api/workspaces/{ws}/workflows", ws).then().statusCode(200);

        // what the other services read: the hash, never the key
        ConsumerRecord<String, String> grant = lastRecordOf(id).orElseThrow();
        ApiKeyGrant published = JsonCodec.read(grant.value(), ApiKeyGrant.class);
        assertThat(published.keyHash()).isEqualTo(ApiKeys.hash(key));
        assertThat(published.workspace()).isEqualTo(ws);
        assertThat(grant.value()).doesNotContain(key);

        withKey(TestKeys.OPERATOR_KEY).delete("/api/workspaces/{ws}/api-keys/{id}", ws, id).then().statusCode(204);
        assertError(withKey(key).get("/api/workspaces/{ws}/workflows", ws).then(), 401, "unauthorized");
        assertThat(lastRecordOf(id)).hasValueSatisfying(r -> assertThat(r.value()).isNull());
        withKey(TestKeys.OPERATOR_KEY).get("/api/workspaces/{ws}/api-keys", ws).then().statusCode(200)
                .body("size()", equalTo(0));
        // revoking again is harmless; an unknown id or another workspace's key is not found
        withKey(TestKeys.OPERATOR_KEY).delete("/api/workspaces/{ws}/api-keys/{id}", ws, id).then().statusCode(204);
        assertError(withKey(TestKeys.OPERATOR_KEY).delete("/api/workspaces/{ws}/api-keys/{id}", workspace(), id)
                .then(), 404, "not_found");
        assertError(withKey(TestKeys.OPERATOR_KEY).delete("/api/workspaces/{ws}/api-keys/{id}", ws, "key_nothing")
                .then(), 404, "not_found");
    }

    @Test
    void aKeysLastUseIsListed() {
        String ws = workspace();
        Map<String, Object> created = createKey(ws, "reader");
        withKey(TestKeys.OPERATOR_KEY).get("/api/workspaces/{ws}/api-keys", ws).then()
                .body("[0].lastUsedAt", equalTo(null));
        withKey((String) created.get("key")).get("/api/workspaces/{ws}/instances", ws).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                withKey(TestKeys.OPERATOR_KEY).get("/api/workspaces/{ws}/api-keys", ws).then()
                        .body("[0].lastUsedAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*")));
    }

    @Test
    void healthAndMetricsAreOpenAndMetricsNameNoWorkspaceOrWorkflow() {
        String ws = workspace();
        String workflowId = "wf-" + UUID.randomUUID().toString().substring(0, 8);
        withKey(TestKeys.OPERATOR_KEY).contentType(ContentType.JSON).body(DEFINITION.replace("{\"name\"",
                        "{\"id\": \"" + workflowId + "\", \"name\""))
                .post("/api/workspaces/{ws}/workflows", ws).then().statusCode(201);
        withKey(TestKeys.OPERATOR_KEY).get("/api/workspaces/{ws}/workflows/{id}", ws, workflowId).then().statusCode(200);
        withoutKey().get("/api/workspaces/{ws}/workflows/{id}", ws, workflowId).then().statusCode(401);

        withoutKey().get("/q/health").then().statusCode(200);
        String metrics = withoutKey().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("http_server_requests").doesNotContain(ws).doesNotContain(workflowId);
    }

    @Test
    void aBadKeyRequestIsRefusedWithItsErrors() {
        String ws = workspace();
        withKey(TestKeys.OPERATOR_KEY).contentType(ContentType.JSON).body(Map.of("name", "", "role", "owner"))
                .post("/api/workspaces/{ws}/api-keys", ws).then().statusCode(422)
                .body("error", equalTo("invalid_api_key"))
                .body("errors.path", org.hamcrest.Matchers.containsInAnyOrder("name", "role"));
        assertError(withKey(TestKeys.OPERATOR_KEY).contentType(ContentType.JSON).body("{\"name\": ")
                .post("/api/workspaces/{ws}/api-keys", ws).then(), 400, "malformed_json");
        withKey(TestKeys.OPERATOR_KEY).get("/api/workspaces/{ws}/api-keys", ws).then().body("size()", equalTo(0));
    }

    /** The newest record of key {@code id} on auth.api-keys, read from the start of the topic. */
    private static Optional<ConsumerRecord<String, String>> lastRecordOf(String id) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.API_KEYS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            ConsumerRecord<String, String> last = null;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (id.equals(r.key())) {
                        last = r;
                    }
                }
            }
            return Optional.ofNullable(last);
        }
    }
}
