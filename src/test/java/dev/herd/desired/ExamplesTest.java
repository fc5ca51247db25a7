package dev.herd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples users copy from must be valid: desired-state/ and the WorkerPool YAML blocks of the docs. */
class ExamplesTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyExamplePoolValidates() {
        ScanResult scan = new DesiredStateScanner(Map.of()).scan(Path.of("desired-state"));

        assertThat(scan.errors()).isEmpty();
        assertThat(scan.validPools()).map(WorkerPool::name).contains("osis", "sal");
        assertThat(scan.validPools()).allSatisfy(p -> assertThat(p.spec().replicas()).isBetween(0, 2));
    }

    @Test
    void everyWorkerPoolBlockOfTheDocsValidates() throws IOException {
        List<String> blocks = new ArrayList<>();
        for (Path doc : List.of(Path.of("README.md"), Path.of("docs/desired-state.md"))) {
            Matcher m = YAML_BLOCK.matcher(Files.readString(doc));
            while (m.find()) {
                if (m.group(1).contains("kind: WorkerPool")) {
                    blocks.add(m.group(1));
                    assertThat(PoolFileParser.parse(doc, m.group(1), Map.of()).errors()).as(doc.toString()).isEmpty();
                }
            }
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
    }
}
