package dev.herd.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Herd as it starts with no token configured (production's default): it writes a token file only
 * its user can read, and every request under /api/ needs that token, from loopback too. Health,
 * metrics, the OpenAPI document and the dashboard's static files stay open.
 */
@QuarkusTest
@TestProfile(ApiAccessIT.GeneratedToken.class)
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class ApiAccessIT {
    static final Path TOKEN_FILE = Path.of("target/api-access-it/api-token").toAbsolutePath();

    public static final class GeneratedToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(TOKEN_FILE);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // the test profile's own token switched off: Herd must find (here: create) one by itself
            return Map.of("herd.api.token", "", "herd.api.token-file", TOKEN_FILE.toString());
        }
    }

    @TestHTTPResource("/")
    URL base;

    private static String token() throws Exception {
        return Files.readString(TOKEN_FILE).strip();
    }

    @Test
    void theTokenFileIsCreatedForHerdsUserAlone() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(TOKEN_FILE))).isEqualTo("rw-------");
        assertThat(token()).hasSizeGreaterThanOrEqualTo(43).matches("[A-Za-z0-9_-]+"); // 256 random bits
    }

    @Test
    void everyApiOperationRefusesARequestWithoutTheToken() throws Exception {
        List<String[]> operations = apiOperations();
        assertThat(operations).as("the OpenAPI document lists the API").hasSizeGreaterThan(10);
        for (String[] op : operations) {
            given().body("{}").contentType("application/json").request(op[0], op[1]).then()
                    .statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer realm=\"herd\"")
                    .body("detail", containsString("Authorization: Bearer"));
            given().header("Authorization", "Bearer not-the-token").request(op[0], op[1]).then().statusCode(401);
        }
        // unknown paths under /api/ too: an anonymous caller learns nothing, not even what exists
        given().get("/api/v1/no-such-thing").then().statusCode(401);
        // the path is judged as the router reads it: no encoding or dot segment leads around the check
        for (String sly : List.of("/%61pi/v1/jobs", "/x/%2e%2e/api/v1/jobs", "/api/v1/./jobs", "//api/v1/jobs", "/api/v1/x/../jobs",
                "/dashboard/../api/v1/jobs", "/dashboard/%2e%2e/api/v1/jobs")) {
            given().urlEncodingEnabled(false).contentType("application/json").body("{\"scriptType\":\"x\",\"script\":\"y\"}")
                    .post(sly).then().statusCode(401);
        }
    }

    @Test
    void healthMetricsAndTheDashboardsFilesNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        given().get("/").then().statusCode(200).body(containsString("dashboard.js"));
        given().get("/assets/dashboard.js").then().statusCode(200);
    }

    @Test
    void withTheTokenTheApiAnswers() throws Exception {
        given().header("Authorization", "Bearer " + token()).get("/api/v1/pools").then().statusCode(200);
        given().header("Authorization", "bearer " + token()).get("/api/v1/events").then().statusCode(200);
        // a change passes the check and reaches the resource, which judges the request itself
        given().header("Authorization", "Bearer " + token()).contentType("application/json")
                .body("{\"scriptType\":\"no-such-type\",\"script\":\"echo hi\"}").post("/api/v1/jobs").then()
                .statusCode(422).body("detail", containsString("no pool serves script type 'no-such-type'"));
    }

    @Test
    void theDashboardSessionCookieReadsButNeverChanges() throws Exception {
        Response signIn = given().header("Authorization", "Bearer " + token()).post("/api/v1/session");
        assertThat(signIn.statusCode()).isEqualTo(204);
        String setCookie = signIn.header("Set-Cookie");
        assertThat(setCookie).contains("herd-session=").contains("HttpOnly").contains("SameSite=Strict").doesNotContain(token());
        String session = signIn.cookie("herd-session");

        given().cookie("herd-session", session).get("/api/v1/session").then().statusCode(204);
        given().cookie("herd-session", session).get("/api/v1/pools").then().statusCode(200);
        given().cookie("herd-session", session).contentType("application/json")
                .body("{\"scriptType\":\"x\",\"script\":\"y\"}").post("/api/v1/jobs").then()
                .statusCode(401).body("detail", containsString("changes need the token itself"));
        given().cookie("herd-session", session).contentType("application/json").body("{\"replicas\":1}")
                .put("/api/v1/pools/x/scale").then().statusCode(401);
        given().cookie("herd-session", "forged").get("/api/v1/pools").then().statusCode(401)
                .body("detail", not(emptyOrNullString()));
        // the cookie cannot sign itself in for a change either
        given().cookie("herd-session", session).post("/api/v1/session").then().statusCode(401);
    }

    /**
     * Another local account (uid 65534, as any user of a shared host) reaches loopback but cannot
     * read the token file, so every operation it tries is refused: changes and job reads alike.
     */
    @Test
    void anotherLocalUserIsRefusedEverywhere() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
                "needs root to act as uid 65534");
        String url = base.toString().replaceAll("/$", "");
        StringBuilder script = new StringBuilder("token=$(cat '" + TOKEN_FILE + "' 2>/dev/null); echo \"read:${#token}\"\n");
        for (String[] op : apiOperations()) {
            script.append("printf '%s %s ' ").append(op[0]).append(" '").append(op[1]).append("'; curl -s -o /dev/null -w '%{http_code}\\n' -m 5 -X ")
                    .append(op[0]).append(" -H \"Authorization: Bearer $token\" -H 'Content-Type: application/json' -d '{}' '")
                    .append(url).append(op[1]).append("'\n");
        }
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", script.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).as("uid 65534 cannot read the token file").isEqualTo("read:0");
        assertThat(lines.subList(1, lines.size())).hasSize(apiOperations().size()).allSatisfy(l -> assertThat(l).endsWith(" 401"));
        assertThat(lines).anyMatch(l -> l.startsWith("POST /api/v1/jobs ")).anyMatch(l -> l.startsWith("GET /api/v1/jobs/"))
                .anyMatch(l -> l.startsWith("PUT /api/v1/pools/"));
    }

    /** Every operation of the OpenAPI document under /api/, as {method, path with its parameters filled}. */
    private static List<String[]> apiOperations() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json").asString());
        List<String[]> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            String filled = path.getKey().replaceAll("\\{[^}]+}", "x1");
            path.getValue().fieldNames().forEachRemaining(method -> operations.add(new String[] {method.toUpperCase(), filled}));
        }
        return operations;
    }
}
