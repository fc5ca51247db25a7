package dev.herd.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.desired.Exec;
import dev.herd.desired.Limits;
import dev.herd.desired.WorkerTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks before a worker is launched, against files in a temporary folder. */
class WorkerLaunchTest {
    private static final Path FILE = Path.of("desired-state/osis.yaml");

    @TempDir
    Path dir;
    private Path program;
    private Accounts accounts;
    private final ProgramFiles programs = new ProgramFiles();

    @BeforeEach
    void files() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // other users may pass, as under /usr/local
        program = dir.resolve("worker");
        Files.writeString(program, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/bin/false\n");
        Path group = Files.writeString(dir.resolve("group"), "root:x:0:\nnogroup:x:65534:\nworkers:x:2000:\n");
        accounts = new Accounts(passwd, group);
    }

    private WorkerLaunch launch(boolean allowRoot) {
        return new WorkerLaunch(accounts, programs, allowRoot, dir.toString() + ":/usr/bin:/bin");
    }

    private static WorkerTemplate template(String program, Optional<String> user, Optional<String> group, Optional<String> sha) {
        WorkerTemplate t = WorkerTemplate.of(new Exec.Argv(List.of(program, "--id", "{{workerId}}")));
        return new WorkerTemplate(t.exec(), t.test(), t.env(), t.after(), t.dir(), t.stopSignal(), t.shutdownTimeout(), user, group,
                Limits.NONE, sha);
    }

    private Optional<LaunchRefusal> check(WorkerLaunch launch, WorkerTemplate t) {
        return launch.check(FILE, t, t.exec(), Map.of(), Optional.empty());
    }

    @Test
    void aSoundTemplatePasses() throws Exception {
        assertThat(check(launch(true), template("worker", Optional.of("nobody"), Optional.empty(), Optional.of(sha(program))))).isEmpty();
    }

    @Test
    void theDefaultUserAppliesOnlyWhereZinitWouldRunTheWorkerAsRoot() throws Exception {
        WorkerTemplate noUser = template("worker", Optional.empty(), Optional.empty(), Optional.empty());
        WorkerLaunch rootZinit = new WorkerLaunch(accounts, programs, false, dir + ":/usr/bin:/bin", Optional.of("nobody"), () -> true);
        assertThat(check(rootZinit, noUser)).isEmpty();
        assertThat(rootZinit.defaultUserFor(noUser)).contains("nobody");
        assertThat(rootZinit.command(new dev.herd.zinit.Command.Argv(List.of("worker")), noUser, "worker-0").toCommandLine())
                .contains("setpriv").contains("65534");
        WorkerLaunch userZinit = new WorkerLaunch(accounts, programs, false, dir + ":/usr/bin:/bin", Optional.of("nobody"), () -> false);
        assertThat(check(userZinit, noUser)).as("a non-root Zinit's user is no root").isEmpty();
        assertThat(userZinit.defaultUserFor(noUser)).isEmpty();
        WorkerLaunch missing = new WorkerLaunch(accounts, programs, false, dir + ":/usr/bin:/bin", Optional.of("herd-nobody"), () -> true);
        assertThat(check(missing, noUser)).get().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("UnknownUser");
            assertThat(r.message()).contains("herd.workers.default-user").contains("bin/install");
        });

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertThat(check(rootZinit, noUser)).get().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("BinaryNotReachable");
            assertThat(r.message()).contains("nobody").contains(dir.toString()).contains("chmod o+x");
        });
    }

    @Test
    void anUnknownUserOrGroupNamesFileFieldAndFix() {
        assertThat(check(launch(true), template(program.toString(), Optional.of("ghost"), Optional.empty(), Optional.empty())))
                .hasValueSatisfying(r -> {
                    assertThat(r.reason()).isEqualTo("UnknownUser");
                    assertThat(r.message()).startsWith("desired-state/osis.yaml: spec.template.user: no user ghost on this host")
                            .contains("nobody").contains("numeric id");
                });
        assertThat(check(launch(true), template(program.toString(), Optional.of("nobody"), Optional.of("ghosts"), Optional.empty())))
                .map(LaunchRefusal::reason).hasValue("UnknownGroup");
    }

    @Test
    void rootIsRefusedWhenForbiddenWhetherAskedForOrImplied() {
        for (String root : List.of("root", "0")) {
            assertThat(check(launch(false), template(program.toString(), Optional.of(root), Optional.empty(), Optional.empty())))
                    .hasValueSatisfying(r -> {
                        assertThat(r.reason()).isEqualTo("RootForbidden");
                        assertThat(r.message()).contains("spec.template.user: asks for root (" + root + ")")
                                .contains("herd.workers.allow-root is false");
                    });
        }
        assertThat(check(launch(false), template(program.toString(), Optional.empty(), Optional.empty(), Optional.empty())))
                .map(LaunchRefusal::message).hasValueSatisfying(m -> assertThat(m).contains("is not set, so the worker would run as Zinit's own user"));
        assertThat(check(launch(false), template(program.toString(), Optional.of("nobody"), Optional.empty(), Optional.empty()))).isEmpty();
        assertThat(check(launch(true), template(program.toString(), Optional.of("root"), Optional.empty(), Optional.empty()))).isEmpty();
    }

    @Test
    void aMissingOrNonExecutableProgramIsReported() throws Exception {
        assertThat(check(launch(true), template("no-such-worker", Optional.empty(), Optional.empty(), Optional.empty())))
                .hasValueSatisfying(r -> {
                    assertThat(r.reason()).isEqualTo("BinaryMissing");
                    assertThat(r.message()).startsWith("desired-state/osis.yaml: spec.template.exec[0]: program no-such-worker is not on PATH");
                });
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rw-r--r--"));
        if (!Files.isExecutable(program)) { // root may execute anything with any x bit; without one, not even root
            assertThat(check(launch(true), template(program.toString(), Optional.empty(), Optional.empty(), Optional.empty())))
                    .map(LaunchRefusal::reason).hasValue("BinaryNotExecutable");
        }
    }

    @Test
    void aDigestMismatchNamesBothDigestsAndTheCacheHashesAFileOnceUntilItChanges() throws Exception {
        String good = sha(program);
        WorkerTemplate pinned = template(program.toString(), Optional.empty(), Optional.empty(), Optional.of(good));
        assertThat(check(launch(true), pinned)).isEmpty();
        long read = programs.bytesHashed();
        assertThat(check(launch(true), pinned)).isEmpty();
        assertThat(programs.bytesHashed()).as("an unchanged file is not read again").isEqualTo(read);

        Files.writeString(program, "#!/bin/sh\nexec evil\n");
        String bad = sha(program);
        assertThat(check(launch(true), pinned)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("BinaryMismatch");
            assertThat(r.message()).startsWith("desired-state/osis.yaml: spec.template.verify.sha256: " + program)
                    .contains("has sha256 " + bad).contains("expected " + good);
        });
        assertThat(programs.bytesHashed()).isGreaterThan(read);
    }

    private static String sha(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
