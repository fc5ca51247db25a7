package dev.herd.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** What the soak calls flat memory: the live heap always, resident memory only once warm. */
class MemoryVerdictTest {
    private static final long MIB = 1 << 20;

    /** One Herd process sampled every 2 s for {@code n} samples, every other one with a live-heap reading. */
    private static List<MemorySampler.Sample> life(int n, IntToLongFunction rssKb, IntToLongFunction liveBytes) {
        List<MemorySampler.Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new MemorySampler.Sample(2.0 * i, 0, rssKb.applyAsLong(i), 40 * MIB, i % 2 == 0 ? liveBytes.applyAsLong(i) : -1));
        }
        return out;
    }

    @Test
    void residentMemoryGrowingWhileTheHeapIsSizedIsNotALeakInAShortRun() {
        MemoryVerdict v = MemoryVerdict.of(life(64, i -> 150_000 + 2_500L * i, i -> 19 * MIB)).orElseThrow();
        assertThat(v.rssRatio()).isGreaterThan(MemoryVerdict.MAX_RATIO);
        assertThat(v.rssJudged()).isFalse();
        assertThat(v.flat()).isTrue();
        assertThat(v.growth()).isEmpty();
    }

    @Test
    void aGrowingLiveHeapIsALeak() {
        MemoryVerdict v = MemoryVerdict.of(life(64, i -> 200_000, i -> 19 * MIB + i * MIB / 2)).orElseThrow();
        assertThat(v.flat()).isFalse();
        assertThat(v.growth()).get().asString().contains("live heap grew");
    }

    @Test
    void residentMemoryIsJudgedOnceTheProcessHasLivedFourMinutes() {
        MemoryVerdict v = MemoryVerdict.of(life(200, i -> 200_000 + 1_000L * i, i -> 19 * MIB)).orElseThrow();
        assertThat(v.rssJudged()).isTrue();
        assertThat(v.growth()).get().asString().contains("resident memory grew");
        assertThat(MemoryVerdict.of(life(200, i -> 200_000 + (i % 5), i -> 19 * MIB)).orElseThrow().flat()).isTrue();
    }

    @Test
    void tooFewLiveReadingsAreNotJudged() {
        assertThat(MemoryVerdict.of(life(14, i -> 200_000, i -> 19 * MIB))).isEmpty();
        assertThat(MemoryVerdict.of(life(16, i -> 200_000, i -> 19 * MIB))).isPresent();
    }
}
