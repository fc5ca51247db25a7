//! The Hero job protocol on Redis, as Herd's docs/jobs.md states it: each step one round trip
//! (a Lua script where it writes several keys, so nothing is ever seen half done).

use crate::clock::{epoch_ms, iso_now};
use crate::settings::Settings;
use redis::{Client, Connection, RedisResult};
use std::time::Duration;

/// Marks the job started and the worker busy; answers [timeout, env_vars, script], or nil when the
/// job is not this worker's to start: its hash is gone (withdrawn meanwhile), it is no longer in the
/// worker's processing list, or it already has a result (a take adopted twice runs once).
const START_JOB: &str = "if redis.call('EXISTS', KEYS[1]) == 0 or not redis.call('LPOS', KEYS[3], ARGV[4]) then return false end
local done = redis.call('HGET', KEYS[1], 'status')
if done == 'finished' or done == 'error' then return false end
redis.call('HSET', KEYS[1], 'status', 'started', 'worker_id', ARGV[1], 'updated_at', ARGV[2], 'heartbeat', ARGV[3])
redis.call('HSET', KEYS[2], 'state', 'busy', 'current_job', ARGV[4], 'beat', ARGV[3])
local f = redis.call('HMGET', KEYS[1], 'timeout', 'env_vars', 'script')
return {f[1] or '', f[2] or '', f[3] or ''}";

/// A finished job's record (KEYS[1]) and reply (KEYS[2]) expire after the job's retention
/// (seconds, written by Herd at submission), as Kubernetes' ttlSecondsAfterFinished.
macro_rules! expire_after_retention {
    () => {
        "local keep = tonumber(redis.call('HGET', KEYS[1], 'retention') or '')
if keep and keep >= 1 then keep = math.min(math.floor(keep), 2592000); redis.call('EXPIRE', KEYS[1], keep); redis.call('EXPIRE', KEYS[2], keep) end
"
    };
}

/// Result and reply (only onto a job that still exists: a withdrawn ping leaves nothing behind),
/// then processing list, worker idle.
const FINISH_JOB: &str = concat!("if redis.call('EXISTS', KEYS[1]) == 1 then
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'output', ARGV[2], 'error', ARGV[3], 'updated_at', ARGV[4])
redis.call('LPUSH', KEYS[2], ARGV[1])
", expire_after_retention!(), "end
redis.call('LREM', KEYS[3], 1, ARGV[5])
redis.call('HSET', KEYS[4], 'state', 'idle', 'current_job', '', 'last_job_at', ARGV[6])");

/// Answers the job at once when it is a ping (1), else leaves it for the worker's job lane (0). A
/// ping answered while a job runs leaves the worker busy.
const ANSWER_PING: &str = concat!("if redis.call('HGET', KEYS[1], 'script') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'finished', 'output', ARGV[2], 'error', '', 'updated_at', ARGV[3], 'worker_id', ARGV[6])
redis.call('LPUSH', KEYS[2], 'finished')
", expire_after_retention!(), "redis.call('LREM', KEYS[3], 1, ARGV[4])
if redis.call('HGET', KEYS[4], 'state') ~= 'busy' then redis.call('HSET', KEYS[4], 'last_job_at', ARGV[5]) end
return 1");

/// A job taken but not started goes back to the right end of its queue (the next to be taken).
const HAND_BACK: &str = "if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then redis.call('RPUSH', KEYS[2], ARGV[1]) end";

/// The worker's status hash as it starts (and as it is written again if Redis lost it: judged by
/// `started_at`, as a beat that got in first after the loss leaves a hash with `beat` alone).
const SAY_STARTED: &str = "if ARGV[6] == '1' and redis.call('HEXISTS', KEYS[1], 'started_at') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'pool', ARGV[1], 'started_at', ARGV[2], 'pid', ARGV[3], 'state', ARGV[4], 'current_job', ARGV[5], 'runner', ARGV[7])
return 1";

/// One connection, made again after any failure (a failed call leaves its state unknown).
pub struct Link {
    client: Client,
    read_timeout: Duration,
    con: Option<Connection>,
    /// Set when the connection was made again, so the caller can restore what Redis may have lost.
    pub reconnected: bool,
}

impl Link {
    pub fn new(url: &str, read_timeout: Duration) -> Result<Link, String> {
        let client = Client::open(url)
            .map_err(|e| format!("bad Redis URL (redis://[:password@]host:port[/db] or unix:///path; this build has no TLS): {e}"))?;
        Ok(Link { client, read_timeout, con: None, reconnected: false })
    }

    /// Runs `call` on the connection, making it first if needed; a failure drops the connection.
    pub fn with<T>(&mut self, call: impl FnOnce(&mut Connection) -> RedisResult<T>) -> RedisResult<T> {
        if self.con.is_none() {
            let con = self.client.get_connection_with_timeout(Duration::from_secs(5))?;
            con.set_read_timeout(Some(self.read_timeout))?;
            con.set_write_timeout(Some(Duration::from_secs(10)))?;
            self.con = Some(con);
            self.reconnected = true;
        }
        let result = call(self.con.as_mut().expect("connected above"));
        if result.is_err() {
            self.con = None;
        }
        result
    }
}

/// Whether a failed call may succeed if tried again: the connection, or a server that is loading,
/// failing over or busy. A refusal (wrong type, no permission, unknown command) will not.
pub fn retryable(e: &redis::RedisError) -> bool {
    e.is_io_error()
        || matches!(e.kind(), redis::ErrorKind::BusyLoadingError | redis::ErrorKind::TryAgain | redis::ErrorKind::ClusterDown
            | redis::ErrorKind::MasterDown | redis::ErrorKind::ReadOnly)
}

/// What a job asks for, as read when it was marked started.
pub struct Started {
    pub timeout: String,
    pub env_vars: String,
    pub script: String,
}

pub fn take(link: &mut Link, from: &str, to: &str, block: Duration) -> RedisResult<Option<String>> {
    link.with(|c| redis::cmd("BLMOVE").arg(from).arg(to).arg("RIGHT").arg("LEFT").arg(block.as_secs()).query(c))
}

pub fn client_id(link: &mut Link) -> RedisResult<u64> {
    link.with(|c| redis::cmd("CLIENT").arg("ID").query(c))
}

pub fn unblock(link: &mut Link, client: u64) -> RedisResult<()> {
    link.with(|c| redis::cmd("CLIENT").arg("UNBLOCK").arg(client).query::<i64>(c).map(|_| ()))
}

pub fn start(link: &mut Link, s: &Settings, id: &str) -> RedisResult<Option<Started>> {
    let fields: Option<Vec<String>> = link.with(|c| {
        redis::cmd("EVAL").arg(START_JOB).arg(3).arg(s.keys.job(id)).arg(s.keys.worker(&s.worker))
            .arg(s.keys.processing(&s.worker)).arg(&s.worker).arg(iso_now()).arg(epoch_ms()).arg(id).query(c)
    })?;
    Ok(fields.map(|mut f| {
        let script = f.pop().unwrap_or_default();
        let env_vars = f.pop().unwrap_or_default();
        let timeout = f.pop().unwrap_or_default();
        Started { timeout, env_vars, script }
    }))
}

pub fn finish(link: &mut Link, s: &Settings, id: &str, status: &str, output: &str, error: &str) -> RedisResult<()> {
    link.with(|c| {
        redis::cmd("EVAL").arg(FINISH_JOB).arg(4).arg(s.keys.job(id)).arg(s.keys.reply(id))
            .arg(s.keys.processing(&s.worker)).arg(s.keys.worker(&s.worker))
            .arg(status).arg(output).arg(error).arg(iso_now()).arg(id).arg(epoch_ms()).query(c)
    })
}

/// True when the job was a ping and is answered.
pub fn answer_ping(link: &mut Link, s: &Settings, id: &str) -> RedisResult<bool> {
    let answered: i64 = link.with(|c| {
        redis::cmd("EVAL").arg(ANSWER_PING).arg(4).arg(s.keys.job(id)).arg(s.keys.reply(id))
            .arg(s.keys.processing(&s.worker)).arg(s.keys.worker(&s.worker))
            .arg(&s.ping_script).arg(&s.ping_reply).arg(iso_now()).arg(id).arg(epoch_ms()).arg(&s.worker).query(c)
    })?;
    Ok(answered == 1)
}

pub fn hand_back(link: &mut Link, s: &Settings, id: &str, queue: &str) -> RedisResult<()> {
    link.with(|c| {
        redis::cmd("EVAL").arg(HAND_BACK).arg(2).arg(s.keys.processing(&s.worker)).arg(s.keys.work(queue)).arg(id).query(c)
    })
}

/// The ids in the worker's processing list.
pub fn processing(link: &mut Link, s: &Settings) -> RedisResult<Vec<String>> {
    link.with(|c| redis::cmd("LRANGE").arg(s.keys.processing(&s.worker)).arg(0).arg(-1).query(c))
}

pub fn drop_taken(link: &mut Link, s: &Settings, id: &str) -> RedisResult<()> {
    link.with(|c| redis::cmd("LREM").arg(s.keys.processing(&s.worker)).arg(1).arg(id).query::<i64>(c).map(|_| ()))
}

/// Writes the worker's status hash; with `only_if_lost`, only when Redis no longer has it.
pub fn say_started(link: &mut Link, s: &Settings, started_at: &str, state: &str, job: &str, only_if_lost: bool) -> RedisResult<()> {
    link.with(|c| {
        redis::cmd("EVAL").arg(SAY_STARTED).arg(1).arg(s.keys.worker(&s.worker))
            .arg(&s.pool).arg(started_at).arg(std::process::id()).arg(state).arg(job)
            .arg(if only_if_lost { "1" } else { "0" }).arg(s.runner.name()).query::<i64>(c).map(|_| ())
    })
}

pub fn say_stopped(link: &mut Link, s: &Settings) -> RedisResult<()> {
    link.with(|c| redis::cmd("HSET").arg(s.keys.worker(&s.worker)).arg("state").arg("stopped").query::<i64>(c).map(|_| ()))
}

pub fn beat(link: &mut Link, s: &Settings, id: &str) -> RedisResult<()> {
    let ms = epoch_ms();
    link.with(|c| {
        redis::pipe().cmd("HSET").arg(s.keys.job(id)).arg("heartbeat").arg(ms).ignore()
            .cmd("HSET").arg(s.keys.worker(&s.worker)).arg("beat").arg(ms).ignore().query(c)
    })
}
