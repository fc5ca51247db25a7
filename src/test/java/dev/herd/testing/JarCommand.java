package dev.herd.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Herd jar run as a command ({@code java -jar quarkus-run.jar status ...}), as an operator or a
 * script runs it: its exit code, standard output and standard error, each read in full.
 *
 * @param exit the process's exit code
 * @param out  what it printed on standard output
 * @param err  what it printed on standard error
 */
public record JarCommand(int exit, String out, String err) {

    public static JarCommand run(String... args) {
        if (!PrivateHerd.built()) {
            throw new IllegalStateException(PrivateHerd.jar() + " is missing: run ./mvnw -B package -DskipTests first");
        }
        try {
            Path out = Files.createTempFile("herd-cli-", ".out");
            Path err = Files.createTempFile("herd-cli-", ".err");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", PrivateHerd.jar().toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not end in 60s");
            }
            JarCommand result = new JarCommand(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the Herd jar: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
