//! `hero-worker run-rhai [--sal]`: the child that runs one OSIS (Rhai) or SAL script, read from
//! stdin. `print` and `debug` write the job's output; a value the script ends with is printed
//! last. Limits end a runaway script with an error instead of a wedged worker: operations, call
//! depth, expression depth, string, array and map sizes, and the job's time (checked between
//! operations; the worker also stops the whole child at the job's timeout).
//! Exit 0 when the script succeeded, 1 with the error on stderr when it did not.

use rhai::{Dynamic, Engine, EvalAltResult};
use std::io::Read;
use std::time::{Duration, Instant};

/// Limits a pool can change through its environment.
struct Limits {
    operations: u64,
    call_levels: usize,
    string_size: usize,
    array_size: usize,
    map_size: usize,
    time: Duration,
}

impl Limits {
    fn from_env() -> Limits {
        Limits {
            operations: number("HERD_RHAI_MAX_OPERATIONS", 10_000_000),
            call_levels: number("HERD_RHAI_MAX_CALL_LEVELS", 64) as usize,
            string_size: number("HERD_RHAI_MAX_STRING_SIZE", 10 << 20) as usize,
            array_size: number("HERD_RHAI_MAX_ARRAY_SIZE", 1_000_000) as usize,
            map_size: number("HERD_RHAI_MAX_MAP_SIZE", 1_000_000) as usize,
            time: Duration::from_millis(number("HERD_RHAI_TIMEOUT_MS", 60_000)),
        }
    }
}

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(default)
}

/// An engine for `sal` scripts too (`with_sal`): every SAL module of the OS and process crates.
fn engine(limits: &Limits, with_sal: bool) -> Result<Engine, String> {
    let mut engine = Engine::new();
    engine.set_max_operations(limits.operations);
    engine.set_max_call_levels(limits.call_levels);
    engine.set_max_expr_depths(64, 32);
    engine.set_max_string_size(limits.string_size);
    engine.set_max_array_size(limits.array_size);
    engine.set_max_map_size(limits.map_size);
    let deadline = Instant::now() + limits.time;
    engine.on_progress(move |_| if Instant::now() >= deadline { Some(Dynamic::from("time")) } else { None });
    // the job's environment (HERD_JOB_ID, HERD_WORKER_ID and the job's env), () when unset
    engine.register_fn("env", |name: &str| std::env::var(name).map(Dynamic::from).unwrap_or(Dynamic::UNIT));
    engine.on_print(|text| println!("{text}"));
    engine.on_debug(|text, _source, _position| println!("{text}"));
    if with_sal {
        sal_os::rhai::register_os_module(&mut engine).map_err(|e| format!("could not load the SAL os module: {e}"))?;
        sal_process::rhai::register_process_module(&mut engine).map_err(|e| format!("could not load the SAL process module: {e}"))?;
    }
    Ok(engine)
}

/// What went wrong, said so that the script's author knows what to change.
fn describe(error: &EvalAltResult, limits: &Limits) -> String {
    match error {
        EvalAltResult::ErrorTooManyOperations(pos) => format!(
            "limit hit: the script ran more than {} operations ({pos}); an endless loop? (HERD_RHAI_MAX_OPERATIONS raises it)",
            limits.operations
        ),
        EvalAltResult::ErrorTerminated(_, pos) => {
            format!("limit hit: the script ran longer than its timeout of {} ms ({pos})", limits.time.as_millis())
        }
        EvalAltResult::ErrorStackOverflow(pos) => format!(
            "limit hit: calls nested deeper than {} levels ({pos}); endless recursion? (HERD_RHAI_MAX_CALL_LEVELS raises it)",
            limits.call_levels
        ),
        EvalAltResult::ErrorDataTooLarge(what, pos) => format!("limit hit: {what} too large ({pos})"),
        EvalAltResult::ErrorParsing(kind, pos) => format!("syntax error: {kind} ({pos})"),
        other => format!("runtime error: {other}"),
    }
}

/// Runs the script on stdin; the process's exit code is the result.
pub fn main(args: &[String]) -> i32 {
    let with_sal = args.iter().any(|a| a == "--sal");
    let mut script = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut script) {
        eprintln!("could not read the script: {e}");
        return 1;
    }
    let limits = Limits::from_env();
    let engine = match engine(&limits, with_sal) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    match engine.eval::<Dynamic>(&script) {
        Ok(value) => {
            if !value.is_unit() {
                println!("{value}");
            }
            0
        }
        Err(error) => {
            eprintln!("{}", describe(&error, &limits));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(script: &str, limits: &Limits) -> Result<Dynamic, String> {
        engine(limits, true).unwrap().eval::<Dynamic>(script).map_err(|e| describe(&e, limits))
    }

    fn limits() -> Limits {
        Limits { operations: 1_000_000, call_levels: 32, string_size: 1 << 20, array_size: 10_000, map_size: 10_000, time: Duration::from_secs(10) }
    }

    #[test]
    fn a_value_is_computed() {
        assert_eq!(eval("let x = 40; x + 2", &limits()).unwrap().as_int().unwrap(), 42);
    }

    #[test]
    fn an_endless_loop_hits_the_operation_limit() {
        let e = eval("let n = 0; loop { n += 1; }", &limits()).unwrap_err();
        assert!(e.starts_with("limit hit: the script ran more than 1000000 operations"), "{e}");
    }

    #[test]
    fn endless_recursion_hits_the_call_depth_limit() {
        let e = eval("fn f(n) { f(n + 1) } f(0)", &limits()).unwrap_err();
        assert!(e.starts_with("limit hit: calls nested deeper than 32"), "{e}");
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let e = eval("let x = ;\n", &limits()).unwrap_err();
        assert!(e.starts_with("syntax error:") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn a_runtime_error_names_its_line() {
        let e = eval("let x = 1;\nx.nope()", &limits()).unwrap_err();
        assert!(e.starts_with("runtime error:") && e.contains("line 2"), "{e}");
    }

    #[test]
    fn sal_functions_answer_from_the_host() {
        assert!(eval("exist(\"/etc/passwd\")", &limits()).unwrap().as_bool().unwrap());
        assert!(eval("which(\"sh\")", &limits()).unwrap().to_string().ends_with("/sh"));
    }

    #[test]
    fn the_time_limit_ends_a_slow_script() {
        let l = Limits { time: Duration::from_millis(100), operations: u64::MAX, ..limits() };
        let e = eval("loop {}", &l).unwrap_err();
        assert!(e.starts_with("limit hit: the script ran longer than its timeout of 100 ms"), "{e}");
    }
}
