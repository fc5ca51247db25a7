package dev.herd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
    private static final String POOL = "apiVersion: herd/v1\nkind: WorkerPool\nmetadata: {name: osis}\n"
            + "spec: {template: {exec: [/bin/w, \"${WORKER_FLAG}\"]}}\n";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new HerdCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void validFilesExitZero() throws IOException {
        Files.writeString(dir.resolve("osis.yaml"), POOL);

        assertThat(run("validate", "--env", "WORKER_FLAG=-v", dir.toString())).isZero();
        assertThat(out).hasToString("ok: 1 pools in 1 file\n");
    }

    @Test
    void everyErrorIsPrintedAndTheExitCodeIsOne() throws IOException {
        Files.writeString(dir.resolve("osis.yaml"), POOL.replace("spec: {", "spec: {replica: 1, "));
        Files.writeString(dir.resolve("sal.yaml"), "apiVersion: herd/v1\n");
        Path osis = dir.resolve("osis.yaml");
        Path sal = dir.resolve("sal.yaml");

        assertThat(run("validate", "-e", "WORKER_FLAG=x", osis.toString(), sal.toString())).isEqualTo(1);
        assertThat(out.toString().lines()).containsExactly(
                osis + ":4:8: spec.replica: unknown field \"replica\" (did you mean \"replicas\"?)",
                sal + ":1:1: kind: is required (add kind: WorkerPool)",
                sal + ":1:1: metadata: is required (add metadata: with the pool's name)",
                sal + ":1:1: spec: is required (add spec: with at least a template)");
        assertThat(err).hasToString("4 errors in 2 files\n");
    }

    @Test
    void jsonOutputHasEveryErrorsFieldsAndTheSameExitCodes() throws Exception {
        Files.writeString(dir.resolve("osis.yaml"), POOL.replace("spec: {", "spec: {replica: 1, "));
        Path osis = dir.resolve("osis.yaml");

        assertThat(run("validate", "-e", "WORKER_FLAG=x", "-o", "json", osis.toString())).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(report.path("valid").asBoolean(true)).isFalse();
        assertThat(report.path("files").asInt()).isEqualTo(1);
        assertThat(report.path("errors")).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode error = report.path("errors").get(0);
        assertThat(error.path("file").asText()).isEqualTo(osis.toString());
        assertThat(error.path("line").asInt()).isEqualTo(4);
        assertThat(error.path("column").asInt()).isEqualTo(8);
        assertThat(error.path("field").asText()).isEqualTo("spec.replica");
        assertThat(error.path("message").asText()).isEqualTo("unknown field \"replica\"");
        assertThat(error.path("hint").asText()).isEqualTo("did you mean \"replicas\"?");
        assertThat(err.toString()).isEmpty();

        out.getBuffer().setLength(0);
        Files.writeString(osis, POOL);
        assertThat(run("validate", "-e", "WORKER_FLAG=x", "--output", "json", dir.toString())).isZero();
        report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(report.path("valid").asBoolean()).isTrue();
        assertThat(report.path("pools").get(0).asText()).isEqualTo("osis");
        assertThat(report.path("errors")).isEmpty();
    }

    @Test
    void aMissingPathIsBadUsage() {
        assertThat(run("validate", dir.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("validate: no such file or folder: " + dir.resolve("nope"));
    }

    @Test
    void noPathAtAllIsBadUsage() {
        assertThat(run("validate")).isEqualTo(2);
    }
}
