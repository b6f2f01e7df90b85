package io.engageflow.reward;

import static io.engageflow.testsupport.TestKeys.withKey;
import static org.hamcrest.Matchers.equalTo;

import io.engageflow.contracts.auth.Role;
import io.engageflow.testsupport.AuthMatrix;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a deployment with an identity provider sends its OIDC bearer tokens instead of API keys; the token's
 * claims name the workspace and the role, and the same rules hold (another workspace → 404, a role that may not →
 * 403, a token the provider did not sign or that expired → 401). API keys keep working beside them. The provider is
 * stood for by its signing key: Quarkus OIDC checks tokens against the configured public key.
 */
@QuarkusTest
@TestProfile(OidcBearerTest.IdentityProvider.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_reward_test"))
class OidcBearerTest {
    /** A key pair made for this test only (openssl genpkey): it signs nothing else anywhere. */
    private static final String TEST_PRIVATE_KEY = "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC+NrW5T3sR3lsS+MluPDz1M1GXZ/6GG6E2KKhCYL46VnigMMQ3+9edG4UfFs8fRaqosKGOA43flGZxn+dgs5PpXSz+vEf1uFlOdLSxDtUqK7226Lx1uUr/+d3Rh+r9LAUAIdI/bkqm1Mea9QYApgxGGZGVZjtsh6jmTpjMj5wEwEge+f3ZZk57qQZHnW0pl4wm5GTB7GRLWSL6CCDPSm3UKO3E7tJXi0ExhmaDB/ufR2vwa7IYgSzb0uVKz8zLxJitEjHD2wlowRfMSSE867z2BNhdH2qajR9dhMCwsF21OnF5tgxzdlc5fyu551ZCi2j+AWxQUfzGCcu5EG5tf1YlAgMBAAECggEACqGGfOcXIvOxVblHkhyAxa2KwQe5adJlK2CQrYu4ULdg14cnjaogLgeJ5FJt3Lq+joi3XCIRDa6+yQPzC8G4TGx+OsstdGt2EP9PKAQttW/WExZ6jf5/VW4oJRv6bhBF7pt1TkFCSoUNljiyj1pjHjnd8U0nmL8TmVz0MklRItIUUrZ9HYYWwwngRHKAEVLINqCuVlZ9EByLSOG6pqMErOSuY4ETD+xcUGYGN9naMOLNxLbPX5bKHP+i/sHXL3SK6Vh7fktXubEy3qkU8a8W1YzRPC3NDIJtZ2DathDrSu/VyX2byONHs7DiqedcfoAo7VYbJkz/vTggqOpoJMJ2YwKBgQDjvoT223Gy0nWxZZz/6vBDD7pE+29uCDtqniO68TiQGYje/WTsPN+nKEHo8nxBN+XP0+iwDbqC8qWo3am1vSJVWibUX5mrNJgUi3c2RwV4gAbrWA/5lE0G8tA/HiFnmVW34TFX0ofY3YmuqSlQaIJbomVlL0UF/fysrefi4GdepwKBgQDV0CsMO6S/vTzukA8La8RhiRJFNmJx9nMWgfVqBhIZv5vzCv95fktGZKlhyqTQ8FJoyWHcnFkeS2ooib7sRlI8M+sbr6f6hlWWXF9G9ye7IGNIfvurboqbArNVxJRvNKM+mW8r5ffOYASnSGWy+GdsDJJiQxy7uzxLbuN3ErHqUwKBgDqFEhV8fdK9UZCr05PPAr24pNxk31UeuGXFDNlUcnxUk175LZ2mZrHFHmqFJHh9rIeio//ZBzvurbKegqU4XEIiUCfyCMJ9WTauP4uq5DT6cMy4bCJtgP1wFyKg02STefst2kf+yPlos6A1x2/p6tUw/WzqoInRocOdTCB4GRexAoGBAKtoTgppikL4d2+c56K1S2MR2ybHWZaZB1yE5PSRV1NzC5eFOpfwinItYqj2Jrkl4DsHLsAIS12BAeLrwrZyDZ0b1iCE6npp1RVMikk+/IgEh/NncWTWoqFwQcrBZGneXfxiTwB3RPkaesCMxpL6lxbE4VmLCe7qRIUIqawcvarnAoGBALkMU8Q2g3fc29+pE1jJ3zdzdDUUdrA6E/jQKhkidkxgY7hIDnzkaf9BbRJKRw1TQXKe6WICX4G6DbEzf/+CWr2uOGKxx3HIxXSyV0G7huwp+uNpTt3kobSwWl9QasgVxqCWFucUKSEp+OV8BHizWJPtesaplT+sLPKxz6LswxjW";
    private static final String TEST_PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvja1uU97Ed5bEvjJbjw89TNRl2f+hhuhNiioQmC+OlZ4oDDEN/vXnRuFHxbPH0WqqLChjgON35RmcZ/nYLOT6V0s/rxH9bhZTnS0sQ7VKiu9tui8dblK//nd0Yfq/SwFACHSP25KptTHmvUGAKYMRhmRlWY7bIeo5k6YzI+cBMBIHvn92WZOe6kGR51tKZeMJuRkwexkS1ki+gggz0pt1CjtxO7SV4tBMYZmgwf7n0dr8GuyGIEs29LlSs/My8SYrRIxw9sJaMEXzEkhPOu89gTYXR9qmo0fXYTAsLBdtTpxebYMc3ZXOX8ruedWQoto/gFsUFH8xgnLuRBubX9WJQIDAQAB";
    private static final String ISSUER = "https://idp.example.test/realms/engageflow";

    public static class IdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("engageflow.auth.oidc.enabled", "true",
                    "quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.public-key", TEST_PUBLIC_KEY,
                    "quarkus.oidc.token.issuer", ISSUER);
        }
    }

    private static String token(Map<String, Object> claims, PrivateKey signer, long expiresInSeconds) throws Exception {
        JwtClaims jwt = new JwtClaims();
        jwt.setIssuer(ISSUER);
        jwt.setSubject("ann@idp");
        jwt.setIssuedAtToNow();
        jwt.setExpirationTimeMinutesInTheFuture(expiresInSeconds / 60f);
        claims.forEach(jwt::setClaim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwt.toJson());
        jws.setKey(signer);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static PrivateKey providerKey() throws Exception {
        return KeyFactory.getInstance("RSA").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(TEST_PRIVATE_KEY)));
    }

    private static String token(String ws, String role) throws Exception {
        return token(Map.of("engageflow_workspace", ws, "engageflow_role", role), providerKey(), 300);
    }

    @Test
    void aProvidersTokenActsAsItsClaimsSay() throws Exception {
        String ws = AuthMatrix.freshWorkspace();
        String offer = "{\"name\": \"oidc\", \"totalLimit\": 3}";
        withKey(token(ws, "admin")).contentType(ContentType.JSON).body(offer)
                .post("/api/workspaces/{ws}/coupon-offers", ws).then().statusCode(201);
        withKey(token(ws, "reader")).get("/api/workspaces/{ws}/coupon-offers/oidc", ws).then().statusCode(200)
                .body("remaining", equalTo(3));
        withKey(token(ws, "reader")).contentType(ContentType.JSON).body(offer)
                .post("/api/workspaces/{ws}/coupon-offers", ws).then().statusCode(403).body("error", equalTo("forbidden"));
        withKey(token(AuthMatrix.freshWorkspace(), "admin")).get("/api/workspaces/{ws}/coupon-offers/oidc", ws)
                .then().statusCode(404).body("error", equalTo("not_found"));
        withKey(token(Map.of("engageflow_workspace", ws), providerKey(), 300))
                .get("/api/workspaces/{ws}/coupon-offers/oidc", ws).then().statusCode(403)
                .body("error", equalTo("forbidden"));
    }

    @Test
    void aTokenTheProviderDidNotSignOrThatExpiredIs401() throws Exception {
        String ws = AuthMatrix.freshWorkspace();
        PrivateKey stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        withKey(token(Map.of("engageflow_workspace", ws, "engageflow_role", "admin"), stranger, 300))
                .get("/api/workspaces/{ws}/contacts/c-1/rewards", ws).then().statusCode(401)
                .body("error", equalTo("unauthorized"));
        withKey(token(Map.of("engageflow_workspace", ws, "engageflow_role", "admin"), providerKey(), -600))
                .get("/api/workspaces/{ws}/contacts/c-1/rewards", ws).then().statusCode(401)
                .body("error", equalTo("unauthorized"));
        withKey("not.a.token").get("/api/workspaces/{ws}/contacts/c-1/rewards", ws).then().statusCode(401);
    }

    @Test
    void apiKeysWorkBesideTokens() {
        String ws = AuthMatrix.freshWorkspace();
        String reader = AuthMatrix.grant(ws, Role.READER).key();
        withKey(reader).get("/api/workspaces/{ws}/contacts/c-1/rewards", ws).then().statusCode(200);
    }
}
