//! What the worker is told: its arguments, and the protocol's keys and timings from the
//! environment Herd gives every worker (`HERD_KEY_*`), with the original Hero design's defaults.

use crate::runner::Runner;
use std::env;
use std::time::Duration;

pub struct Settings {
    pub redis_url: String,
    pub worker: String,
    pub pool: String,
    pub runner: Runner,
    pub keys: Keys,
    /// How often a job in hand beats (job `heartbeat`, worker `beat`).
    pub beat: Duration,
    pub ping_script: String,
    pub ping_reply: String,
    /// How long one blocking take waits before it is asked again (only a liveness bound: a stop
    /// unblocks it at once).
    pub block: Duration,
}

/// Key templates: `{id}` a job id, `{queue}` a worker id or pool name, `{worker}` this worker's id.
pub struct Keys {
    job: String,
    work: String,
    reply: String,
    processing: String,
    worker: String,
}

impl Keys {
    fn from_env() -> Keys {
        Keys {
            job: var("HERD_KEY_JOB", "hero:job:{id}"),
            work: var("HERD_KEY_WORK", "hero:work_queue:{queue}"),
            reply: var("HERD_KEY_REPLY", "hero:reply:{id}"),
            processing: var("HERD_KEY_PROCESSING", "herd:processing:{worker}"),
            worker: var("HERD_KEY_WORKER", "herd:worker:{worker}"),
        }
    }

    pub fn job(&self, id: &str) -> String {
        fill(&self.job, id)
    }

    pub fn work(&self, queue: &str) -> String {
        fill(&self.work, queue)
    }

    pub fn reply(&self, id: &str) -> String {
        fill(&self.reply, id)
    }

    pub fn processing(&self, worker: &str) -> String {
        fill(&self.processing, worker)
    }

    pub fn worker(&self, worker: &str) -> String {
        fill(&self.worker, worker)
    }
}

fn fill(template: &str, value: &str) -> String {
    template.replace("{id}", value).replace("{queue}", value).replace("{worker}", value)
}

fn var(name: &str, default: &str) -> String {
    env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string())
}

fn seconds(name: &str, default: u64) -> Result<Duration, String> {
    match env::var(name) {
        Ok(v) if !v.is_empty() => v
            .parse::<u64>()
            .ok()
            .filter(|s| *s > 0)
            .map(Duration::from_secs)
            .ok_or_else(|| format!("{name}={v}: a whole number of seconds above 0 is needed")),
        _ => Ok(Duration::from_secs(default)),
    }
}

pub const USAGE: &str = "usage: hero-worker --worker-id ID --pool POOL [--runner osis|sal|python|v|sh] [--redis-url URL]\n\
    The Redis URL can also come from HERD_REDIS_URL or REDIS_URL (keeps a password off the command line).";

impl Settings {
    /// From the command line (without the program name) and the environment.
    pub fn parse(args: &[String]) -> Result<Settings, String> {
        let mut redis_url = None;
        let mut worker = None;
        let mut pool = None;
        let mut runner = env::var("HERD_RUNNER").ok().filter(|v| !v.is_empty());
        let mut i = 0;
        while i < args.len() {
            let value = || args.get(i + 1).cloned().ok_or_else(|| format!("{} needs a value\n{USAGE}", args[i]));
            match args[i].as_str() {
                "--redis-url" => redis_url = Some(value()?),
                "--worker-id" => worker = Some(value()?),
                "--pool" => pool = Some(value()?),
                "--runner" => runner = Some(value()?),
                other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
            }
            i += 2;
        }
        let redis_url = redis_url
            .or_else(|| env::var("HERD_REDIS_URL").ok().filter(|v| !v.is_empty()))
            .or_else(|| env::var("REDIS_URL").ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "redis://127.0.0.1:6379".to_string());
        let (worker, pool) = match (worker, pool) {
            (Some(w), Some(p)) if !w.is_empty() && !p.is_empty() => (w, p),
            _ => return Err(format!("--worker-id and --pool are required\n{USAGE}")),
        };
        Ok(Settings {
            redis_url,
            worker,
            pool,
            runner: Runner::parse(runner.as_deref().unwrap_or("sh"))?,
            keys: Keys::from_env(),
            beat: seconds("HERD_BEAT_SECONDS", 2)?,
            ping_script: var("HERD_PING_SCRIPT", "ping"),
            ping_reply: var("HERD_PING_REPLY", "pong"),
            block: seconds("HERD_BLOCK_SECONDS", 30)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn a_template_takes_its_value_for_every_placeholder() {
        assert_eq!(fill("hero:work_queue:{queue}", "osis-0"), "hero:work_queue:osis-0");
        assert_eq!(fill("herd:processing:{worker}", "osis-0"), "herd:processing:osis-0");
        assert_eq!(fill("hero:job:{id}", "j1"), "hero:job:j1");
    }
}
