package dev.herd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateHerd;
import dev.herd.zinit.ServiceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What stopping Herd (SIGTERM) does to its workers: by default nothing, so a controller restart
 * never takes the fleet down; with {@code herd.reconcile.stop-workers-on-shutdown=true} every
 * owned worker is stopped, dependents before what they depend on.
 */
class ShutdownPolicyJarIT {
    @BeforeAll
    static void needsTheJar() {
        Assumptions.assumeTrue(dev.herd.testing.PrivateHerd.built(), "skipped: " + dev.herd.testing.PrivateHerd.jar()
                + " is missing; run ./mvnw verify (these run after package) or ./mvnw package -DskipTests first");
    }


    /** db workers, and app workers that start after db-0; each writes when it starts and stops. */
    private static void writePools(Rig rig) throws Exception {
        Path stamps = Files.createDirectories(rig.dir.resolve("stamps"));
        String script = "date +%s%N > " + stamps + "/start-{{workerId}}; trap 'date +%s%N > " + stamps
                + "/stop-{{workerId}}; exit 0' TERM; sleep " + rig.sleepArg + " & wait";
        String exec = "[\"sh\", \"-c\", \"" + script + "\"]";
        rig.writePool("db", 2, exec, List.of());
        rig.writePool("app", 2, exec, List.of("db-0"));
    }

    @Test
    void stopWorkersOnShutdownStopsEveryOwnedWorkerDependentsFirst() throws Exception {
        try (Rig rig = new Rig()) {
            writePools(rig);
            PrivateHerd herd = rig.herd(Map.of("herd.reconcile.stop-workers-on-shutdown", "true")).awaitUp(Rig.T);
            rig.awaitRunning("db", 2);
            rig.awaitRunning("app", 2);
            await().atMost(Rig.T).until(() -> rig.sleeps().size() == 4);

            herd.stop();
            assertThat(herd.isAlive()).isFalse();
            assertThat(rig.client.list().await().atMost(Rig.T)).as("services stay, stopped").hasSize(4)
                    .allSatisfy(s -> assertThat(s.state().hasProcess()).as("%s has a process", s.name()).isFalse());
            assertThat(rig.sleeps()).as("worker processes after Herd stopped").isEmpty();
            Map<String, Long> stops = await().atMost(Rig.T).until(() -> stamps(rig, "stop-"), m -> m.size() == 4 && !m.containsValue(Long.MAX_VALUE));
            long lastApp = stops.entrySet().stream().filter(e -> e.getKey().startsWith("app")).mapToLong(Map.Entry::getValue).max().orElseThrow();
            long firstDb = stops.entrySet().stream().filter(e -> e.getKey().startsWith("db")).mapToLong(Map.Entry::getValue).min().orElseThrow();
            assertThat(lastApp).as("last app worker stopped (ns) before the first db worker").isLessThanOrEqualTo(firstDb);
            assertThat(herd.log()).doesNotContain("could not be stopped");

            rig.shutdown();
            assertThat(rig.pgrep()).isEmpty();
        }
    }

    @Test
    void byDefaultStoppingHerdLeavesTheWorkersRunning() throws Exception {
        try (Rig rig = new Rig()) {
            writePools(rig);
            PrivateHerd herd = rig.herd(Map.of()).awaitUp(Rig.T);
            rig.awaitRunning("db", 2);
            Map<String, Integer> before = rig.awaitRunning("app", 2).stream().collect(Collectors.toMap(ServiceStatus::name, ServiceStatus::pid));
            await().atMost(Rig.T).until(() -> rig.sleeps().size() == 4);
            List<Long> sleeps = rig.sleeps().stream().map(ProcessHandle::pid).toList();

            herd.stop();
            assertThat(herd.isAlive()).isFalse();
            Thread.sleep(1000); // give a wrong stop every chance to show
            assertThat(rig.services("app")).allSatisfy(s -> assertThat(s.pid()).isEqualTo(before.get(s.name())));
            assertThat(rig.services("db")).hasSize(2).allSatisfy(s -> assertThat(s.state().hasProcess()).isTrue());
            assertThat(rig.sleeps()).extracting(ProcessHandle::pid).containsExactlyInAnyOrderElementsOf(sleeps);
            assertThat(stamps(rig, "stop-")).isEmpty();

            rig.shutdown();
            assertThat(rig.pgrep()).isEmpty();
        }
    }

    private static Map<String, Long> stamps(Rig rig, String prefix) throws java.io.IOException {
        try (var files = Files.list(rig.dir.resolve("stamps"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).collect(Collectors.toMap(
                    f -> f.getFileName().toString().substring(prefix.length()),
                    f -> {
                        try {
                            return Long.parseLong(Files.readString(f).strip());
                        } catch (Exception e) {
                            return Long.MAX_VALUE; // being written: read again
                        }
                    }));
        }
    }
}
