package dev.herd.workers;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each script type in its real language, end to end: a job over HTTP, Herd, the real zinit-server
 * running Hero workers with their runner, and the real redis-server.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class HeroRunnersIT {
    private static final List<String> POOLS = List.of("run-osis", "run-sal", "run-python", "run-v");

    @BeforeAll
    static void writePools() {
        POOLS.forEach(p -> HeroPools.write(p, 1, "", "5s", p.substring("run-".length())));
    }

    @AfterAll
    static void removePools() {
        POOLS.forEach(HeroPools::remove);
        HeroPools.awaitGone(POOLS);
    }

    @Test
    void aRhaiScriptComputesAValueAndPrints() {
        JsonPath job = run("run-osis", "let words = [\"a\", \"bb\", \"ccc\"];\nprint(`words: ${words.len()}`);\nlet total = 0;\n"
                + "for w in words { total += w.len(); }\ntotal * 7");
        assertThat(job.getString("status")).isEqualTo("finished");
        assertThat(job.getString("output")).isEqualTo("words: 3\n42");
    }

    @Test
    void aRhaiErrorNamesItsLineAndAnEndlessLoopHitsALimitWhileTheWorkerGoesOn() {
        JsonPath syntax = run("run-osis", "let x = 1;\nlet y = ;");
        assertThat(syntax.getString("status")).isEqualTo("error");
        assertThat(syntax.getString("error")).startsWith("syntax error:").contains("line 2");

        JsonPath endless = run("run-osis", "let n = 0; loop { n += 1; }");
        assertThat(endless.getString("status")).isEqualTo("error");
        assertThat(endless.getString("error")).startsWith("limit hit: the script ran more than");

        JsonPath next = run("run-osis", "\"still here\"");
        assertThat(next.getString("output")).isEqualTo("still here");
        assertThat(next.getString("workerId")).isEqualTo(endless.getString("workerId"));
    }

    @Test
    void aSalScriptAsksTheHostWithExistWhichAndRun() {
        JsonPath job = run("run-sal", "let r = run(\"echo from-the-host\").silent().execute();\n"
                + "print(exist(\"/etc/passwd\"));\nprint(exist(\"/no/such/file\"));\nprint(which(\"sh\"));\nr.stdout");
        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("finished");
        List<String> lines = List.of(job.getString("output").split("\n"));
        assertThat(lines.get(0)).isEqualTo("true");
        assertThat(lines.get(1)).isEqualTo("false");
        assertThat(lines.get(2)).endsWith("/sh");
        assertThat(lines.get(3)).isEqualTo("from-the-host");
    }

    @Test
    void aPythonScriptsOutputComesBackAndItsExceptionAsTheTracebacksLastLine() {
        JsonPath ok = run("run-python", "import sys\nprint(sum(range(10)))\nprint(sys.version_info[0])");
        assertThat(ok.getString("status")).isEqualTo("finished");
        assertThat(ok.getString("output")).isEqualTo("45\n3");

        JsonPath raised = run("run-python", "def f():\n    raise ValueError('boom: the input was empty')\nf()");
        assertThat(raised.getString("status")).isEqualTo("error");
        assertThat(raised.getString("error")).startsWith("ValueError: boom: the input was empty\n").contains("Traceback (most recent call last)")
                .contains("line 2");
    }

    @Test
    void aVJobWithoutAToolchainEndsAtOnceWithTheReason() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("PATH").chars().count() > 0
                && java.util.Arrays.stream(System.getenv("PATH").split(":")).noneMatch(d -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, "v"))),
                "this host has a V toolchain");
        long started = System.nanoTime();
        JsonPath job = run("run-v", "fn main() { println('hi') }");
        assertThat(job.getString("status")).isEqualTo("error");
        assertThat(job.getString("error")).startsWith("this pool's host has no V toolchain: `v` is not on PATH");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));
    }

    /** Submits and waits for the result (the pool's worker may still be starting). */
    private static JsonPath run(String pool, String script) {
        HeroPools.awaitReady(pool, 1);
        return given().contentType("application/json").body(Map.of("pool", pool, "script", script, "timeout", "20s"))
                .post("/api/v1/jobs?wait=40s").then().statusCode(200).extract().jsonPath();
    }
}
