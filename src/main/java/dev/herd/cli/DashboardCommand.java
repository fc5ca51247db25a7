package dev.herd.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code herd dashboard}: the link that signs this browser in to the dashboard. The token rides in
 * the link's fragment, which the browser keeps to itself; the page trades it for a session cookie
 * and removes it from the address bar. Only who can read the token can print the link.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Prints the link that opens the dashboard signed in (it holds the API token: do not share it).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the link is printed", "2:no token to put in it, or bad usage"})
public final class DashboardCommand implements Callable<Integer> {
    @Mixin
    LiveOptions live;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliToken token = live.token();
        if (token.value().isEmpty()) {
            spec.commandLine().getErr().println("dashboard: " + token.why());
            return ExitCodes.UNUSABLE;
        }
        String base = live.url.toString().replaceAll("/+$", "");
        spec.commandLine().getOut().println(base + "/#token=" + URLEncoder.encode(token.value().get(), StandardCharsets.UTF_8));
        return ExitCodes.OK;
    }
}
