package dev.herd.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.testing.PrivateHerd;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fault soak, two minutes with a fixed seed, as CI runs it (bin/soak runs the same code for
 * ten minutes by default). Fails on any violated invariant, listing them all.
 */
class SoakJarIT {
    @Test
    void twoMinutesOfFaultsViolateNoInvariant() throws Exception {
        Assumptions.assumeTrue(PrivateHerd.built(), "skipped: " + PrivateHerd.jar()
                + " is missing; run ./mvnw verify (these run after package) or ./mvnw package -DskipTests first");
        Soak.Result result = Soak.run(new Soak.Options(Duration.ofMinutes(2), 20261130L, false), System.out);
        System.out.println(result.summary());
        assertThat(result.violations()).as(result.summary()).isEmpty();
    }
}
