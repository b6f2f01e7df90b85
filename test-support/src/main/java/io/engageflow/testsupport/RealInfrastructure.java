package io.engageflow.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Test resource for a @QuarkusTest: the real Kafka broker and a fresh PostgreSQL database named by the
 * {@code database} init arg. Dev services stay off, so nothing needs Docker. The service gets the test operator key
 * and RestAssured sends it unless a test says otherwise ({@link TestKeys}).
 */
public class RealInfrastructure implements QuarkusTestResourceLifecycleManager {
    private String database = "engageflow_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(KafkaBroker.quarkusConfig());
        config.putAll(PostgresDatabases.quarkusConfig(database));
        config.put("quarkus.devservices.enabled", "false");
        config.putAll(TestKeys.quarkusConfig());
        return config;
    }

    @Override
    public void stop() {
        // the broker is shared by every test class of this JVM and stops with it
    }
}
