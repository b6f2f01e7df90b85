package io.engageflow.testsupport;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/**
 * The operator key every test mesh and every @QuarkusTest with {@link RealInfrastructure} is configured with, and a
 * RestAssured filter that sends it on requests that carry no Authorization of their own: tests of features call
 * the API as an operator would, tests of authentication say which key they use, or {@link #withoutKey()}.
 */
public final class TestKeys {
    public static final String OPERATOR_KEY = "efo_test-operator-key-not-a-secret-0123456789";

    private TestKeys() {
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }

    /**
     * The configuration that gives a service under test the test operator key; installs the filter that sends it.
     * A test resource that starts a service adds it ({@link RealInfrastructure} does).
     */
    public static Map<String, String> quarkusConfig() {
        sendOperatorKeyByDefault();
        return Map.of("engageflow.operator-key", OPERATOR_KEY);
    }

    /** Installs the operator-key filter on RestAssured, once per JVM. */
    public static synchronized void sendOperatorKeyByDefault() {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof OperatorKeyByDefault)) {
            RestAssured.filters(new OperatorKeyByDefault());
        }
    }

    /** A request without the default operator key (one that sends no Authorization unless the test adds one). */
    public static RequestSpecification withoutKey() {
        return RestAssured.given().noFiltersOfType(OperatorKeyByDefault.class);
    }

    /** A request with {@code key} as its bearer. */
    public static RequestSpecification withKey(String key) {
        return withoutKey().header("Authorization", bearer(key));
    }

    static final class OperatorKeyByDefault implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                               FilterContext ctx) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", bearer(OPERATOR_KEY));
            }
            return ctx.next(request, response);
        }
    }
}
