package dev.herd.intents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.desired.Exec;
import dev.herd.desired.Limits;
import dev.herd.desired.WorkerTemplate;
import dev.herd.jobs.KeyProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The template hash is the version every running worker carries: a change of the hash rolls every
 * worker of the pool. Pinned here, so a refactoring (a field added to a record, a renamed type)
 * cannot roll a whole fleet unnoticed; a change of these values must be a decision, said in the
 * release notes.
 */
class TemplateHashTest {
    private static final WorkerTemplate MINIMAL = WorkerTemplate.of(new Exec.Argv(List.of("/opt/w", "--id", "{{workerId}}")));
    private static final WorkerTemplate FULL = new WorkerTemplate(new Exec.Line("worker --id {{workerId}}"), Optional.of("test -e /tmp/up"),
            Map.of("B", "2", "A", "1"), List.of("redis"), Optional.of("/srv"), "SIGINT", Duration.ofSeconds(20), Optional.of("osis"),
            Optional.of("workers"), new Limits(Optional.of(512L << 20), Optional.of(500L), Optional.of(64L), Optional.of(1024L),
            Optional.of(Duration.ofHours(1)), Optional.empty()), Optional.of("ab".repeat(32)));

    private static String hash(WorkerTemplate t) {
        return TemplateHash.of(t, KeyProfile.HERO, "redis://127.0.0.1:6379", "/opt/herd", Optional.empty(), false);
    }

    @Test
    void theHashesArePinned() {
        assertThat(hash(MINIMAL)).isEqualTo("0c13a51ee4");
        assertThat(hash(FULL)).isEqualTo("fe50069ef8");
    }

    @Test
    void anUnsetFieldWritesNothingSoAFieldAddedLaterChangesNoExistingHash() {
        assertThat(TemplateHash.lines(MINIMAL, KeyProfile.HERO, "redis://127.0.0.1:6379", "/opt/herd", Optional.empty(), false))
                .isEqualTo("""
                        exec.argv[0]=/opt/w
                        exec.argv[1]=--id
                        exec.argv[2]={{workerId}}
                        stopSignal=SIGTERM
                        shutdownTimeout=PT30S
                        keys=hero,hero:job:{id},hero:work_queue:{queue},hero:reply:{id},hero:stop_queue:{queue},herd:processing:{worker},herd:worker:{worker}
                        redis=redis://127.0.0.1:6379
                        home=/opt/herd
                        """);
    }

    @Test
    void everyFieldThatShapesTheServiceChangesTheHash() {
        String base = hash(FULL);
        assertThat(List.of(
                hash(MINIMAL),
                TemplateHash.of(FULL, KeyProfile.HERO_Q, "redis://127.0.0.1:6379", "/opt/herd", Optional.empty(), false),
                TemplateHash.of(FULL, KeyProfile.HERO, "redis://127.0.0.1:6380", "/opt/herd", Optional.empty(), false),
                TemplateHash.of(FULL, KeyProfile.HERO, "redis://127.0.0.1:6379", "/srv/herd", Optional.empty(), false),
                TemplateHash.of(FULL, KeyProfile.HERO, "redis://127.0.0.1:6379", "/opt/herd", Optional.of("herd-worker"), false),
                TemplateHash.of(FULL, KeyProfile.HERO, "redis://127.0.0.1:6379", "/opt/herd", Optional.empty(), true),
                hash(new WorkerTemplate(FULL.exec(), FULL.test(), Map.of("A", "1", "B", "3"), FULL.after(), FULL.dir(), FULL.stopSignal(),
                        FULL.shutdownTimeout(), FULL.user(), FULL.group(), FULL.limits(), FULL.verifySha256())),
                hash(new WorkerTemplate(FULL.exec(), FULL.test(), FULL.env(), FULL.after(), FULL.dir(), FULL.stopSignal(),
                        FULL.shutdownTimeout(), FULL.user(), FULL.group(), Limits.NONE, FULL.verifySha256()))))
                .doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void aValueCannotPassForAnotherField() {
        WorkerTemplate sneaky = WorkerTemplate.of(new Exec.Argv(List.of("/opt/w\nuser=root")));
        WorkerTemplate base = WorkerTemplate.of(new Exec.Argv(List.of("/opt/w")));
        WorkerTemplate plain = new WorkerTemplate(base.exec(), base.test(), base.env(), base.after(), base.dir(), base.stopSignal(),
                base.shutdownTimeout(), Optional.of("root"), base.group(), base.limits(), base.verifySha256());
        // the same text but for one line break: apart from the escaping, the two would hash alike
        assertThat(TemplateHash.lines(sneaky, KeyProfile.HERO, "r", "h", Optional.empty(), false).replace("\\n", "\n"))
                .isEqualTo(TemplateHash.lines(plain, KeyProfile.HERO, "r", "h", Optional.empty(), false).replace("user=root\n", "")
                        .replace("exec.argv[0]=/opt/w\n", "exec.argv[0]=/opt/w\nuser=root\n"));
        assertThat(hash(sneaky)).isNotEqualTo(hash(plain));
    }
}
