package dev.herd.introspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageFiguresTest {

    @Test
    void aStatLineIsReadFromTheLastParenthesisWhateverTheCommandName() {
        String stat = "4242 (my (odd) worker) S 1 4200 4200 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 1000 123456789 2048 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessTable.parse(stat)).hasValue(new ProcessTable.Proc(4242, 1, 4200, 4200, 1000, 250 + 50 + 7 + 3, 2048, 'S'));
        assertThat(ProcessTable.parse("garbage")).isEmpty();
        assertThat(ProcessTable.parse("1 (x) S 1 2")).isEmpty();
    }

    @Test
    void groupsSumTheirMembersOnly() {
        List<ProcessTable.Proc> procs = List.of(new ProcessTable.Proc(10, 1, 10, 10, 0, 100, 10, 'S'), new ProcessTable.Proc(11, 10, 10, 10, 0, 50, 5, 'S'),
                new ProcessTable.Proc(20, 1, 20, 20, 0, 999, 999, 'S'), new ProcessTable.Proc(30, 1, 30, 30, 0, 1, 1, 'S'));
        Map<Integer, GroupUsage> groups = GroupUsage.of(procs, Set.of(10, 30, 40), 4096);
        assertThat(groups).containsOnlyKeys(10, 30);
        assertThat(groups.get(10)).isEqualTo(new GroupUsage(150, 15 * 4096, 2));
    }

    @Test
    void cpuShareIsTicksOverElapsedTimeAndNeverNegative() {
        assertThat(GroupUsage.cpuPercent(100, 200, 1_000_000_000L, 100)).isEqualTo(100.0);
        assertThat(GroupUsage.cpuPercent(100, 150, 2_000_000_000L, 100)).isEqualTo(25.0);
        assertThat(GroupUsage.cpuPercent(100, 400, 1_000_000_000L, 100)).isEqualTo(300.0); // three cores
        assertThat(GroupUsage.cpuPercent(500, 100, 1_000_000_000L, 100)).isZero(); // a member left the group
        assertThat(GroupUsage.cpuPercent(100, 200, 0, 100)).isZero();
    }
}
