package dev.herd.bench;

import dev.herd.desired.Exec;
import dev.herd.desired.Limits;
import dev.herd.desired.WorkerTemplate;
import dev.herd.introspect.ProcessTable;
import dev.herd.launch.Accounts;
import dev.herd.launch.ProgramFiles;
import dev.herd.launch.WorkerLaunch;
import dev.herd.strays.StrayReaper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/bench introspect [EXTRA_PROCESSES] [PROGRAM_MB]}: what worker introspection and launch
 * checks cost. One CPU and memory sample (a read of every /proc/PID/stat) against {@code ps} doing
 * the same listing as a process; a stray scan (every stat, and every environment outside Zinit)
 * against {@code ps} listing environments; a pinned program's check, first (hashed) and then
 * cached, against {@code sha256sum} of the same file. Figures are printed, never asserted.
 */
public final class IntrospectionBench {
    private IntrospectionBench() {
    }

    public static void main(String[] args) throws Exception {
        int extra = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int mb = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        List<Process> sleepers = new ArrayList<>();
        Path dir = Files.createTempDirectory("herd-bench-introspect");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> sleepers.forEach(Process::destroyForcibly)));
        try {
            System.out.printf("%-44s %12s %12s %8s%n", "what", "Herd", "baseline", "ratio");
            sample("CPU+memory sample, host as is", 200);
            for (int i = 0; i < extra; i++) {
                sleepers.add(new ProcessBuilder("sleep", "600").start());
            }
            sample("CPU+memory sample, " + extra + " more processes", 200);
            strayScan(extra);
            check(dir, mb);
        } finally {
            sleepers.forEach(Process::destroyForcibly);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).strip()
                + " (the machine may be shared: compare ratios, not absolute times)");
    }

    private static void sample(String what, int rounds) throws Exception {
        for (int i = 0; i < 20; i++) {
            ProcessTable.read(Path.of("/proc"));
        }
        long t = System.nanoTime();
        int processes = 0;
        for (int i = 0; i < rounds; i++) {
            processes = ProcessTable.read(Path.of("/proc")).size();
        }
        double herd = (System.nanoTime() - t) / 1e6 / rounds;
        int psRounds = 20;
        t = System.nanoTime();
        for (int i = 0; i < psRounds; i++) {
            run(List.of("ps", "-e", "-o", "pid=,pgid=,time=,rss="));
        }
        double ps = (System.nanoTime() - t) / 1e6 / psRounds;
        System.out.printf("%-44s %10.2fms %10.2fms %8.2f   (%d processes; baseline: ps -e -o pid,pgid,time,rss)%n",
                what, herd, ps, herd / ps, processes);
    }

    /**
     * One stray scan's /proc part with every process outside Zinit (the worst case: each one's
     * environment is read), against {@code ps} listing every process with its environment.
     */
    private static void strayScan(int extra) throws Exception {
        for (int i = 0; i < 20; i++) {
            StrayReaper.labelledOutside(java.util.Set.of(), "bench", "/run/bench-zinit.sock");
        }
        int rounds = 100;
        long t = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            StrayReaper.labelledOutside(java.util.Set.of(), "bench", "/run/bench-zinit.sock");
        }
        double herd = (System.nanoTime() - t) / 1e6 / rounds;
        int psRounds = 20;
        t = System.nanoTime();
        for (int i = 0; i < psRounds; i++) {
            run(List.of("ps", "-e", "e", "-ww", "-o", "pid=,ppid=,args="));
        }
        double ps = (System.nanoTime() - t) / 1e6 / psRounds;
        System.out.printf("%-44s %10.2fms %10.2fms %8.2f   (%d more processes, all outside Zinit; baseline: ps -e e -ww -o pid,ppid,args)%n",
                "stray scan, every environment read", herd, ps, herd / ps, extra);
    }

    private static void check(Path dir, int mb) throws Exception {
        Path program = dir.resolve("worker");
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(program)) {
            for (int i = 0; i < mb; i++) {
                out.write(block);
            }
        }
        program.toFile().setExecutable(true);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(program)));
        WorkerTemplate t = WorkerTemplate.of(new Exec.Argv(List.of(program.toString())));
        WorkerTemplate pinned = new WorkerTemplate(t.exec(), t.test(), t.env(), t.after(), t.dir(), t.stopSignal(), t.shutdownTimeout(),
                Optional.of("nobody"), Optional.empty(), new Limits(Optional.of(1L << 30), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                Optional.of(digest));
        for (int warm = 0; warm < 2; warm++) {
            new WorkerLaunch(Accounts.system(), new ProgramFiles(), true, System.getenv("PATH"))
                    .check(Path.of("bench.yaml"), pinned, pinned.exec(), Map.of(), Optional.empty());
        }
        WorkerLaunch launch = new WorkerLaunch(Accounts.system(), new ProgramFiles(), true, System.getenv("PATH"));
        long s = System.nanoTime();
        Optional<?> refusal = launch.check(Path.of("bench.yaml"), pinned, pinned.exec(), Map.of(), Optional.empty());
        double first = (System.nanoTime() - s) / 1e6;
        if (refusal.isPresent()) {
            throw new IllegalStateException("the bench's own program was refused: " + refusal.get());
        }
        int rounds = 2000;
        s = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            launch.check(Path.of("bench.yaml"), pinned, pinned.exec(), Map.of(), Optional.empty());
        }
        double cached = (System.nanoTime() - s) / 1e6 / rounds;
        s = System.nanoTime();
        run(List.of("sha256sum", program.toString()));
        double sha256sum = (System.nanoTime() - s) / 1e6;
        System.out.printf("%-44s %10.2fms %10.2fms %8.2f   (baseline: sha256sum of the same file)%n",
                "launch check, " + mb + " MB pinned program, first", first, sha256sum, first / sha256sum);
        System.out.printf("%-44s %10.3fms %10.2fms %8.4f   (cached digest: stats only; user, limits, PATH included)%n",
                "launch check, same program unchanged", cached, sha256sum, cached / sha256sum);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
    }
}
