//! What the private servers of `weft up` (Redis, PostgreSQL) share about
//! owning a process: a data directory locked to one weft, signals to a
//! process that is not our child, waiting for one to go, recognising one
//! by its command line, and the Linux parent-death signal that keeps a
//! server from outliving weft.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

/// Why a data directory could not be locked.
#[derive(Debug)]
pub(crate) enum LockError {
    /// I/O on the lock file.
    Io(PathBuf, std::io::Error),
    /// Another process holds it; what the lock file says about it (its
    /// pid, or "unknown").
    Held(String),
}

/// Holds `<dir>/lock` (flock) and writes our pid into it; the lock lasts
/// as long as the returned file is open.
pub(crate) fn lock_dir(dir: &Path) -> Result<std::fs::File, LockError> {
    let path = dir.join("lock");
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| LockError::Io(path.clone(), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path)
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            return Err(LockError::Held(if holder.is_empty() {
                "unknown".into()
            } else {
                holder
            }));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(LockError::Io(path, e)),
    }
    file.set_len(0)
        .and_then(|_| writeln!(file, "{}", std::process::id()))
        .map_err(|e| LockError::Io(path, e))?;
    Ok(file)
}

/// Sends `sig` to `pid` (never to a process group, never to init).
#[expect(
    unsafe_code,
    reason = "stopping a server left by an earlier run (not our child) needs kill(2)"
)]
pub(crate) fn signal(pid: u32, sig: libc::c_int) {
    if pid > 1 {
        // SAFETY: kill(2) with a positive pid signals that one process.
        unsafe {
            libc::kill(pid as libc::pid_t, sig);
        }
    }
}

/// Waits until `pid` is gone (or a zombie); true if it went in time.
pub(crate) fn wait_gone(pid: u32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let zombie = status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z'));
        if status.is_empty() || zombie {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Whether the command line of `pid` contains `needle`.
pub(crate) fn cmdline_contains(pid: u32, needle: &str) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| String::from_utf8_lossy(&c).contains(needle))
        .unwrap_or(false)
}

/// The child gets `sig` when the thread that spawned it exits — including
/// when weft is killed with -9. Register it after anything else that runs
/// before exec changes the child's user: a uid change clears the signal.
/// (`Command::uid`/`gid` take effect before `pre_exec` closures.)
#[cfg(target_os = "linux")]
#[expect(
    unsafe_code,
    reason = "the parent-death signal can only be set in the child, between fork and exec"
)]
pub(crate) fn tie_to_this_thread(cmd: &mut Command, sig: libc::c_int) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id();
    // SAFETY: the closure runs between fork and exec and only makes
    // async-signal-safe calls (prctl, getppid), allocating nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, sig) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died before prctl took effect.
            if libc::getppid() as u32 != parent {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn tie_to_this_thread(_cmd: &mut Command, _sig: libc::c_int) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_directory_names_its_holder() {
        let tmp = tempfile::tempdir().unwrap();
        let _held = lock_dir(tmp.path()).unwrap();
        match lock_dir(tmp.path()) {
            Err(LockError::Held(holder)) => assert_eq!(holder, std::process::id().to_string()),
            other => panic!("a second lock must be refused: {other:?}"),
        }
        drop(_held);
        assert!(lock_dir(tmp.path()).is_ok(), "the lock goes with its file");
    }

    #[test]
    fn a_process_is_recognised_signalled_and_seen_gone() {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        let pid = child.id();
        // Right after spawn the kernel may still be setting up the new
        // program's arguments (an empty command line).
        let deadline = Instant::now() + Duration::from_secs(5);
        while !cmdline_contains(pid, "sleep") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(cmdline_contains(pid, "sleep"));
        assert!(!cmdline_contains(pid, "postgres"));
        assert!(!wait_gone(pid, Duration::from_millis(100)));
        signal(pid, libc::SIGTERM);
        assert!(wait_gone(pid, Duration::from_secs(5)));
        let _ = child.wait();
    }
}
