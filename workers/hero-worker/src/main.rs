//! Herd's Hero worker. `hero-worker --worker-id ID --pool POOL --runner osis|sal|python|v|sh`
//! takes jobs from Redis and runs them in their real language; `hero-worker run-rhai [--sal]` is
//! the child it starts for one Rhai script. See workers/README.md.

mod clock;
mod job_env;
mod protocol;
mod rhai_child;
mod runner;
mod settings;
mod worker;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run-rhai") => std::process::exit(rhai_child::main(&args[1..])),
        Some("--health-check") => std::process::exit(0),
        Some("--version") => {
            println!("hero-worker {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        _ => {}
    }
    match settings::Settings::parse(&args) {
        Ok(s) => std::process::exit(worker::run(s)),
        Err(e) => {
            eprintln!("hero-worker: {e}");
            std::process::exit(2);
        }
    }
}
