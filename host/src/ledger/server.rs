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
mod tests {
    use super::{postmaster::processes_in, *};

    /// Whether PostgreSQL is installed; says why a test is skipped if not.
    fn installed() -> bool {
        bindir().map_err(|e| eprintln!("skipped: {e}")).is_ok()
    }

    /// A temporary directory only its owner can enter (as root's home is),
    /// which a server running as `postgres` must work under all the same.
    fn private_tmp() -> tempfile::TempDir {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        tmp
    }

    /// Runs `q` on `url`; the first column of each row.
    fn sql(url: &str, q: &str) -> Result<Vec<String>, tokio_postgres::Error> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
            tokio::spawn(conn);
            Ok(client
                .simple_query(q)
                .await?
                .into_iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                    _ => None,
                })
                .collect())
        })
    }

    fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if f() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        f()
    }

    fn status_field(pid: u32, field: &str) -> String {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let line = status.lines().find_map(|l| l.strip_prefix(field));
        line.and_then(|l| l.split_whitespace().next())
            .unwrap_or_default()
            .to_string()
    }

    /// The postmasters working in `data`: its processes whose parent is not.
    fn postmasters_on(data: &Path) -> Vec<u32> {
        let all = processes_in(data);
        let parent_of = |p: u32| status_field(p, "PPid:").parse::<u32>().unwrap_or(0);
        all.iter()
            .copied()
            .filter(|p| !all.contains(&parent_of(*p)))
            .collect()
    }

    /// Kills whatever a failed test left working in its data directory.
    struct Reap(PathBuf);
    impl Drop for Reap {
        fn drop(&mut self) {
            processes_in(&self.0)
                .into_iter()
                .for_each(|p| signal(p, libc::SIGKILL));
        }
    }

    #[test]
    fn it_starts_answers_queries_and_stops_leaving_no_process() {
        if !installed() {
            return;
        }
        let tmp = private_tmp();
        let data = tmp.path().join("pg/data");
        let _reap = Reap(tmp.path().join("pg/data"));
        let t = Instant::now();
        let pg = PrivatePostgres::start(&tmp.path().join("pg")).unwrap();
        eprintln!("first start, initdb included: {:?}", t.elapsed());
        let url = pg.url();
        assert_eq!(url, format!("postgres://weft@127.0.0.1:{}/weft", pg.port()));
        assert_eq!(std::fs::read_to_string(pg.dir().join("url")).unwrap(), url);
        assert_eq!(sql(&url, "SELECT 1").unwrap(), ["1"]);
        let pid = pg.health().pid();
        assert_eq!(postmasters_on(&data), [pid]);
        if status_field(std::process::id(), "Uid:") == "0" {
            assert_ne!(status_field(pid, "Uid:"), "0", "postgres runs as root");
        }
        pg.stop();
        assert_eq!(
            processes_in(&data),
            Vec::<u32>::new(),
            "stop left processes"
        );
        assert!(
            !tmp.path().join("pg/url").exists(),
            "stop left the url file"
        );
        assert!(sql(&url, "SELECT 1").is_err());

        // Again, on the initialised directory; dropped this time.
        let t = Instant::now();
        let pg = PrivatePostgres::start(&tmp.path().join("pg")).unwrap();
        eprintln!("start of an initialised directory: {:?}", t.elapsed());
        assert_eq!(sql(&pg.url(), "SELECT current_user").unwrap(), ["weft"]);
        drop(pg);
        assert_eq!(
            processes_in(&data),
            Vec::<u32>::new(),
            "drop left processes"
        );
    }

    #[test]
    fn a_second_start_on_a_directory_in_use_is_refused() {
        if !installed() {
            return;
        }
        let tmp = private_tmp();
        let data = tmp.path().join("data");
        let _reap = Reap(data.clone());
        let pg = PrivatePostgres::start(tmp.path()).unwrap();
        let e = PrivatePostgres::start(tmp.path())
            .err()
            .expect("a second server on one directory");
        let me = std::process::id().to_string();
        assert!(
            matches!(&e, PgServerError::Locked { holder, .. } if *holder == me),
            "{e}"
        );
        assert!(e
            .to_string()
            .contains(&format!("in use by another weft (pid {me})")));
        assert_eq!(postmasters_on(&data), [pg.health().pid()]);
        assert_eq!(sql(&pg.url(), "SELECT 1").unwrap(), ["1"]);
    }

    #[test]
    fn a_killed_postmaster_is_restarted_on_its_port_with_its_data() {
        if !installed() {
            return;
        }
        let tmp = private_tmp();
        let _reap = Reap(tmp.path().join("data"));
        let pg = PrivatePostgres::start(tmp.path()).unwrap();
        let url = pg.url();
        sql(
            &url,
            "CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')",
        )
        .unwrap();
        let health = pg.health();
        let before = health.pid();
        signal(before, libc::SIGKILL);
        let killed = Instant::now();
        assert!(
            wait_until(Duration::from_secs(2), || !health.is_up()),
            "health never said it was down"
        );
        assert!(
            wait_until(Duration::from_secs(60), || health.is_up()),
            "not restarted"
        );
        eprintln!("up again {:?} after kill -9", killed.elapsed());
        assert_eq!(health.restarts(), 1);
        assert_ne!(health.pid(), before);
        assert_eq!(health.port(), pg.port());
        assert_eq!(sql(&url, "SELECT v FROM t").unwrap(), ["kept"]);
    }

    #[test]
    fn a_postmaster_left_by_an_earlier_run_is_taken_over() {
        if !installed() {
            return;
        }
        let tmp = private_tmp();
        let data = tmp.path().join("data");
        let _reap = Reap(data.clone());
        let dir = tmp.path().canonicalize().unwrap();
        PrivatePostgres::start(&dir).unwrap().stop(); // initialised
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let user = postmaster::run_as().unwrap();
        let mut orphan = postmaster::spawn(&bindir().unwrap(), &dir, port, user, false).unwrap();
        let orphan_url = format!("postgres://weft@127.0.0.1:{port}/weft");
        let insert = "CREATE TABLE t (v text); INSERT INTO t VALUES ('orphan')";
        assert!(wait_until(Duration::from_secs(30), || sql(
            &orphan_url,
            insert
        )
        .is_ok()));

        let pg = PrivatePostgres::start(&dir).unwrap();
        assert!(
            wait_until(Duration::from_secs(1), || matches!(
                orphan.try_wait(),
                Ok(Some(_))
            )),
            "the leftover postmaster still runs"
        );
        assert_eq!(postmasters_on(&data), [pg.health().pid()]);
        assert_eq!(sql(&pg.url(), "SELECT v FROM t").unwrap(), ["orphan"]);
        pg.stop();

        // A lock file left by a SIGKILLed postmaster whose pid now belongs
        // to another process of the server's user: not signalled, and not
        // in the way.
        let mut other = postmaster::command(Path::new("/usr/bin/sleep"), user, &[])
            .arg("60")
            .spawn()
            .unwrap();
        std::fs::write(data.join("postmaster.pid"), format!("{}\n", other.id())).unwrap();
        let pg = PrivatePostgres::start(&dir).unwrap();
        assert!(
            matches!(other.try_wait(), Ok(None)),
            "another process was signalled"
        );
        assert_eq!(sql(&pg.url(), "SELECT v FROM t").unwrap(), ["orphan"]);
        let _ = other.kill();
        let _ = other.wait();
    }

    const OWNER_DIR: &str = "WEFT_TEST_PG_OWNER_DIR";

    /// Not a test by itself: the owner process of the next test (run in a
    /// child process with `--exact`), which starts a server and waits.
    #[test]
    fn owner_process() {
        let Some(dir) = std::env::var_os(OWNER_DIR) else {
            return;
        };
        let _pg = PrivatePostgres::start(Path::new(&dir)).unwrap();
        std::fs::write(Path::new(&dir).join("owner-ready"), "").unwrap();
        loop {
            std::thread::sleep(Duration::from_secs(1));
        }
    }

    #[test]
    fn an_owner_killed_with_9_takes_its_server_along() {
        if !installed() {
            return;
        }
        let tmp = private_tmp();
        let data = tmp.path().join("data");
        let _reap = Reap(data.clone());
        let name = concat!(module_path!(), "::owner_process");
        let name = name.split_once("::").map_or(name, |(_, n)| n);
        let mut owner = std::process::Command::new(std::env::current_exe().unwrap())
            .args([name, "--exact", "--test-threads=1"])
            .env(OWNER_DIR, tmp.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let ready = wait_until(Duration::from_secs(60), || {
            tmp.path().join("owner-ready").exists() || matches!(owner.try_wait(), Ok(Some(_)))
        });
        assert!(
            ready && tmp.path().join("owner-ready").exists(),
            "the owner did not start a server"
        );
        let server = postmasters_on(&data);
        assert_eq!(server.len(), 1, "{server:?}");
        owner.kill().unwrap(); // SIGKILL
        owner.wait().unwrap();
        assert!(
            wait_until(Duration::from_secs(10), || processes_in(&data).is_empty()),
            "the server outlived its killed owner: {:?}",
            processes_in(&data)
        );
    }
}
