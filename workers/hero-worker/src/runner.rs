//! Runs one job's script in its real language, always in a child process of its own process group
//! (the stop signal Zinit sends the worker's group does not cut a job short), with the job's
//! timeout (SIGTERM to the job's group, SIGKILL 5 s later) and environment. Output and errors are
//! read from files, capped, so a job that leaves a background process behind cannot hold the
//! worker, and one that prints gigabytes cannot fill Redis.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// At most this much of a job's stdout, and of its stderr, is kept.
pub const OUTPUT_CAP: u64 = 1 << 20;
/// A job that writes more than this to stdout or stderr is stopped: its output files would fill
/// the disk (often RAM) long before anyone reads them.
pub const OUTPUT_LIMIT: u64 = 64 << 20;
const POLL: Duration = Duration::from_millis(200);
/// The worker's ownership labels: a job is not a worker, and what it leaves behind must not pass for one.
const LABELS: [&str; 7] = ["HERD_OWNER", "HERD_POOL", "HERD_ORDINAL", "HERD_TEMPLATE_HASH", "HERD_AFTER", "HERD_ZINIT", "HERD_REDIS_URL"];
const KILL_AFTER: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runner {
    /// OSIS: Rhai (HeroScript), in an embedded engine with limits.
    Osis,
    /// SAL: Rhai with the System Abstraction Layer's functions (files, processes).
    Sal,
    Python,
    V,
    Sh,
}

impl Runner {
    pub fn parse(name: &str) -> Result<Runner, String> {
        match name {
            "osis" | "rhai" => Ok(Runner::Osis),
            "sal" => Ok(Runner::Sal),
            "python" => Ok(Runner::Python),
            "v" => Ok(Runner::V),
            "sh" => Ok(Runner::Sh),
            other => Err(format!("unknown runner '{other}': use osis, sal, python, v or sh")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Runner::Osis => "osis",
            Runner::Sal => "sal",
            Runner::Python => "python",
            Runner::V => "v",
            Runner::Sh => "sh",
        }
    }
}

/// What to run: the job as the worker read it.
pub struct Job<'a> {
    pub id: &'a str,
    pub worker: &'a str,
    pub script: &'a str,
    pub timeout: Duration,
    pub env: &'a [(String, String)],
}

#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub finished: bool,
    pub output: String,
    pub error: String,
}

impl Outcome {
    pub fn error(message: impl Into<String>) -> Outcome {
        Outcome { finished: false, output: String::new(), error: message.into() }
    }

    pub fn status(&self) -> &'static str {
        if self.finished {
            "finished"
        } else {
            "error"
        }
    }
}

/// Why the worker stopped a job.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    Timeout,
    Output,
}

/// How the child ended.
struct Ended {
    code: Option<i32>,
    signal: Option<i32>,
    stopped: Option<Stop>,
    stdout: String,
    stderr: String,
}

pub fn run(runner: Runner, job: &Job) -> Outcome {
    if runner == Runner::V && find_on_path("v").is_none() {
        return Outcome::error(format!(
            "this pool's host has no V toolchain: `v` is not on PATH ({}); install V there, or send V jobs to a pool whose host has it",
            std::env::var("PATH").unwrap_or_default()
        ));
    }
    let dir = match JobDir::create() {
        Ok(d) => d,
        Err(e) => return Outcome::error(format!("could not make the job's private folder in {}: {e}", std::env::temp_dir().display())),
    };
    let ended = match start(runner, job, &dir).and_then(|(command, stdin)| {
        let program = command.get_program().to_string_lossy().into_owned();
        execute(command, stdin, job.timeout, &dir).map_err(|e| std::io::Error::new(e.kind(), format!("{program}: {e}")))
    }) {
        Ok(e) => e,
        Err(e) => return Outcome::error(format!("could not start the {} runner ({e}); is it installed on the pool's host?", runner.name())),
    };
    judge(runner, job.timeout, ended)
}

/// The child's command and what it reads on stdin.
fn start(runner: Runner, job: &Job, dir: &JobDir) -> std::io::Result<(Command, Option<String>)> {
    let (mut command, stdin) = match runner {
        Runner::Osis | Runner::Sal => {
            // the image this process runs, even after bin/install replaced the file on disk
            let mut c = Command::new("/proc/self/exe");
            c.arg("run-rhai");
            if runner == Runner::Sal {
                c.arg("--sal");
            }
            (c, Some(job.script.to_string()))
        }
        Runner::Python => {
            let file = dir.write("job.py", job.script)?;
            let mut c = Command::new("python3");
            c.arg("-u").arg(file);
            (c, None)
        }
        Runner::V => {
            let file = dir.write("job.v", job.script)?;
            let mut c = Command::new("v");
            c.arg("run").arg(file);
            (c, None)
        }
        Runner::Sh => {
            // from a file, not `sh -c`: one argument may hold at most 128 KiB (MAX_ARG_STRLEN), and a
            // script may be up to the API's limit (1 MiB)
            let file = dir.write("job.sh", job.script)?;
            let mut c = Command::new("sh");
            c.arg(file);
            (c, None)
        }
    };
    // the job's environment, without the worker's labels and Redis credentials (HERD_* names are
    // refused in a job's env, so the pool's Rhai limits set here cannot be raised by a job)
    for label in LABELS {
        command.env_remove(label);
    }
    command.env_remove("REDIS_URL");
    command.envs(job.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    command.env("HERD_JOB_ID", job.id).env("HERD_WORKER_ID", job.worker);
    command.env("HERD_RHAI_TIMEOUT_MS", job.timeout.as_millis().to_string());
    command.current_dir(&dir.path);
    Ok((command, stdin))
}

fn execute(mut command: Command, stdin: Option<String>, timeout: Duration, dir: &JobDir) -> std::io::Result<Ended> {
    let out = dir.path.join("stdout");
    let err = dir.path.join("stderr");
    command
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(File::create(&out)?)
        .stderr(File::create(&err)?)
        .process_group(0);
    // SAFETY: prctl(2), getppid(2) and _exit(2) are async-signal-safe, as a pre_exec hook must be.
    // A job whose worker is killed ends with it: Herd runs that job again (recorded as an attempt),
    // and it must not also run on, unrecorded, as an orphan (nor when the worker died before prctl).
    let parent = std::process::id() as libc::pid_t;
    unsafe {
        command.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
    let mut child = command.spawn()?;
    let pid = child.id() as i32;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // a child that exits without reading it is fine: its own outcome says why
        let _ = pipe.write_all(text.as_bytes());
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let deadline = std::time::Instant::now() + timeout;
    let mut stopped = None;
    let status = loop {
        match rx.recv_timeout(POLL) {
            Ok(s) => break s?,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(std::io::Error::other("lost the job's process")),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let too_much = [&out, &err].iter().any(|f| fs::metadata(f).map(|m| m.len() > OUTPUT_LIMIT).unwrap_or(false));
        match stopped {
            None if too_much || std::time::Instant::now() >= deadline => {
                stopped = Some((if too_much { Stop::Output } else { Stop::Timeout }, std::time::Instant::now()));
                signal_group(pid, libc::SIGTERM);
            }
            Some((_, at)) if at.elapsed() >= KILL_AFTER => signal_group(pid, libc::SIGKILL),
            _ => {}
        }
    };
    Ok(Ended {
        code: status.code(),
        signal: status.signal(),
        stopped: stopped.map(|(why, _)| why),
        stdout: read_capped(&out),
        stderr: read_capped(&err),
    })
}

fn signal_group(pid: i32, signal: i32) {
    // SAFETY: kill(2) with a negative pid signals that process group; no memory is touched
    unsafe {
        libc::kill(-pid, signal);
    }
}

/// Turns how the child ended into the job's result, in words a person can act on.
fn judge(runner: Runner, timeout: Duration, e: Ended) -> Outcome {
    let stderr = e.stderr;
    match e.stopped {
        Some(Stop::Timeout) => {
            return Outcome { finished: false, output: e.stdout, error: join(&format!("timed out after {}s", timeout.as_secs()), &stderr) };
        }
        Some(Stop::Output) => {
            let message = format!("stopped: it wrote more than {} MiB of output; write large results to a file", OUTPUT_LIMIT >> 20);
            return Outcome { finished: false, output: e.stdout, error: join(&message, &stderr) };
        }
        None => {}
    }
    if e.code == Some(0) {
        return Outcome { finished: true, output: e.stdout, error: stderr };
    }
    let how = match (e.code, e.signal) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(sig)) => format!("killed by signal {sig}"),
        _ => "ended without an exit code".to_string(),
    };
    let error = match runner {
        // the engine's own message: the error, its kind, its line and position
        Runner::Osis | Runner::Sal if e.code == Some(1) && !stderr.is_empty() => stderr,
        // a traceback ends with the exception: that line first, then the whole traceback
        Runner::Python if stderr.contains("Traceback (most recent call last)") => {
            let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
            format!("{last}\n\n{stderr}")
        }
        _ => join(&how, &stderr),
    };
    Outcome { finished: false, output: e.stdout, error }
}

fn join(head: &str, detail: &str) -> String {
    if detail.is_empty() {
        head.to_string()
    } else {
        format!("{head}: {detail}")
    }
}

fn read_capped(path: &Path) -> String {
    let Ok(file) = File::open(path) else { return String::new() };
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut bytes = Vec::new();
    let _ = file.take(OUTPUT_CAP).read_to_end(&mut bytes);
    // trailing newlines go, as a shell's $(...) drops them: "echo 42" answers "42"
    let mut text = String::from_utf8_lossy(&bytes).trim_end_matches('\n').to_string();
    if total > OUTPUT_CAP {
        text.push_str(&format!("\n… {} more bytes left out (the first {} are kept)", total - OUTPUT_CAP, OUTPUT_CAP));
    }
    text
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|p| p.join(program)).find(|p| {
            use std::os::unix::fs::PermissionsExt;
            fs::metadata(p).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
        })
    })
}

/// Removes the job folders of workers that are gone (a worker SIGKILLed mid-job cannot remove its own).
pub fn remove_stale_job_dirs() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("hero-worker-").and_then(|rest| rest.split('-').next()).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        // SAFETY: geteuid(2) only reads the process's credentials
        let me = unsafe { libc::geteuid() };
        let ours = entry.metadata().map(|m| std::os::unix::fs::MetadataExt::uid(&m) == me).unwrap_or(false);
        if ours && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// A folder only the worker's user can read (mode 0700, a random name made with O_EXCL, so no
/// other local user can plant it), for one job's script and output; removed with the job.
struct JobDir {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl JobDir {
    fn create() -> std::io::Result<JobDir> {
        let dir = tempfile::Builder::new().prefix(&format!("hero-worker-{}-", std::process::id())).tempdir()?;
        let path = dir.path().to_path_buf();
        Ok(JobDir { dir, path })
    }

    fn write(&self, name: &str, text: &str) -> std::io::Result<PathBuf> {
        let file = self.dir.path().join(name);
        fs::write(&file, text)?;
        Ok(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job<'a>(script: &'a str, env: &'a [(String, String)]) -> Job<'a> {
        Job { id: "j1", worker: "w-0", script, timeout: Duration::from_secs(10), env }
    }

    #[test]
    fn sh_returns_output_and_the_exit_code_with_stderr() {
        let ok = run(Runner::Sh, &job("echo hi $HERD_JOB_ID", &[]));
        assert_eq!(ok, Outcome { finished: true, output: "hi j1".into(), error: String::new() });
        let bad = run(Runner::Sh, &job("echo oops >&2; exit 3", &[]));
        assert!(!bad.finished);
        assert_eq!(bad.error, "exit code 3: oops");
    }

    #[test]
    fn the_job_env_is_given_and_the_redis_url_is_not() {
        std::env::set_var("HERD_REDIS_URL", "redis://:secret@127.0.0.1:1");
        let env = [("NAME".to_string(), "x y".to_string())];
        let o = run(Runner::Sh, &job("echo \"$NAME|${HERD_REDIS_URL:-none}\"", &env));
        assert_eq!(o.output, "x y|none");
    }

    #[test]
    fn a_job_over_its_timeout_is_stopped_with_its_group() {
        let j = Job { id: "j", worker: "w", script: "sleep 30 & sleep 30", timeout: Duration::from_millis(300), env: &[] };
        let started = std::time::Instant::now();
        let o = run(Runner::Sh, &j);
        assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
        assert!(o.error.starts_with("timed out after 0s"), "{}", o.error);
    }

    #[test]
    fn a_background_process_left_behind_does_not_hold_the_job() {
        let started = std::time::Instant::now();
        let o = run(Runner::Sh, &job("(sleep 3 >/dev/null 2>&1 &) ; echo done", &[]));
        assert!(o.finished);
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    }

    #[test]
    fn a_script_longer_than_one_argument_may_be_runs() {
        let script = format!("echo big\n#{}\n", "x".repeat(600_000));
        let o = run(Runner::Sh, &job(&script, &[]));
        assert!(o.finished, "{}", o.error);
        assert_eq!(o.output.trim(), "big");
    }

    #[test]
    fn output_beyond_the_cap_is_cut_and_said() {
        let o = run(Runner::Sh, &job("head -c 1100000 /dev/zero | tr '\\0' a", &[]));
        assert!(o.output.len() < 1_100_000);
        assert!(o.output.ends_with("(the first 1048576 are kept)"), "{}", &o.output[o.output.len() - 80..]);
    }

    #[test]
    fn a_job_that_floods_its_output_is_stopped() {
        let o = run(Runner::Sh, &job("yes", &[]));
        assert!(!o.finished);
        assert!(o.error.starts_with("stopped: it wrote more than 64 MiB of output"), "{}", o.error);
        assert!(o.output.len() <= (OUTPUT_CAP as usize) + 100);
    }

    #[test]
    fn a_job_does_not_see_the_workers_labels() {
        std::env::set_var("HERD_OWNER", "herd");
        let o = run(Runner::Sh, &job("echo \"${HERD_OWNER:-none}|$HERD_RHAI_TIMEOUT_MS\"", &[]));
        assert_eq!(o.output, "none|10000");
    }

    #[test]
    fn v_without_a_toolchain_ends_at_once_with_what_to_do() {
        if find_on_path("v").is_some() {
            return; // this host has V: nothing to show here
        }
        let o = run(Runner::V, &job("println('hi')", &[]));
        assert!(!o.finished);
        assert!(o.error.contains("no V toolchain"), "{}", o.error);
    }
}
