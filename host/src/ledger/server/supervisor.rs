//! The thread that owns the private postmaster: it spawns it (so the
//! parent-death signal follows this thread, which lives as long as the
//! [`super::PrivatePostgres`]), waits for it, and restarts it on the same
//! port when it dies.

use std::{
    path::PathBuf,
    process::Child,
    sync::{
        atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering},
        mpsc::Sender,
        Arc,
    },
    time::{Duration, Instant},
};

use super::{
    postmaster::{self, RunAs},
    PgServerError,
};

/// How long a died server stays down before its restart (doubling to 5 s
/// while it crash-loops): no tight spawn loop, and health checks get a
/// window to report the outage.
const RESTART_DELAY: Duration = Duration::from_millis(250);
/// How long the first start may take to answer.
const START_WAIT: Duration = Duration::from_secs(30);
/// A restart may first replay a lot of WAL: give it longer.
const RESTART_WAIT: Duration = Duration::from_secs(120);
/// How long a fast shutdown may take before SIGKILL.
pub(super) const STOP_WAIT: Duration = Duration::from_secs(30);

/// What the supervisor knows about the private server.
#[derive(Debug)]
pub struct PgHealth {
    up: AtomicBool,
    pub(super) stopping: AtomicBool,
    pid: AtomicU32,
    restarts: AtomicU64,
    port: u16,
}

impl PgHealth {
    pub(super) fn new(port: u16) -> PgHealth {
        PgHealth {
            up: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            pid: AtomicU32::new(0),
            restarts: AtomicU64::new(0),
            port,
        }
    }
    /// Whether the server runs and answers (false while it is restarted).
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::SeqCst)
    }
    /// How many times it was restarted after dying.
    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::SeqCst)
    }
    /// The postmaster's current process id (0 while none runs).
    pub fn pid(&self) -> u32 {
        self.pid.load(Ordering::SeqCst)
    }
    /// Its port (the same across restarts).
    pub fn port(&self) -> u16 {
        self.port
    }
    pub(super) fn url(&self) -> String {
        format!("postgres://weft@127.0.0.1:{}/weft", self.port)
    }
}

/// What the supervisor needs.
pub(super) struct Supervised {
    pub(super) bin: PathBuf,
    pub(super) dir: PathBuf,
    pub(super) user: RunAs,
    pub(super) health: Arc<PgHealth>,
}

impl Supervised {
    fn stopping(&self) -> bool {
        self.health.stopping.load(Ordering::SeqCst)
    }

    /// Sleeps `d`, or less if told to stop meanwhile.
    fn pause(&self, d: Duration) {
        let until = Instant::now() + d;
        while !self.stopping() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Spawns the postmaster and waits until it answers.
    fn start_once(
        &self,
        rt: &tokio::runtime::Runtime,
        wait: Duration,
    ) -> Result<Child, PgServerError> {
        let port = self.health.port;
        let mut child = postmaster::spawn(&self.bin, &self.dir, port, self.user, true)?;
        match postmaster::wait_ready(rt, port, &mut child, wait, || self.stopping()) {
            Ok(()) => Ok(child),
            Err(why) => {
                postmaster::stop_child(&mut child, Duration::from_secs(10));
                Err(PgServerError::NoAnswer {
                    port,
                    secs: wait.as_secs(),
                    why,
                    log: postmaster::log_path(&self.dir),
                    tail: postmaster::log_tail(&self.dir, 20),
                })
            }
        }
    }

    /// The supervisor thread: starts the server, reports the first start
    /// on `first`, and restarts the server whenever it dies until told to
    /// stop.
    pub(super) fn run(self, first: Sender<Result<(), PgServerError>>) {
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                let what = PathBuf::from("the postgres supervisor's tokio runtime");
                let _ = first.send(Err(PgServerError::Spawn { what, source: e }));
                return;
            }
        };
        let health = self.health.clone();
        let data = self.dir.join("data");
        let mut first = Some(first);
        let mut backoff = Duration::from_millis(200);
        let mut restart_delay = RESTART_DELAY;
        while !self.stopping() {
            let wait = if first.is_some() {
                START_WAIT
            } else {
                RESTART_WAIT
            };
            let mut child = match self.start_once(&rt, wait) {
                Ok(child) => child,
                Err(e) => {
                    if let Some(tx) = first.take() {
                        let _ = tx.send(Err(e));
                        return;
                    }
                    if self.stopping() {
                        break;
                    }
                    tracing::error!(
                        "cannot restart the private postgres, trying again in {backoff:?}: {e}"
                    );
                    self.pause(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            };
            let pid = child.id();
            // The pid first, then the check: a stop that read no pid is
            // seen here.
            health.pid.store(pid, Ordering::SeqCst);
            if self.stopping() {
                postmaster::stop_child(&mut child, STOP_WAIT);
                break;
            }
            let _ = std::fs::write(self.dir.join("url"), health.url());
            health.up.store(true, Ordering::SeqCst);
            backoff = Duration::from_millis(200);
            match first.take() {
                Some(tx) => {
                    let _ = tx.send(Ok(()));
                }
                None => {
                    health.restarts.fetch_add(1, Ordering::SeqCst);
                    metrics::counter!("weft_postgres_restarts_total").increment(1);
                    tracing::warn!(pid, port = health.port, "the private postgres runs again");
                }
            }
            let started = Instant::now();
            let status = child.wait();
            health.up.store(false, Ordering::SeqCst);
            health.pid.store(0, Ordering::SeqCst);
            if self.stopping() {
                break;
            }
            // A server that dies soon after starting is crash-looping.
            let delay = if started.elapsed() < Duration::from_secs(10) {
                restart_delay
            } else {
                RESTART_DELAY
            };
            restart_delay = (delay * 2).min(Duration::from_secs(5));
            tracing::error!(pid, status = ?status, "the private postgres died: restarting it on the same port in {delay:?}");
            self.pause(delay);
            // Its backends notice the death and leave; a new postmaster
            // refuses to start while they still hold its shared memory.
            postmaster::wait_empty(&data, Duration::from_secs(10));
        }
    }
}
