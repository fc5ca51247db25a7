package dev.herd.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The ring keeps exactly the newest samples, oldest first, whatever the number added. */
class PoolHistoryProperties {

    @Property
    void keepsTheNewestSamplesInOrder(@ForAll @IntRange(min = 1, max = 20) int capacity,
                                      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1000) Integer> steps) {
        PoolHistory history = new PoolHistory(capacity, 5000);
        List<Sample> added = new ArrayList<>();
        long t = 0;
        int i = 0;
        for (int step : steps) {
            t += step; // equal times are allowed: two samples in the same millisecond
            Sample s = new Sample(t, i, i * 2L, i % 7, i % 5, i % 3);
            assertThat(history.add(s)).isTrue();
            added.add(s);
            i++;
        }
        List<Sample> expected = added.subList(Math.max(0, added.size() - capacity), added.size());
        assertThat(samples(history.series("p"))).isEqualTo(expected);
    }

    @Property
    void newerThanIsASuffix(@ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = -1, max = 40) int cut) {
        PoolHistory history = new PoolHistory(10, 1000);
        for (int k = 0; k < n; k++) {
            history.add(new Sample(k, k, 0, 1, 1, 1));
        }
        List<Sample> all = samples(history.series("p"));
        List<Sample> newer = samples(history.newerThan("p", cut));
        assertThat(newer).allMatch(s -> s.epochMillis() > cut);
        assertThat(all).endsWith(newer.toArray(Sample[]::new));
        assertThat(all.size() - newer.size()).isEqualTo((int) all.stream().filter(s -> s.epochMillis() <= cut).count());
    }

    @Test
    void refusesASampleOlderThanTheNewest() {
        PoolHistory history = new PoolHistory(3, 1000);
        history.add(new Sample(2000, 1, 0, 1, 1, 1));
        assertThat(history.add(new Sample(1000, 9, 9, 9, 9, 9))).isFalse();
        assertThat(history.series("p").queued()).containsExactly(1L);
        assertThatThrownBy(() -> new PoolHistory(0, 1000)).hasMessageContaining("at least one sample");
    }

    private static List<Sample> samples(Series s) {
        List<Sample> out = new ArrayList<>();
        for (int k = 0; k < s.size(); k++) {
            out.add(new Sample(s.time().get(k), s.queued().get(k), s.inFlight().get(k), s.desired().get(k),
                    s.current().get(k), s.ready().get(k)));
        }
        return out;
    }
}
