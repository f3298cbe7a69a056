//! The private PostgreSQL server of `weft up`, owned exactly as the
//! private Redis is ([`crate::bus::PrivateRedis`]):
//!
//! - **Locked**: `<dir>/lock` is held (flock) while weft runs, so two weft
//!   processes never run servers on one data directory.
//! - **Taken over**: a postmaster a previous, killed run left on
//!   `<dir>/data` (its `postmaster.pid`, if that process is a `postgres`
//!   working in this directory) gets a fast shutdown before ours starts.
//! - **Tied**: a supervisor thread spawns the postmaster with the Linux
//!   parent-death signal set to SIGINT (fast shutdown); if weft dies, even
//!   by `kill -9`, the server shuts down and its backends with it.
//! - **Supervised**: if the server dies, it is restarted on the same port
//!   after 250 ms (doubling to 5 s while it crash-loops); [`PgHealth`]
//!   says so meanwhile, and `weft_postgres_restarts_total` counts restarts.
//!
//! PostgreSQL refuses to run as root: as root, `initdb` and the server run
//! as the package's `postgres` user (see `postmaster`). The data directory
//! is initialised once (`--auth=trust --username=weft`, UTF8, locale C);
//! the server listens only on 127.0.0.1, its socket lives in
//! `<dir>/socket`, its output goes to `<dir>/postgres.log`, and
//! `<dir>/url` names it for commands run beside a live `weft up`.

mod postmaster;
mod supervisor;

pub use postmaster::bindir;
pub use supervisor::PgHealth;

use std::{
    path::{Path, PathBuf},
    sync::{atomic::Ordering, Arc},
    time::{Duration, Instant},
};

use crate::owned_process::{self, signal};

/// Why the private PostgreSQL could not be started.
#[derive(Debug, thiserror::Error)]
pub enum PgServerError {
    /// No `initdb` and `postgres` binaries.
    #[error("PostgreSQL server binaries not found ({0}); install PostgreSQL (scripts/install-postgres.sh)")]
    NotInstalled(String),
    /// Running as root, and there is no `postgres` user to run it as.
    #[error("PostgreSQL refuses to run as root and there is no `postgres` user to run it as; install PostgreSQL (scripts/install-postgres.sh), whose package creates it")]
    NoUser,
    /// I/O on its directory.
    #[error("postgres data directory {0}: {1}")]
    Dir(PathBuf, std::io::Error),
    /// Another weft holds the directory.
    #[error("postgres data directory {dir} is in use by another weft (pid {holder}); stop it first, or give this one another [host] data_dir")]
    Locked {
        /// The directory.
        dir: PathBuf,
        /// What the lock file says about its holder (its pid).
        holder: String,
    },
    /// A binary, or the supervisor thread, could not be started.
    #[error("cannot start {}: {source}", what.display())]
    Spawn {
        /// The binary (or what else it was).
        what: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No free loopback port.
    #[error("no free loopback port for postgres: {0}")]
    Port(std::io::Error),
    /// `initdb` failed.
    #[error("initdb of {dir} failed ({status}): {stderr}")]
    InitDb {
        /// The data directory it was to create.
        dir: PathBuf,
        /// Its exit status.
        status: String,
        /// What it printed on stderr.
        stderr: String,
    },
    /// The server did not answer queries in time.
    #[error("postgres on 127.0.0.1:{port} did not start within {secs} s ({why}); last lines of {}:\n{tail}", log.display())]
    NoAnswer {
        /// Its port.
        port: u16,
        /// How long it was given.
        secs: u64,
        /// Why it is not taken as started (it exited, the last error).
        why: String,
        /// Its log file.
        log: PathBuf,
        /// The last lines of its log.
        tail: String,
    },
}

/// The private server; dropping it stops the server (fast shutdown).
pub struct PrivatePostgres {
    health: Arc<PgHealth>,
    supervisor: Option<std::thread::JoinHandle<()>>,
    dir: PathBuf,
    _lock: std::fs::File,
}

impl PrivatePostgres {
    /// Locks `dir` (creating it), stops a server a previous run left on
    /// it, initialises `<dir>/data` if absent, starts ours on a free
    /// loopback port, creates database `weft`, and returns once that
    /// answers queries. Blocking (about a second more the first time, for
    /// initdb). Also the way tests get a server of their own.
    pub fn start(dir: &Path) -> Result<PrivatePostgres, PgServerError> {
        let bin = bindir()?;
        let user = postmaster::run_as()?;
        std::fs::create_dir_all(dir).map_err(|e| PgServerError::Dir(dir.to_path_buf(), e))?;
        let dir = dir
            .canonicalize()
            .map_err(|e| PgServerError::Dir(dir.to_path_buf(), e))?;
        let lock = owned_process::lock_dir(&dir).map_err(|e| match e {
            owned_process::LockError::Io(path, e) => PgServerError::Dir(path, e),
            owned_process::LockError::Held(holder) => PgServerError::Locked {
                dir: dir.clone(),
                holder,
            },
        })?;
        postmaster::take_over(&dir);
        let _ = std::fs::remove_file(dir.join("url"));
        let started = Instant::now();
        if postmaster::init_data(&bin, &dir, user)? {
            tracing::info!(dir = %dir.display(), "initialised a PostgreSQL data directory in {:?}", started.elapsed());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(PgServerError::Port)?
            .port();
        let health = Arc::new(PgHealth::new(port));
        let (tx, rx) = std::sync::mpsc::channel();
        let job = supervisor::Supervised {
            bin,
            dir: dir.clone(),
            user,
            health: health.clone(),
        };
        let supervisor = std::thread::Builder::new()
            .name("weft-postgres".into())
            .spawn(move || job.run(tx))
            .map_err(|source| PgServerError::Spawn {
                what: "the postgres supervisor thread".into(),
                source,
            })?;
        let first = rx.recv().unwrap_or_else(|_| {
            Err(PgServerError::Spawn {
                what: "the postgres supervisor thread".into(),
                source: std::io::Error::other("it ended"),
            })
        });
        let mut me = PrivatePostgres {
            health,
            supervisor: Some(supervisor),
            dir,
            _lock: lock,
        };
        match first {
            Ok(()) => {
                tracing::info!(port, dir = %me.dir.display(), "the private postgres runs ({:?})", started.elapsed());
                Ok(me)
            }
            Err(e) => {
                me.shutdown();
                Err(e)
            }
        }
    }

    /// `postgres://weft@127.0.0.1:<port>/weft` (trust authentication, no
    /// password: only loopback and a 0700 socket directory reach it).
    pub fn url(&self) -> String {
        self.health.url()
    }

    /// Its port (the same across restarts).
    pub fn port(&self) -> u16 {
        self.health.port()
    }

    /// The directory it owns (`data`, `socket`, `lock`, `url`, the log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Shared health, for the admin server.
    pub fn health(&self) -> Arc<PgHealth> {
        self.health.clone()
    }

    /// Stops the server (fast shutdown: open transactions are rolled
    /// back, committed ones are on disk) and the supervisor, and removes
    /// `<dir>/url` so no command finds a stopped server there.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let Some(supervisor) = self.supervisor.take() else {
            return;
        };
        self.health.stopping.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + supervisor::STOP_WAIT;
        let mut last_signal: Option<Instant> = None;
        while !supervisor.is_finished() && Instant::now() < deadline {
            if last_signal.is_none_or(|t| t.elapsed() > Duration::from_secs(1)) {
                signal(self.health.pid(), libc::SIGINT);
                last_signal = Some(Instant::now());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if !supervisor.is_finished() {
            signal(self.health.pid(), libc::SIGKILL);
        }
        let _ = supervisor.join();
        let _ = std::fs::remove_file(self.dir.join("url"));
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
mod tests;
