//! The private `redis-server` of `weft up`: owned so that accepted messages
//! are never lost with it and never processed twice.
//!
//! - **Locked**: `<dir>/lock` is held (flock) for as long as weft runs, so
//!   two weft processes can never run servers on one data directory.
//! - **Taken over**: a server a previous, killed run left on the directory
//!   (found by `<dir>/redis.pid`, or by `<dir>/url` answering with this
//!   `dir`) is shut down cleanly (AOF flushed) before ours starts.
//! - **Tied**: the server is spawned by a supervisor thread that lives as
//!   long as weft, with the Linux parent-death signal set to SIGTERM; if
//!   weft dies, even by `kill -9`, the server shuts down cleanly. (A thread
//!   of tokio's blocking pool would not do: idle ones exit after 10 s, and
//!   the signal follows the spawning *thread*.)
//! - **Supervised**: if the server dies, the supervisor restarts it on the
//!   same port (connections reconnect by themselves) and [`RedisHealth`]
//!   says so meanwhile, for `/healthz` and `/readyz`.

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use super::{ping, send_shutdown, RedisServer, ServerError};
use crate::owned_process::{self, signal, wait_gone};

/// What the supervisor knows about the private server.
#[derive(Debug)]
pub struct RedisHealth {
    up: AtomicBool,
    stopping: AtomicBool,
    pid: AtomicU32,
    restarts: AtomicU64,
    port: u16,
}

impl RedisHealth {
    /// Whether the server runs and answers (false while it is restarted).
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::SeqCst)
    }
    /// How many times it was restarted after dying.
    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::SeqCst)
    }
    /// Its current process id (0 while none runs).
    pub fn pid(&self) -> u32 {
        self.pid.load(Ordering::SeqCst)
    }
    /// Its port (the same across restarts).
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// The private server; dropping it stops the server cleanly.
pub struct PrivateRedis {
    health: Arc<RedisHealth>,
    supervisor: Option<std::thread::JoinHandle<()>>,
    dir: PathBuf,
    _lock: std::fs::File,
}

impl PrivateRedis {
    /// Locks `dir`, stops a server a previous run left on it, starts ours
    /// and returns once it answers. Blocking.
    pub fn start(dir: &Path) -> Result<PrivateRedis, ServerError> {
        std::fs::create_dir_all(dir).map_err(|e| ServerError::Dir(dir.to_path_buf(), e))?;
        let dir = dir
            .canonicalize()
            .map_err(|e| ServerError::Dir(dir.to_path_buf(), e))?;
        let lock = lock_dir(&dir)?;
        take_over(&dir);
        let port = super::free_port().map_err(ServerError::Spawn)?;
        let health = Arc::new(RedisHealth {
            up: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            pid: AtomicU32::new(0),
            restarts: AtomicU64::new(0),
            port,
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let (h, d) = (health.clone(), dir.clone());
        let supervisor = std::thread::Builder::new()
            .name("weft-redis".into())
            .spawn(move || supervise(&d, h, tx))
            .map_err(ServerError::Spawn)?;
        let first = rx.recv().unwrap_or_else(|_| {
            Err(ServerError::Spawn(std::io::Error::other(
                "the redis supervisor thread ended",
            )))
        });
        let mut me = PrivateRedis {
            health,
            supervisor: Some(supervisor),
            dir,
            _lock: lock,
        };
        match first {
            Ok(()) => Ok(me),
            Err(e) => {
                me.shutdown();
                Err(e)
            }
        }
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.health.port)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Shared health, for the admin server.
    pub fn health(&self) -> Arc<RedisHealth> {
        self.health.clone()
    }

    /// Stops the server (SHUTDOWN: the AOF is flushed) and the supervisor,
    /// and removes `<dir>/url` so no command finds a stopped server there.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let Some(supervisor) = self.supervisor.take() else {
            return;
        };
        self.health.stopping.store(true, Ordering::SeqCst);
        send_shutdown(self.health.port);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !supervisor.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if !supervisor.is_finished() {
            signal(self.health.pid(), libc::SIGKILL);
        }
        let _ = supervisor.join();
        let _ = std::fs::remove_file(self.dir.join("url"));
        let _ = std::fs::remove_file(self.dir.join(PID_FILE));
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.shutdown();
    }
}

const PID_FILE: &str = "redis.pid";

/// How long a died server stays down before its restart: a file-system or
/// memory fault that kills it at once must not become a tight spawn loop,
/// and health checks get a window to report the outage.
const RESTART_DELAY: Duration = Duration::from_millis(250);

/// Holds `<dir>/lock` (flock) and writes our pid into it.
fn lock_dir(dir: &Path) -> Result<std::fs::File, ServerError> {
    owned_process::lock_dir(dir).map_err(|e| match e {
        owned_process::LockError::Io(path, e) => ServerError::Dir(path, e),
        owned_process::LockError::Held(holder) => ServerError::Locked {
            dir: dir.to_path_buf(),
            holder,
        },
    })
}

/// Stops a server a previous run left on `dir` (we hold the lock, so no
/// live weft owns it): by its pid file, else by the URL file when the
/// server there says it works in `dir`.
fn take_over(dir: &Path) {
    let pid = std::fs::read_to_string(dir.join(PID_FILE))
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .filter(|p| is_redis_server(*p));
    if let Some(pid) = pid {
        tracing::warn!(pid, dir = %dir.display(), "a redis-server of a previous run still works on this directory: stopping it (its AOF is flushed) before starting ours");
        signal(pid, libc::SIGTERM);
        if !wait_gone(pid, Duration::from_secs(20)) {
            tracing::warn!(pid, "it did not stop within 20 s: killing it");
            signal(pid, libc::SIGKILL);
            wait_gone(pid, Duration::from_secs(5));
        }
    }
    let port = std::fs::read_to_string(dir.join("url")).ok().and_then(|u| {
        u.trim()
            .trim_end_matches('/')
            .rsplit(':')
            .next()?
            .parse::<u16>()
            .ok()
    });
    if let Some(port) = port.filter(|p| serves_dir(*p, dir)) {
        tracing::warn!(port, dir = %dir.display(), "a redis-server of a previous run answers on this directory: shutting it down before starting ours");
        send_shutdown(port);
        let deadline = Instant::now() + Duration::from_secs(20);
        while ping(port) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let _ = std::fs::remove_file(dir.join("url"));
}

/// Whether the server on `port` has `dir` as its working directory.
fn serves_dir(port: u16, dir: &Path) -> bool {
    let Some(reply) = super::request(port, b"CONFIG GET dir\r\n") else {
        return false;
    };
    let text = String::from_utf8_lossy(&reply);
    text.lines().any(|l| Path::new(l.trim()) == dir)
}

fn is_redis_server(pid: u32) -> bool {
    owned_process::cmdline_contains(pid, "redis-server")
}

/// The supervisor thread: starts the server, reports the first start on
/// `first`, and restarts the server whenever it dies until told to stop.
fn supervise(
    dir: &Path,
    health: Arc<RedisHealth>,
    first: std::sync::mpsc::Sender<Result<(), ServerError>>,
) {
    let mut first = Some(first);
    let mut backoff = Duration::from_millis(200);
    let mut restart_delay = RESTART_DELAY;
    while !health.stopping.load(Ordering::SeqCst) {
        // A restart may have to load a large AOF: give it longer.
        let wait = Duration::from_secs(if first.is_some() { 10 } else { 60 });
        match RedisServer::spawn(dir, Some(health.port), true, wait) {
            Ok(mut server) => {
                if health.stopping.load(Ordering::SeqCst) {
                    server.stop(); // told to stop while it was starting
                    break;
                }
                let pid = server.pid().unwrap_or(0);
                health.pid.store(pid, Ordering::SeqCst);
                let _ = std::fs::write(dir.join(PID_FILE), format!("{pid}\n"));
                health.up.store(true, Ordering::SeqCst);
                backoff = Duration::from_millis(200);
                match first.take() {
                    Some(tx) => {
                        let _ = tx.send(Ok(()));
                    }
                    None => {
                        health.restarts.fetch_add(1, Ordering::SeqCst);
                        metrics::counter!("weft_redis_restarts_total").increment(1);
                        tracing::warn!(
                            pid,
                            port = health.port,
                            "the private redis-server runs again"
                        );
                    }
                }
                let started = Instant::now();
                let status = server.wait();
                health.up.store(false, Ordering::SeqCst);
                health.pid.store(0, Ordering::SeqCst);
                if health.stopping.load(Ordering::SeqCst) {
                    break;
                }
                // A server that dies soon after starting is crash-looping:
                // wait longer each time (RESTART_DELAY doubling to 5 s).
                let delay = if started.elapsed() < Duration::from_secs(10) {
                    restart_delay
                } else {
                    RESTART_DELAY
                };
                restart_delay = (delay * 2).min(Duration::from_secs(5));
                tracing::error!(pid, status = ?status, "the private redis-server died: restarting it on the same port in {delay:?}");
                std::thread::sleep(delay);
            }
            Err(e) => {
                if let Some(tx) = first.take() {
                    let _ = tx.send(Err(e));
                    return;
                }
                tracing::error!(
                    "cannot restart the private redis-server, trying again in {backoff:?}: {e}"
                );
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}
