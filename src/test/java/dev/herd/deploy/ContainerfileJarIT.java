package dev.herd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.testing.PrivateHerd;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Containerfile copies what the build really produces: every COPY source matches something in
 * the project after {@code package}, and the jar its ENTRYPOINT runs is among what it copies.
 * (No image is built here: there is no registry to pull the base image from.)
 */
class ContainerfileJarIT {

    @Test
    void everyCopySourceIsBuildOutputOrPartOfTheCheckout() throws IOException {
        assertThat(PrivateHerd.built()).as(PrivateHerd.jar() + " (run ./mvnw -B package -DskipTests first)").isTrue();
        Path root = PrivateHerd.jar().getParent().getParent().getParent();
        List<String> copied = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("deploy/container/Containerfile"))) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 3 && words[0].equals("COPY")) {
                List<Path> sources = matches(root, words[1]);
                assertThat(sources).as("COPY " + words[1] + " matches nothing under " + root).isNotEmpty();
                String into = words[2].startsWith("/") ? words[2] : "/opt/herd/" + (words[2].equals("./") ? "" : words[2]);
                sources.forEach(s -> copied.add(Path.of(into).resolve(words[1].endsWith("/") ? "" : s.getFileName().toString()).normalize().toString()));
            }
        }
        assertThat(copied).as("what the image holds").contains("/opt/herd/quarkus-run.jar", "/opt/herd/lib", "/opt/herd/app",
                "/opt/herd/quarkus", "/opt/herd/workers/bin", "/opt/herd/workers/reference-worker");
        assertThat(root.resolve("target/quarkus-app/lib/main")).isDirectory();
    }

    /** A COPY source: a folder (trailing slash), a file, or a glob in its last part. */
    private static List<Path> matches(Path root, String source) throws IOException {
        Path path = root.resolve(source);
        if (!source.contains("*")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(path.getParent(), path.getFileName().toString())) {
            dir.forEach(found::add);
        }
        return found;
    }
}
