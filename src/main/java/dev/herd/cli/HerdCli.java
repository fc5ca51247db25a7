package dev.herd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line tools. Exit codes: 0 success, 1 the check found problems, 2 bad usage or Herd unreachable. */
@Command(name = "herd", mixinStandardHelpOptions = true,
        description = "Herd: keeps fleets of queue workers alive, right-sized and observable on Zinit hosts.",
        subcommands = {CommandLine.HelpCommand.class, ValidateCommand.class, StatusCommand.class, PlanCommand.class,
                LogsCommand.class, TopCommand.class, DashboardCommand.class})
public final class HerdCli implements Runnable {

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The parser with Herd's conventions: a bad option value is bad usage (exit 2), as every other usage error. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new HerdCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
