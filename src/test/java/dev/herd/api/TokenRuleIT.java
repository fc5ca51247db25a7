package dev.herd.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A token given explicitly (herd.api.token, HERD_API_TOKEN) is the credential, however wide Herd listens. */
@QuarkusTest
@TestProfile(TokenRuleIT.WideWithToken.class)
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class TokenRuleIT {

    public static final class WideWithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.host", "0.0.0.0", "herd.api.token", "s3cret");
        }
    }

    private static final String JOB = "{\"scriptType\":\"no-such-type\",\"script\":\"echo hi\"}";

    @Test
    void requestsWithoutTheRightTokenAreRefused() {
        given().contentType("application/json").body(JOB).post("/api/v1/jobs").then()
                .statusCode(401).contentType("application/problem+json")
                .body("title", equalTo("Token missing or wrong")).body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer nope").contentType("application/json").body(JOB).post("/api/v1/jobs").then()
                .statusCode(401);
        given().header("Authorization", "s3cret").delete("/api/v1/pools/no-such-pool/scale").then().statusCode(401);
        given().get("/api/v1/pools").then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theRightTokenLetsTheRequestThrough() {
        given().header("Authorization", "Bearer s3cret").contentType("application/json").body("{\"replicas\": 1}")
                .put("/api/v1/pools/no-such-pool/scale").then().statusCode(404).body("title", equalTo("Unknown pool"));
        given().header("Authorization", "Bearer s3cret").get("/api/v1/plan").then().statusCode(200);
        // past the filter: the job itself is then refused for its unknown type
        given().header("Authorization", "Bearer s3cret").contentType("application/json").body(JOB).post("/api/v1/jobs").then()
                .statusCode(422).body("detail", containsString("no pool serves script type 'no-such-type'"));
    }
}
