package io.engageflow.integration;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * The outside peer the tests stub and check: a provider, a webhook receiver. One WireMock server on loopback (which the
 * test profile's URL guard allows), started as a test resource before the service (its port known from the start),
 * stopped with it, and given to each test's {@link InjectPeer} field with no stub or request of an earlier test left:
 * the injection, made for each test instance, resets it.
 */
public class WireMockPeer implements QuarkusTestResourceLifecycleManager {
    /** The field of a test that gets the peer. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectPeer {
    }

    /** The WireMock server, with the base URL an app or an HttpRequest step points at. */
    public static final class Server extends WireMockServer {
        Server() {
            super(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        }

        public String base() {
            return "http://127.0.0.1:" + port();
        }
    }

    private Server server;

    @Override
    public Map<String, String> start() {
        server = new Server();
        server.start();
        return Map.of();
    }

    @Override
    public void inject(TestInjector injector) {
        server.resetAll();
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectPeer.class, Server.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
