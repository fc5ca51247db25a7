package dev.herd.zinit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The window cursor: what is new in a tail without timestamps. */
class LogFollowerTest {

    private static List<LogLine> lines(String... texts) {
        return Stream.of(texts).map(t -> new LogLine("s", LogLine.Stream.STDOUT, 0, t)).toList();
    }

    private static List<String> texts(List<LogLine> lines) {
        return lines.stream().map(LogLine::text).toList();
    }

    @Test
    void theFirstTailIsAllNew() {
        assertThat(texts(new LogFollower.WindowCursor().newer(lines("a", "b")))).containsExactly("a", "b");
    }

    @Test
    void aGrowingTailPassesOnOnlyTheAddedLines() {
        var cursor = new LogFollower.WindowCursor();
        cursor.newer(lines("a", "b"));
        assertThat(texts(cursor.newer(lines("a", "b", "c")))).containsExactly("c");
        assertThat(texts(cursor.newer(lines("a", "b", "c")))).isEmpty();
    }

    @Test
    void aSlidingTailPassesOnWhatFollowsTheOverlap() {
        var cursor = new LogFollower.WindowCursor();
        cursor.newer(lines("a", "b", "c"));
        assertThat(texts(cursor.newer(lines("c", "d", "e")))).containsExactly("d", "e");
    }

    @Test
    void repeatedLinesAfterTheOverlapAreNotLost() {
        var cursor = new LogFollower.WindowCursor();
        cursor.newer(lines("x", "ok"));
        assertThat(texts(cursor.newer(lines("x", "ok", "ok", "ok")))).containsExactly("ok", "ok");
    }
}
