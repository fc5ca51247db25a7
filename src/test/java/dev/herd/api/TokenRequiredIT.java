package dev.herd.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bound beyond loopback without a token configured, Herd refuses every change and says what to set. */
@QuarkusTest
@TestProfile(TokenRequiredIT.WideWithoutToken.class)
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class TokenRequiredIT {

    public static final class WideWithoutToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.host", "0.0.0.0");
        }
    }

    @Test
    void changesAreRefusedUntilATokenIsSet() {
        given().contentType("application/json").body("{\"scriptType\":\"x\",\"script\":\"y\"}").post("/api/v1/jobs").then()
                .statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("herd.api.token (HERD_API_TOKEN) is not set"));
        given().get("/api/v1/pools").then().statusCode(200);
    }
}
