package dev.herd;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.herd.zinit.ZinitClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Herd's layering rules, checked on the compiled classes so that a new import cannot quietly break them. */
class ArchitectureTest {
    private static final JavaClasses HERD = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.herd");

    @Test
    void noCycleBetweenPackages() {
        slices().matching("dev.herd.(*)..").should().beFreeOfCycles().check(HERD);
    }

    /**
     * One writer to Zinit, as the kubelet is to its node's runtime: only the reconcile loop creates,
     * deletes, starts, stops, restarts or signals services. Other parts hand it requests (e.g. the
     * health monitor's restart of a worker that fails its pings).
     */
    @Test
    void onlyTheReconcileLoopChangesZinit() {
        noClasses().that().resideOutsideOfPackages("dev.herd.reconcile..", "dev.herd.zinit..")
                .should().callMethodWhere(target(owner(assignableTo(ZinitClient.class)))
                        .and(target(nameMatching("create|delete|deleteStopped|start|stop|restart|kill"))))
                .check(HERD);
    }

    @Test
    void everyPackageSaysWhatItIsFor() throws IOException {
        Path root = Path.of("src/main/java/dev/herd");
        try (Stream<Path> dirs = Files.walk(root)) {
            List<Path> without = dirs.filter(Files::isDirectory).filter(d -> !d.equals(root))
                    .filter(d -> hasJava(d) && !Files.exists(d.resolve("package-info.java"))).toList();
            assertThat(without).as("packages without a package-info.java").isEmpty();
        }
    }

    private static boolean hasJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            return false;
        }
    }
}
