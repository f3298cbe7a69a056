//! One `postgres` postmaster on a data directory: who it runs as, `initdb`,
//! spawning it, knowing when it answers, stopping it, and finding the
//! processes that work in a data directory.
//!
//! PostgreSQL refuses to run as root, so as root the server runs as the
//! package's `postgres` user (`Command::uid`/`gid`, which also drop root's
//! supplementary groups). That user usually cannot reach a data directory
//! under root's home or a 0700 temporary directory, so it is never given
//! a path: the data and socket directories are opened here (`O_PATH`) and
//! handed over as `/proc/self/fd/N`, which the kernel resolves without
//! checking the directories above. The process then `chdir`s into the real
//! directory, which is what `/proc/PID/cwd` shows.

use std::{
    fs::File,
    os::unix::{
        fs::{DirBuilderExt, OpenOptionsExt},
        io::{AsRawFd, RawFd},
        process::CommandExt,
    },
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use super::PgServerError;
use crate::owned_process::{signal, tie_to_this_thread, wait_gone};

/// The directory of the PostgreSQL server binaries: `pg_config --bindir`,
/// else the newest `/usr/lib/postgresql/*/bin`; one that has `initdb` and
/// `postgres`.
pub fn bindir() -> Result<PathBuf, PgServerError> {
    let usable = |d: &Path| d.join("initdb").is_file() && d.join("postgres").is_file();
    if let Ok(out) = std::process::Command::new("pg_config")
        .arg("--bindir")
        .output()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && usable(&dir) {
            return Ok(dir);
        }
    }
    let mut best: Option<(u32, PathBuf)> = None;
    for e in std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = e.file_name();
        let Some(version) = name
            .to_str()
            .and_then(|s| s.split('.').next()?.parse::<u32>().ok())
        else {
            continue;
        };
        let dir = e.path().join("bin");
        if usable(&dir) && best.as_ref().is_none_or(|(v, _)| version > *v) {
            best = Some((version, dir));
        }
    }
    best.map(|(_, d)| d).ok_or_else(|| {
        PgServerError::NotInstalled(
            "neither `pg_config --bindir` nor /usr/lib/postgresql/*/bin has initdb and postgres"
                .into(),
        )
    })
}

/// The user a server runs as: `Some((uid, gid))` of `postgres` when weft
/// runs as root, `None` (this process's user) otherwise.
pub(super) type RunAs = Option<(u32, u32)>;

/// Who runs the server (see [`RunAs`]).
pub(super) fn run_as() -> Result<RunAs, PgServerError> {
    if !is_root() {
        return Ok(None);
    }
    user_ids("postgres").map(Some).ok_or(PgServerError::NoUser)
}

#[expect(unsafe_code, reason = "geteuid(2) has no safe wrapper in std")]
fn is_root() -> bool {
    // SAFETY: geteuid takes no arguments and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The uid and gid of the user `name`, from the password database.
#[expect(unsafe_code, reason = "getpwnam_r(3) has no safe wrapper in std")]
fn user_ids(name: &str) -> Option<(u32, u32)> {
    let name = std::ffi::CString::new(name).ok()?;
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: passwd is plain data (integers and pointers); all-zero is a
    // valid value that getpwnam_r overwrites.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; the strings getpwnam_r
    // stores point into `buf`, which outlives the reads below (only the
    // integer fields are read).
    let rc = unsafe {
        libc::getpwnam_r(
            name.as_ptr(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        )
    };
    (rc == 0 && !found.is_null()).then_some((pwd.pw_uid, pwd.pw_gid))
}

/// A directory as a path any user can resolve while `dir` is open.
pub(super) struct Handle(File);

impl Handle {
    fn open(path: &Path) -> Result<Handle, PgServerError> {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_PATH | libc::O_DIRECTORY)
            .open(path)
            .map(Handle)
            .map_err(|e| PgServerError::Dir(path.to_path_buf(), e))
    }
    fn path(&self) -> String {
        format!("/proc/self/fd/{}", self.0.as_raw_fd())
    }
    fn fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

/// Creates `path` (0700) if needed and hands it to `user`.
pub(super) fn own_dir(path: &Path, user: RunAs) -> Result<(), PgServerError> {
    let err = |e| PgServerError::Dir(path.to_path_buf(), e);
    if !path.is_dir() {
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(path)
            .map_err(err)?;
    }
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(err)?;
    }
    Ok(())
}

/// A command for a PostgreSQL binary, run as `user` in `/`, keeping the
/// directories `keep` open across exec.
pub(super) fn command(program: &Path, user: RunAs, keep: &[&Handle]) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir("/")
        .stdin(Stdio::null())
        .env_remove("PGDATA")
        .env_remove("PGPORT")
        .env_remove("PGHOST");
    if let Some((uid, gid)) = user {
        cmd.gid(gid).uid(uid);
    }
    let mut fds = [-1 as RawFd; 2];
    for (slot, h) in fds.iter_mut().zip(keep) {
        *slot = h.fd();
    }
    keep_open(&mut cmd, fds);
    cmd
}

#[expect(
    unsafe_code,
    reason = "the handed-over directories must lose close-on-exec in the child, between fork and exec"
)]
fn keep_open(cmd: &mut Command, fds: [RawFd; 2]) {
    // SAFETY: the closure runs between fork and exec and only calls
    // fcntl(2), which is async-signal-safe, allocating nothing.
    unsafe {
        cmd.pre_exec(move || {
            for fd in fds.into_iter().filter(|fd| *fd >= 0) {
                if libc::fcntl(fd, libc::F_SETFD, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

/// Initialises `<dir>/data` with `initdb` unless it exists. It is built in
/// `<dir>/data.init` and renamed, so an interrupted run never leaves a
/// half-made `data`.
pub(super) fn init_data(bin: &Path, dir: &Path, user: RunAs) -> Result<bool, PgServerError> {
    let data = dir.join("data");
    if data.is_dir() {
        return Ok(false);
    }
    let staging = dir.join("data.init");
    match std::fs::remove_dir_all(&staging) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(PgServerError::Dir(staging, e))
        }
        _ => {}
    }
    own_dir(&staging, user)?;
    let handle = Handle::open(&staging)?;
    let program = bin.join("initdb");
    let out = command(&program, user, &[&handle])
        .arg("-D")
        .arg(handle.path())
        .args(["--auth=trust", "--username=weft", "--encoding=UTF8"])
        .arg("--locale=C")
        .output()
        .map_err(|source| PgServerError::Spawn {
            what: program,
            source,
        })?;
    if !out.status.success() {
        return Err(PgServerError::InitDb {
            dir: data,
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    std::fs::rename(&staging, &data).map_err(|e| PgServerError::Dir(data, e))?;
    Ok(true)
}

/// Spawns the postmaster on `<dir>/data`, listening on 127.0.0.1:`port`
/// and a socket in `<dir>/socket`, its output appended to
/// `<dir>/postgres.log`. With `tied`, it gets SIGINT (fast shutdown) when
/// the calling thread exits, so it cannot outlive a killed weft.
pub(crate) fn spawn(
    bin: &Path,
    dir: &Path,
    port: u16,
    user: RunAs,
    tied: bool,
) -> Result<Child, PgServerError> {
    let socket = dir.join("socket");
    own_dir(&socket, user)?;
    let (data, socket) = (Handle::open(&dir.join("data"))?, Handle::open(&socket)?);
    let log_path = log_path(dir);
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .map_err(|e| PgServerError::Dir(log_path.clone(), e))?;
    let err_log = log
        .try_clone()
        .map_err(|e| PgServerError::Dir(log_path, e))?;
    let program = bin.join("postgres");
    let mut cmd = command(&program, user, &[&data, &socket]);
    cmd.arg("-D")
        .arg(data.path())
        .args(["-p", &port.to_string()])
        .arg("-k")
        .arg(socket.path())
        .args(["-c", "listen_addresses=127.0.0.1"])
        .args(["-c", "cluster_name=weft"])
        .args(["-c", "unix_socket_permissions=0700"])
        .stdout(log)
        .stderr(err_log);
    if tied {
        // After the uid change (Command::uid runs first), which would
        // clear it. SIGINT: a fast shutdown, backends go with it.
        tie_to_this_thread(&mut cmd, libc::SIGINT);
    }
    cmd.spawn().map_err(|source| PgServerError::Spawn {
        what: program,
        source,
    })
}

pub(super) fn log_path(dir: &Path) -> PathBuf {
    dir.join("postgres.log")
}

/// The last `n` lines of the server log.
pub(super) fn log_tail(dir: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(log_path(dir)).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Connects to `db` on `port` as `weft`.
async fn connect(port: u16, db: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::Config::new()
        .host("127.0.0.1")
        .port(port)
        .user("weft")
        .dbname(db)
        .connect_timeout(Duration::from_secs(2))
        .connect(tokio_postgres::NoTls)
        .await?;
    tokio::spawn(connection);
    Ok(client)
}

/// Creates database `weft` if missing and checks it answers `SELECT 1`.
async fn prepare(port: u16) -> Result<(), tokio_postgres::Error> {
    let admin = connect(port, "postgres").await?;
    let exists = admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = 'weft'", &[])
        .await?
        .is_some();
    if !exists {
        if let Err(e) = admin.batch_execute("CREATE DATABASE weft").await {
            if e.code() != Some(&tokio_postgres::error::SqlState::DUPLICATE_DATABASE) {
                return Err(e);
            }
        }
    }
    let weft = connect(port, "weft").await?;
    weft.query_one("SELECT 1", &[]).await?;
    Ok(())
}

/// Waits until the server of `child` answers queries on database `weft`
/// (creating it), at most `wait`; gives up early if it exits or `stop`
/// says so. The reason otherwise.
pub(super) fn wait_ready(
    rt: &tokio::runtime::Runtime,
    port: u16,
    child: &mut Child,
    wait: Duration,
    stop: impl Fn() -> bool,
) -> Result<(), String> {
    let started = Instant::now();
    let mut last = String::from("no answer");
    while started.elapsed() < wait {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("it exited ({status})"));
        }
        if stop() {
            return Err("weft is stopping".into());
        }
        match rt
            .block_on(async { tokio::time::timeout(Duration::from_secs(5), prepare(port)).await })
        {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(e)) => last = format!("last error: {e}"),
            Err(_) => last = "a query took over 5 s".into(),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(last)
}

/// Fast shutdown (SIGINT) of our child, SIGKILL after `limit`.
pub(super) fn stop_child(child: &mut Child, limit: Duration) {
    signal(child.id(), libc::SIGINT);
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    tracing::warn!(
        pid = child.id(),
        "postgres did not stop in {limit:?}: killing it"
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// Every live process whose working directory is `dir` (a postmaster and
/// its backends work in their data directory).
pub(crate) fn processes_in(dir: &Path) -> Vec<u32> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_default();
        // A zombie has no working directory any more.
        if cwd == dir {
            out.push(pid);
        }
    }
    out
}

/// Waits until no process works in `dir`; true if none does in time.
pub(super) fn wait_empty(dir: &Path, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if processes_in(dir).is_empty() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Stops a postmaster a previous, killed run left on `<dir>/data` (we
/// hold the lock, so no live weft owns it): the pid in `postmaster.pid`,
/// if that process is a `postgres` working in this data directory (never
/// another server whose pid was reused).
pub(super) fn take_over(dir: &Path) {
    let data = dir.join("data");
    let pid = std::fs::read_to_string(data.join("postmaster.pid"))
        .ok()
        .and_then(|s| s.lines().next()?.trim().parse::<u32>().ok())
        .filter(|p| crate::owned_process::cmdline_contains(*p, "postgres"))
        .filter(|p| processes_in(&data).contains(p));
    if let Some(pid) = pid {
        tracing::warn!(pid, dir = %data.display(), "a postgres of a previous run still works on this directory: stopping it (fast shutdown) before starting ours");
        signal(pid, libc::SIGINT);
        if !wait_gone(pid, Duration::from_secs(30)) {
            tracing::warn!(pid, "it did not stop within 30 s: killing it");
            signal(pid, libc::SIGKILL);
            wait_gone(pid, Duration::from_secs(5));
        }
    }
    // Backends of a killed postmaster leave by themselves, soon.
    if !wait_empty(&data, Duration::from_secs(10)) {
        tracing::warn!(dir = %data.display(), "processes of an earlier postgres still work in this directory");
    } else if data.join("postmaster.pid").exists() {
        // Nothing works here, so its lock file is stale; postgres would
        // refuse to start if its pid now belonged to another process of
        // the same user (e.g. a backend of the system PostgreSQL).
        let _ = std::fs::remove_file(data.join("postmaster.pid"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_runs_the_server_as_postgres_and_others_as_themselves() {
        assert_eq!(user_ids("weft-no-such-user"), None);
        assert_eq!(user_ids("root"), Some((0, 0)));
        match (is_root(), user_ids("postgres")) {
            (true, Some(postgres)) => {
                assert_ne!(postgres.0, 0);
                assert_eq!(run_as().unwrap(), Some(postgres));
            }
            (true, None) => assert!(matches!(run_as(), Err(PgServerError::NoUser))),
            (false, _) => assert_eq!(run_as().unwrap(), None),
        }
    }

    #[test]
    fn a_handed_over_directory_is_reached_where_its_path_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let inner = tmp.path().join("inner");
        own_dir(&inner, run_as().unwrap()).unwrap();
        let h = Handle::open(&inner).unwrap();
        assert_eq!(
            std::fs::canonicalize(h.path()).unwrap(),
            inner.canonicalize().unwrap()
        );
        let user = run_as().unwrap();
        let reaches = |path: &str, keep: &[&Handle]| {
            command(Path::new("/usr/bin/test"), user, keep)
                .args(["-d", path])
                .status()
                .unwrap()
                .success()
        };
        assert!(
            reaches(&h.path(), &[&h]),
            "the server user cannot use the handle"
        );
        assert!(!reaches(&h.path(), &[]), "the handle must be handed over");
        if user.is_some() {
            let direct = inner.to_string_lossy();
            assert!(
                !reaches(&direct, &[]),
                "a 0700 directory of root is not reachable by postgres"
            );
        }
    }

    #[test]
    fn the_log_tail_is_the_last_lines() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(log_tail(tmp.path(), 3), "");
        std::fs::write(log_path(tmp.path()), "a\nb\nc\nd\n").unwrap();
        assert_eq!(log_tail(tmp.path(), 2), "c\nd");
    }
}
