package io.engageflow.testsupport;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.engageflow.contracts.Topics;
import io.engageflow.contracts.auth.ApiKeyGrant;
import io.engageflow.contracts.auth.ApiKeys;
import io.engageflow.contracts.auth.Role;
import io.engageflow.contracts.json.JsonCodec;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The authentication matrix of a service's endpoints (issue 12): no key and an unknown key → 401, a key of another
 * workspace → 404, a role that may not → 403, a role that may → the endpoint's own answer; each error with the
 * contract's body. Keys are granted as the orchestrator grants them, on auth.api-keys, so the service under test
 * learns of them through the topic, right before they are used.
 */
public final class AuthMatrix {
    /** One endpoint: {@code path} has {@code {ws}} where the workspace goes; {@code needs} null = operator only. */
    public record Call(String method, String path, String body, Role needs, int answer) {
        public static Call get(String path, Role needs, int answer) {
            return new Call("GET", path, null, needs, answer);
        }

        public static Call post(String path, String body, Role needs, int answer) {
            return new Call("POST", path, body, needs, answer);
        }

        public static Call put(String path, String body, Role needs, int answer) {
            return new Call("PUT", path, body, needs, answer);
        }

        public static Call delete(String path, Role needs, int answer) {
            return new Call("DELETE", path, null, needs, answer);
        }

        ValidatableResponse by(RequestSpecification request, String ws) {
            if (body != null) {
                request = request.contentType(ContentType.JSON).body(body);
            }
            return request.request(method, path.replace("{ws}", ws)).then();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private AuthMatrix() {
    }

    /** A key and its id. */
    public record Granted(String id, String key) {
    }

    /** A new key of {@code role} in {@code ws}, published on auth.api-keys as the orchestrator does. */
    public static Granted grant(String ws, Role role) {
        String key = ApiKeys.newKey();
        ApiKeyGrant grant = new ApiKeyGrant(ApiKeys.newId(), ws, "test-" + role.wireName(), role, ApiKeys.hash(key),
                Instant.now());
        send(grant.id(), JsonCodec.encode(grant));
        return new Granted(grant.id(), key);
    }

    /** Revokes a key as the orchestrator does: the tombstone of its id. */
    public static void revoke(Granted granted) {
        send(granted.id(), null);
    }

    /** A workspace no other test uses. */
    public static String freshWorkspace() {
        return "auth-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs the matrix over {@code calls} in a fresh workspace. */
    public static void verify(List<Call> calls) {
        String ws = freshWorkspace();
        Map<Role, String> keys = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            keys.put(r, grant(ws, r).key());
        }
        String otherAdmin = grant(freshWorkspace(), Role.ADMIN).key();
        for (Call call : calls) {
            try {
                verify(call, ws, keys, otherAdmin);
            } catch (AssertionError e) {
                throw new AssertionError(call + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A key that works on {@code call} stops working once revoked on the topic (within the time the service takes to
     * read it; the orchestrator, which revokes, stops it at once).
     */
    public static void verifyRevocation(Call call) {
        String ws = freshWorkspace();
        Granted granted = grant(ws, call.needs());
        call.by(TestKeys.withKey(granted.key()), ws).statusCode(call.answer());
        revoke(granted);
        awaitRefused(call, ws, granted.key());
        error(call.by(TestKeys.withKey(granted.key()), ws), 401, "unauthorized");
    }

    private static void verify(Call call, String ws, Map<Role, String> keys, String otherAdmin) {
        error(call.by(TestKeys.withoutKey(), ws), 401, "unauthorized");
        error(call.by(TestKeys.withKey(ApiKeys.newKey()), ws), 401, "unauthorized");
        if (call.path().contains("{ws}")) {
            error(call.by(TestKeys.withKey(otherAdmin), ws), 404, "not_found");
        }
        // the role the endpoint needs answers as the endpoint does; callers above it pass too (what they
        // get then may differ: a second DELETE finds nothing); every other role is forbidden
        boolean answered = false;
        if (call.needs() != null) {
            call.by(TestKeys.withKey(keys.get(call.needs())), ws).statusCode(call.answer());
            answered = true;
        }
        for (Role r : Role.values()) {
            if (r == call.needs()) {
                continue;
            }
            ValidatableResponse response = call.by(TestKeys.withKey(keys.get(r)), ws);
            if (call.needs() != null && r.permits(call.needs())) {
                response.statusCode(not(anyOf(equalTo(401), equalTo(403))));
            } else {
                error(response, 403, "forbidden");
            }
        }
        ValidatableResponse operator = call.by(TestKeys.withKey(TestKeys.OPERATOR_KEY), ws);
        if (answered) {
            operator.statusCode(not(anyOf(equalTo(401), equalTo(403))));
        } else {
            operator.statusCode(call.answer());
        }
    }

    private static void error(ValidatableResponse response, int status, String code) {
        response.statusCode(status).contentType(ContentType.JSON).body("error", equalTo(code))
                .body("message", notNullValue()).body("details", notNullValue());
    }

    /** Waits until {@code call} with {@code key} answers 401: a revocation reaches a service through the topic. */
    private static void awaitRefused(Call call, String ws, String key) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                call.by(TestKeys.withKey(key), ws).extract().statusCode() == 401);
    }

    private static synchronized void send(String id, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.API_KEYS, id, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish a key", e);
        }
    }
}
