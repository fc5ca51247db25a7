package dev.herd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class ModelProperties {

    @Property(tries = 2000)
    void rolloutBoundsRoundLikeKubernetesAndNeverStall(@ForAll @IntRange(max = 1000) int replicas,
                                                       @ForAll @IntRange(max = 100) int surgePercent,
                                                       @ForAll @IntRange(max = 100) int unavailablePercent) {
        Strategy.Bounds b = new Strategy(new IntOrPercent.Percent(unavailablePercent), new IntOrPercent.Percent(surgePercent))
                .resolve(replicas);

        assertThat(b.maxSurge()).isEqualTo((int) Math.ceil(surgePercent * replicas / 100.0));
        int down = (int) Math.floor(unavailablePercent * replicas / 100.0);
        assertThat(b.maxUnavailable()).isEqualTo(b.maxSurge() == 0 && down == 0 ? 1 : down);
        assertThat(b.maxSurge() + b.maxUnavailable()).isPositive();
    }

    @Property(tries = 1000)
    void durationsReadBackWhatTheyWrite(@ForAll @LongRange(max = 1_000_000_000L) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(Durations.parse(Durations.format(d))).contains(d);
    }

    /** What a user may do to the one file that holds pool osis. */
    enum Edit { VALID_1, VALID_2, INVALID, SYNTAX_ERROR, EMPTY, COMMENTS_ONLY, DELETED, FOLDER_GONE }

    @Provide
    Arbitrary<List<Edit>> edits() {
        return Arbitraries.of(Edit.class).list().ofMinSize(1).ofMaxSize(12);
    }

    /**
     * Against a model: osis is in force with the newest valid replicas until its file is read without it
     * (commented out or deleted); nothing else ever removes it, and its generation counts real changes.
     */
    @Property(tries = 1000)
    void theStoreFollowsTheSimpleModel(@ForAll("edits") @Size(min = 1) List<Edit> edits) {
        DesiredStateStore store = new DesiredStateStore();
        Path root = Path.of("d");
        Optional<Integer> expected = Optional.empty();
        long generation = 0;
        for (Edit edit : edits) {
            ScanResult scan = switch (edit) {
                case FOLDER_GONE -> new ScanResult(List.of(), List.of(root),
                        List.of(new ConfigError(root, 0, 0, "file", "no such file or folder", "-")));
                case DELETED -> ScanResult.of(List.of());
                default -> ScanResult.of(List.of(PoolFileParser.parse(root.resolve("a.yaml"), text(edit), Map.of())));
            };
            Optional<Integer> next = switch (edit) {
                case VALID_1 -> Optional.of(1);
                case VALID_2 -> Optional.of(2);
                case DELETED, COMMENTS_ONLY -> Optional.empty();
                default -> expected;
            };
            if (next.isPresent() && !next.equals(expected)) {
                generation++;
            }
            expected = next;

            DesiredState state = store.accept(scan);
            assertThat(Optional.ofNullable(state.activePools().get("osis")).map(p -> p.spec().replicas())).isEqualTo(expected);
            expected.ifPresent(r -> assertThat(state.pool("osis").orElseThrow().generation()).isEqualTo(
                    state.generations().get("osis")));
        }
        assertThat(store.current().generations().getOrDefault("osis", 0L)).isEqualTo(generation);
    }

    private static String text(Edit edit) {
        return switch (edit) {
            case VALID_1 -> PoolFiles.pool("osis", 1);
            case VALID_2 -> PoolFiles.pool("osis", 2);
            case INVALID -> PoolFiles.pool("osis", -1);
            case SYNTAX_ERROR -> PoolFiles.pool("osis", 3) + "  health: [\n";
            case EMPTY -> "";
            default -> "# osis is gone\n";
        };
    }
}
