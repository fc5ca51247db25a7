package dev.herd.api;

import static dev.herd.testing.Api.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every input has a bound and a strict reading: the limit or the mistake is named in a problem
 * document, with what to fix, and nothing is guessed (no unknown field ignored, no "5" read as 5).
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class ApiInputIT {

    private static ValidatableResponse post(String body) {
        return given().contentType("application/json").body(body).post("/api/v1/jobs").then().contentType("application/problem+json");
    }

    @Test
    void anUnknownFieldIsNamedWithADidYouMean() {
        post("{\"scriptType\":\"x\",\"scirpt\":\"echo\"}").statusCode(400)
                .body("detail", allOf(containsString("unknown field 'scirpt'"), containsString("did you mean 'script'"),
                        containsString("Known fields:")));
        given().contentType("application/json").body("{\"replicas\": 1, \"tll\": \"1m\"}").put("/api/v1/pools/x/scale").then()
                .statusCode(400).body("detail", containsString("did you mean 'ttl'"));
    }

    @Test
    void trailingDataAndCoercedScalarsAreRefused() {
        post("{\"scriptType\":\"x\",\"script\":\"y\"} {\"more\": 1}").statusCode(400).body("detail", containsString("the body"));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"retries\":\"5\"}").statusCode(400)
                .body("detail", allOf(containsString("retries"), containsString("whole number")));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"retries\":1.7}").statusCode(400).body("detail", containsString("retries"));
        post("{\"scriptType\":\"x\",\"script\":5}").statusCode(400).body("detail", containsString("script"));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"env\":{\"A\":5}}").statusCode(400).body("detail", containsString("env"));
        post("[1, 2]").statusCode(400).body("detail", containsString("the body"));
        post("{\"scriptType\":").statusCode(400).body("detail", containsString("not valid JSON"));
        given().contentType("application/json").body("{\"replicas\": \"3\"}").put("/api/v1/pools/x/scale").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void jobFieldsHaveBoundsThatNameThemselves() {
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"env\":{\"A\":null}}").statusCode(422).body("detail", containsString("env.A is null"));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"env\":{\"1A\":\"v\"}}").statusCode(422).body("detail", containsString("not a variable name"));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"env\":{\"HERD_REDIS_URL\":\"v\"}}").statusCode(422)
                .body("detail", containsString("HERD_* names"));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"timeout\":\"999999999h\"}").statusCode(422).body("detail", containsString("at most 24h"));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"timeout\":\"30\"}").statusCode(400).body("detail", containsString("like 500ms"));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"timeout\":\"" + "1s".repeat(5000) + "\"}").statusCode(400)
                .body("detail", containsString("like 500ms")); // no regex recursion to the end of a long text
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"retention\":\"5s\"}").statusCode(422).body("detail", containsString("from 10s"));
        post("{\"scriptType\":\"x\",\"script\":\"y\",\"retries\":1000000}").statusCode(422).body("detail", containsString("retries"));
        post("{\"scriptType\":\"\",\"script\":\"y\"}").statusCode(422).body("detail", containsString("scriptType"));

        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < 1001; i++) {
            env.put("V" + i, "x");
        }
        given().contentType("application/json").body(Map.of("scriptType", "x", "script", "y", "env", env)).post("/api/v1/jobs").then()
                .statusCode(413).contentType("application/problem+json").body("detail", containsString("herd.api.max-env-entries"));
        given().contentType("application/json").body(Map.of("scriptType", "x", "script", "y", "env", Map.of("BIG", "x".repeat(300_000))))
                .post("/api/v1/jobs").then().statusCode(413).body("detail", containsString("herd.api.max-env-bytes"));
        given().contentType("application/json").body(Map.of("scriptType", "x", "script", "x".repeat(1_100_000))).post("/api/v1/jobs").then()
                .statusCode(413).body("type", containsString("script-too-large")).body("detail", containsString("herd.api.max-script"));
        given().contentType("application/json").body(Map.of("scriptType", "x", "script", "x".repeat(2_200_000))).post("/api/v1/jobs").then()
                .statusCode(413).contentType("application/problem+json").body("type", containsString("body-too-large"))
                .body("detail", containsString("herd.api.max-body"));
    }

    @Test
    void waitsAndIdsAreChecked() {
        given().get("/api/v1/jobs/00000000-0000-0000-0000-000000000000?wait=abc").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("wait must be a duration"));
        given().get("/api/v1/jobs/00000000-0000-0000-0000-000000000000?wait=11m").then().statusCode(400)
                .body("detail", containsString("at most 10m"));
        given().get("/api/v1/jobs/00000000-0000-0000-0000-000000000000?wait=1s").then().statusCode(404)
                .body("title", equalTo("Unknown job"));
        given().get("/api/v1/jobs/" + "a".repeat(500)).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void wrongMethodsAndMediaTypesAnswerProblems() {
        given().patch("/api/v1/jobs").then().statusCode(405).contentType("application/problem+json").body("detail", org.hamcrest.Matchers.notNullValue());
        given().contentType("text/plain").body("x").post("/api/v1/jobs").then().statusCode(415).contentType("application/problem+json");
    }
}
