package dev.herd.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.zinit.LogLine;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    @Test
    void timeWorkerStreamAndTextOnOneLine() {
        LogLine l = new LogLine("osis-0", LogLine.Stream.STDERR, 1_764_464_400_123L, "boom\nsecond");
        assertThat(LogFormat.line(l, false)).isEqualTo("2025-11-30T01:00:00.123Z stderr boom second\n");
        assertThat(LogFormat.line(l, true)).isEqualTo("2025-11-30T01:00:00.123Z osis-0 stderr boom second\n");
        // v0.2 and legacy lines carry no time; legacy-style unknown stream
        assertThat(LogFormat.line(new LogLine("osis-1", LogLine.Stream.UNKNOWN, 0, "hi"), true)).isEqualTo("osis-1 - hi\n");
    }
}
