//! The worker: three threads that block on Redis and one that runs jobs.
//! - the own lane takes from the worker's own queue: a ping is answered at once (even while a job
//!   runs); another job goes to the job lane, or, while one is in hand, back to the queue's head
//!   until the worker is idle (a job never waits unstarted in the processing list);
//! - the pool lane takes from the pool's queue only while the worker is idle, and hands back a
//!   job the own lane beat it to;
//! - the job lane (the main thread) runs jobs one at a time, beating while each runs;
//! - the signal thread, on SIGTERM or SIGINT, unblocks both takes (CLIENT UNBLOCK): an idle worker
//!   exits at once, a busy one finishes the job in hand first. Taken jobs not yet started go back
//!   to their queues.
//!
//! Every take moves the id into the worker's processing list in the same command (BLMOVE), so a
//! job taken is never only in memory; a Redis that cannot be reached is retried, never read as
//! "no job". A take whose answer was lost (the connection failed or a stop signal interrupted the
//! read: the server moved the job, the worker never heard) is found again: after every reconnect a
//! lane adopts the ids in the processing list that this process took but does not know of. What
//! the list held when the process started belongs to an earlier life of the worker: Herd settles it.

use crate::clock::iso_now;
use crate::protocol::{self, Link};
use crate::runner::{self, Outcome};
use crate::settings::Settings;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::collections::HashSet;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread;
use std::time::Duration;

const RETRY: Duration = Duration::from_secs(1);
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lane {
    Own,
    Pool,
}

enum Work {
    Run(String, Lane),
    Stop,
}

struct Shared {
    settings: Settings,
    started_at: String,
    /// The job in hand, "" when idle: what the status hash says if Redis has to be told again.
    current: Mutex<String>,
    stopping: AtomicBool,
    /// Ids this process has taken and not yet finished or handed back: a lane adopts no other.
    taken: Mutex<HashSet<String>>,
    /// The processing list as it was when this process started: an earlier life's, for Herd.
    inherited: OnceLock<HashSet<String>>,
    /// Jobs given to the job lane and not yet done: a lane hands a job over only when there are none.
    in_hand: Mutex<usize>,
    idle: Condvar,
    /// Redis client ids of the two blocking takes, 0 while not connected.
    own_client: AtomicU64,
    pool_client: AtomicU64,
}

pub fn run(settings: Settings) -> i32 {
    runner::remove_stale_job_dirs();
    let shared = Arc::new(Shared {
        settings,
        started_at: iso_now(),
        current: Mutex::new(String::new()),
        taken: Mutex::new(HashSet::new()),
        in_hand: Mutex::new(0),
        idle: Condvar::new(),
        inherited: OnceLock::new(),
        stopping: AtomicBool::new(false),
        own_client: AtomicU64::new(0),
        pool_client: AtomicU64::new(0),
    });
    let s = &shared.settings;
    let mut link = match Link::new(&s.redis_url, CALL_TIMEOUT) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("hero-worker: {e}");
            return 2;
        }
    };
    let inherited = must(&shared, &mut link, |l| protocol::say_started(l, s, &shared.started_at, "idle", "", false))
        .and_then(|()| must(&shared, &mut link, |l| protocol::processing(l, s)));
    match inherited {
        Ok(ids) => {
            let _ = shared.inherited.set(ids.into_iter().collect());
        }
        Err(Gave::Stopping) => return 0,
        Err(Gave::Refused(e)) => {
            eprintln!("hero-worker: Redis refuses this worker's status hash ({e}); check the key profile (HERD_KEY_*) and the user's ACL");
            return 2;
        }
    }
    link.reconnected = false;
    println!(
        "hero-worker {} (pool {}, runner {}) taking jobs from {} then {}",
        s.worker, s.pool, s.runner.name(), s.keys.work(&s.worker), s.keys.work(&s.pool)
    );

    let (work_tx, work_rx) = mpsc::channel::<Work>();
    let (lane_done_tx, lane_done) = mpsc::channel::<()>();
    spawn_signals(&shared, work_tx.clone());
    spawn_lane(&shared, Lane::Own, work_tx.clone(), lane_done_tx.clone());
    spawn_lane(&shared, Lane::Pool, work_tx, lane_done_tx);

    run_jobs(&shared, &mut link, work_rx);

    // the lanes hand back what they take from now on; wait for both (they wake on the unblock)
    unblock_takes(&shared);
    for _ in 0..2 {
        if lane_done.recv_timeout(Duration::from_secs(3)).is_err() {
            break;
        }
    }
    let _ = protocol::say_stopped(&mut link, s);
    println!("hero-worker {} stopped", s.worker);
    0
}

/// The job lane: one job at a time until a stop; then what was taken but not started goes back.
fn run_jobs(shared: &Arc<Shared>, link: &mut Link, work: Receiver<Work>) {
    loop {
        match work.recv() {
            Ok(Work::Run(id, lane)) => {
                if shared.stopping.load(Ordering::SeqCst) {
                    hand_back(shared, link, &id, lane);
                    shared.done_one();
                    continue;
                }
                if link.reconnected {
                    restore_status(shared, link);
                }
                *shared.current.lock().unwrap() = id.clone();
                run_job(shared, link, &id);
                shared.current.lock().unwrap().clear();
                shared.taken.lock().unwrap().remove(&id);
                shared.done_one();
            }
            Ok(Work::Stop) | Err(_) => break,
        }
    }
    // a take that was answered just as the stop came
    thread::sleep(Duration::from_millis(50));
    while let Ok(Work::Run(id, lane)) = work.try_recv() {
        hand_back(shared, link, &id, lane);
    }
}

impl Shared {
    /// Takes the job lane for one job, if it has none in hand.
    fn claim(&self) -> bool {
        let mut n = self.in_hand.lock().unwrap();
        if *n > 0 {
            return false;
        }
        *n += 1;
        true
    }

    /// One more job for the job lane whatever it holds (a take found again after a reconnect).
    fn claim_anyway(&self) {
        *self.in_hand.lock().unwrap() += 1;
    }

    fn done_one(&self) {
        let mut n = self.in_hand.lock().unwrap();
        *n = n.saturating_sub(1);
        self.idle.notify_all();
    }

    /// Waits until the job lane has nothing in hand (or the worker is stopping).
    fn await_idle(&self) {
        let mut n = self.in_hand.lock().unwrap();
        while *n > 0 && !self.stopping.load(Ordering::SeqCst) {
            n = self.idle.wait_timeout(n, RETRY).unwrap().0;
        }
    }
}

/// After a reconnect: Redis may have restarted empty, so the status hash is written again if it is gone.
fn restore_status(shared: &Shared, link: &mut Link) {
    let job = shared.current.lock().unwrap().clone();
    let state = if job.is_empty() { "idle" } else { "busy" };
    if protocol::say_started(link, &shared.settings, &shared.started_at, state, &job, true).is_ok() {
        link.reconnected = false;
    }
}

/// Puts a job taken but not started back at the head of its queue; false when Redis did not answer
/// (the job stays in the processing list: a lane finds it again after its reconnect, or Herd, once
/// the worker is gone).
fn hand_back(shared: &Shared, link: &mut Link, id: &str, lane: Lane) -> bool {
    let s = &shared.settings;
    let queue = if lane == Lane::Own { &s.worker } else { &s.pool };
    shared.taken.lock().unwrap().remove(id);
    match protocol::hand_back(link, s, id, queue) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("hero-worker: job {id} could not be put back on its queue ({e}); it stays in the processing list");
            false
        }
    }
}

fn run_job(shared: &Arc<Shared>, link: &mut Link, id: &str) {
    let s = &shared.settings;
    let job = match must(shared, link, |l| protocol::start(l, s, id)) {
        Ok(Some(job)) => job,
        // withdrawn meanwhile, started already, or not ours any more: nothing to run
        Ok(None) => {
            let _ = must(shared, link, |l| protocol::drop_taken(l, s, id));
            return;
        }
        // stopping while Redis is away: the job stays in the processing list, where Herd finds it
        Err(Gave::Stopping) => return,
        Err(Gave::Refused(e)) => {
            eprintln!("hero-worker: job {id} cannot be started, Redis refuses ({e}): is {} a hash? Left to Herd's recovery", s.keys.job(id));
            let _ = must(shared, link, |l| protocol::drop_taken(l, s, id));
            return;
        }
    };
    let outcome = if job.script == s.ping_script {
        Outcome { finished: true, output: s.ping_reply.clone(), error: String::new() }
    } else {
        match crate::job_env::parse(&job.env_vars) {
            Err(why) => Outcome::error(why),
            Ok(env) => {
                let timeout = job.timeout.trim().parse::<u64>().ok().filter(|t| *t > 0).unwrap_or(60);
                let spec = runner::Job { id, worker: &s.worker, script: &job.script, timeout: Duration::from_secs(timeout), env: &env };
                let beating = Beater::start(shared, id);
                let outcome = runner::run(s.runner, &spec);
                beating.stop();
                outcome
            }
        }
    };
    if let Err(Gave::Refused(e)) = must(shared, link, |l| protocol::finish(l, s, id, outcome.status(), &outcome.output, &outcome.error)) {
        eprintln!("hero-worker: the result of job {id} cannot be written, Redis refuses ({e})");
        let _ = must(shared, link, |l| protocol::drop_taken(l, s, id));
    }
}

/// Why a call that must happen did not.
enum Gave {
    /// Redis could not be reached and the worker is stopping.
    Stopping,
    /// Redis answered with an error that trying again will not change.
    Refused(redis::RedisError),
}

/// Calls `call` until Redis answers, every second while it cannot be reached (or is loading);
/// gives up once the worker is stopping, or at once when Redis refuses the call.
fn must<T>(shared: &Shared, link: &mut Link, mut call: impl FnMut(&mut Link) -> redis::RedisResult<T>) -> Result<T, Gave> {
    let mut said = false;
    loop {
        match call(link) {
            Ok(v) => return Ok(v),
            Err(e) if !protocol::retryable(&e) => return Err(Gave::Refused(e)),
            Err(e) => {
                if !said {
                    eprintln!("hero-worker: Redis call failed ({e}); retrying every second");
                    said = true;
                }
                if shared.stopping.load(Ordering::SeqCst) {
                    return Err(Gave::Stopping);
                }
                thread::sleep(RETRY);
            }
        }
    }
}

/// Beats for the job in hand on a thread of its own until stopped. A frozen worker (SIGSTOP) stops
/// every thread, so it also stops beating: Herd then sees it as idle, pings it, and restarts it.
struct Beater {
    stop: Sender<()>,
    thread: thread::JoinHandle<()>,
}

impl Beater {
    fn start(shared: &Arc<Shared>, id: &str) -> Beater {
        let (stop, stopped) = mpsc::channel::<()>();
        let shared = Arc::clone(shared);
        let id = id.to_string();
        let thread = thread::spawn(move || {
            let s = &shared.settings;
            let Ok(mut link) = Link::new(&s.redis_url, CALL_TIMEOUT) else { return };
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(s.beat) {
                let _ = protocol::beat(&mut link, s, &id);
            }
        });
        Beater { stop, thread }
    }

    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

/// A lane that blocks on one queue. Once the worker is stopping, a job it takes goes back to its
/// queue at once.
fn spawn_lane(shared: &Arc<Shared>, lane: Lane, work: Sender<Work>, done: Sender<()>) {
    let shared = Arc::clone(shared);
    thread::spawn(move || {
        take_jobs(&shared, lane, &work);
        let _ = done.send(());
    });
}

fn take_jobs(shared: &Arc<Shared>, lane: Lane, work: &Sender<Work>) {
    let s = &shared.settings;
    let (from, client) = match lane {
        Lane::Own => (s.keys.work(&s.worker), &shared.own_client),
        Lane::Pool => (s.keys.work(&s.pool), &shared.pool_client),
    };
    let to = s.keys.processing(&s.worker);
    let Ok(mut link) = Link::new(&s.redis_url, s.block + CALL_TIMEOUT) else { return };
    let mut link_failed = false;
    loop {
        if lane == Lane::Pool {
            shared.await_idle();
        }
        loop {
            if shared.stopping.load(Ordering::SeqCst) {
                return;
            }
            if link.reconnected || client.load(Ordering::SeqCst) == 0 {
                match protocol::client_id(&mut link) {
                    Ok(id) => {
                        client.store(id, Ordering::SeqCst);
                        let again = link_failed;
                        restore_status(shared, &mut link);
                        if again && adopt_lost_takes(shared, &mut link, work).is_err() {
                            thread::sleep(RETRY); // Redis still loading, or gone again
                            continue;
                        }
                        link.reconnected = false;
                        link_failed = false;
                    }
                    Err(_) => {
                        thread::sleep(RETRY);
                        continue;
                    }
                }
                if shared.stopping.load(Ordering::SeqCst) {
                    return; // the stop's unblock may have gone to the old connection
                }
            }
            match protocol::take(&mut link, &from, &to, s.block) {
                Ok(Some(id)) => {
                    if !shared.taken.lock().unwrap().insert(id.clone()) {
                        continue; // adopted already, after a reconnect of the other lane
                    }
                    if shared.stopping.load(Ordering::SeqCst) {
                        hand_back(shared, &mut link, &id, lane);
                        return;
                    }
                    if lane == Lane::Own {
                        match protocol::answer_ping(&mut link, s, &id) {
                            Ok(true) => {
                                shared.taken.lock().unwrap().remove(&id);
                                continue;
                            }
                            Ok(false) => {}
                            // the job lane starts it only if it is still ours and not answered
                            Err(_) => {
                                client.store(0, Ordering::SeqCst);
                                link_failed = true;
                            }
                        }
                    }
                    if !shared.claim() {
                        // a job in hand already: this one waits at the head of its queue, not unstarted here
                        if !hand_back(shared, &mut link, &id, lane) {
                            client.store(0, Ordering::SeqCst);
                            link_failed = true;
                        }
                        shared.await_idle();
                        continue;
                    }
                    if let Err(mpsc::SendError(Work::Run(id, lane))) = work.send(Work::Run(id, lane)) {
                        hand_back(shared, &mut link, &id, lane); // the job lane has stopped
                        shared.done_one();
                        return;
                    }
                    if lane == Lane::Pool {
                        break; // wait until the job lane is idle again
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    if !link_failed && !shared.stopping.load(Ordering::SeqCst) {
                        eprintln!("hero-worker: waiting on {from} failed ({e}); retrying every second (Herd's workers need Redis 6.2 or later: BLMOVE)");
                    }
                    client.store(0, Ordering::SeqCst); // a new connection first, with its id, then the lost takes
                    link_failed = true;
                    if !shared.stopping.load(Ordering::SeqCst) {
                        thread::sleep(RETRY);
                    }
                }
            }
        }
    }
}

/// The ids in the processing list this process took (none of an earlier life's) but knows nothing
/// of: a take whose answer was lost. They go to the job lane like any other.
fn adopt_lost_takes(shared: &Shared, link: &mut Link, work: &Sender<Work>) -> redis::RedisResult<()> {
    let listed = protocol::processing(link, &shared.settings)?;
    let empty = HashSet::new();
    let inherited = shared.inherited.get().unwrap_or(&empty);
    for id in listed {
        if !inherited.contains(&id) && shared.taken.lock().unwrap().insert(id.clone()) {
            eprintln!("hero-worker: job {id} was taken but its answer lost; running it");
            shared.claim_anyway();
            let _ = work.send(Work::Run(id, Lane::Own));
        }
    }
    Ok(())
}

fn spawn_signals(shared: &Arc<Shared>, work: Sender<Work>) {
    let shared = Arc::clone(shared);
    let mut signals = match signal_hook::iterator::Signals::new([libc::SIGTERM, libc::SIGINT]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("hero-worker: cannot handle stop signals: {e}");
            return;
        }
    };
    thread::spawn(move || {
        if signals.forever().next().is_some() {
            shared.stopping.store(true, Ordering::SeqCst);
            let _ = work.send(Work::Stop);
            unblock_takes(&shared);
        }
    });
}

fn unblock_takes(shared: &Shared) {
    let ids = [shared.own_client.load(Ordering::SeqCst), shared.pool_client.load(Ordering::SeqCst)];
    if ids.iter().all(|id| *id == 0) {
        return;
    }
    if let Ok(mut link) = Link::new(&shared.settings.redis_url, Duration::from_secs(2)) {
        for id in ids.into_iter().filter(|id| *id != 0) {
            let _ = protocol::unblock(&mut link, id);
        }
    }
}
