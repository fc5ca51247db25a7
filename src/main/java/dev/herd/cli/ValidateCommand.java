package dev.herd.cli;

import dev.herd.desired.ConfigError;
import dev.herd.desired.DesiredStateScanner;
import dev.herd.desired.ScanResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herd validate PATH...}: the parser and every rule Herd applies, without starting Herd, so a
 * GitOps repository can check its WorkerPool files in its own CI. Errors go to standard output, one a
 * line, in the {@code file:line:column: field: message (hint)} form editors and CI logs link to.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks WorkerPool files and folders (read recursively) and prints every error as"
                + " file:line:column: field: message (hint).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file is valid", "1:errors were found", "2:bad usage, e.g. a path that does not exist"})
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "WorkerPool files or folders")
    List<Path> paths;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE",
            description = "a variable for ${NAME} references, on top of this process's environment")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (one line per error) or json (an object with every error's fields); default: ${DEFAULT-VALUE}")
    Output output;

    @Spec
    CommandSpec spec;

    /** What {@code -o json} prints: the files read, the valid pools, and every error with its fields. */
    record Report(boolean valid, int files, List<String> pools, List<Map<String, Object>> errors) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> missing = paths.stream().filter(p -> !Files.exists(p)).toList();
        if (!missing.isEmpty()) {
            missing.forEach(p -> err.println("validate: no such file or folder: " + p));
            return 2;
        }
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(env);
        ScanResult scan = new DesiredStateScanner(environment).scan(paths);
        List<ConfigError> errors = scan.errors();
        if (output == Output.json) {
            out.println(json(scan, errors));
            return errors.isEmpty() ? ExitCodes.OK : ExitCodes.NOT_AS_DESIRED;
        }
        errors.forEach(out::println);
        String files = scan.files().size() + (scan.files().size() == 1 ? " file" : " files");
        if (!errors.isEmpty()) {
            err.println(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in " + files);
            return 1;
        }
        out.println("ok: " + scan.validPools().size() + " pools in " + files);
        return 0;
    }

    private static String json(ScanResult scan, List<ConfigError> errors) {
        List<Map<String, Object>> fields = errors.stream().map(e -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", e.file().toString());
            f.put("line", e.line());
            f.put("column", e.column());
            f.put("field", e.field());
            f.put("message", e.message());
            f.put("hint", e.hint());
            return f;
        }).toList();
        List<String> pools = scan.validPools().stream().map(dev.herd.desired.WorkerPool::name).sorted().toList();
        try {
            return HerdHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(new Report(errors.isEmpty(), scan.files().size(), pools, fields));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
