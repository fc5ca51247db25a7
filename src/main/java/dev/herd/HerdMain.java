package dev.herd;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The one entry point of the Herd jar. With no arguments (or {@code run}) it starts the controller;
 * the command-line tools ({@code validate}, {@code plan}, {@code status}, ...) run without starting it.
 */
@QuarkusMain
public final class HerdMain {
    private HerdMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && !"run".equals(args[0])) {
            System.exit(dev.herd.cli.HerdCli.run(args));
        }
        Quarkus.run(args);
    }
}
