//! `redis-server` processes: [`RedisServer`], one child on a free loopback
//! port (tests, benchmarks), and [`PrivateRedis`], the server `weft up`
//! owns when no Redis is configured — locked to its data directory,
//! supervised and restarted, and unable to outlive weft.

mod owned;

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

pub use owned::{PrivateRedis, RedisHealth};

/// A running `redis-server` owned by this process.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

/// Why the server could not be started.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Spawning failed (not installed?).
    #[error("cannot start redis-server (install it, e.g. `apt-get install redis-server`): {0}")]
    Spawn(std::io::Error),
    /// It did not answer in time.
    #[error("redis-server on port {port} did not answer within {secs} s; see {log}")]
    NoAnswer {
        /// The port tried.
        port: u16,
        /// How long it was given.
        secs: u64,
        /// Its log file.
        log: String,
    },
    /// I/O on its directory.
    #[error("redis data directory {0}: {1}")]
    Dir(PathBuf, std::io::Error),
    /// Another weft holds the directory.
    #[error("redis data directory {dir} is in use by another weft (pid {holder}); stop it first, or give this one another [host] data_dir")]
    Locked {
        /// The directory.
        dir: PathBuf,
        /// What the lock file says about its holder.
        holder: String,
    },
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Sends `PING` to a loopback port; true if it answers `PONG`.
pub(crate) fn ping(port: u16) -> bool {
    matches!(request(port, b"PING\r\n"), Some(r) if r.starts_with(b"+PONG"))
}

/// One raw request to a loopback port; the first bytes of the answer.
fn request(port: u16, req: &[u8]) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(300)).ok()?;
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    s.write_all(req).ok()?;
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

/// Asks the server on `port` to shut down (it flushes its AOF first).
pub(crate) fn send_shutdown(port: u16) {
    use std::io::Write;
    if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
        let _ = s.write_all(b"SHUTDOWN\r\n");
    }
}

impl RedisServer {
    /// Starts `redis-server` with its data (AOF on) in `dir`, on a free port
    /// (or `port` when given, e.g. to restart on the same one), and records
    /// its URL in `<dir>/url`.
    pub fn start(dir: &Path, port: Option<u16>) -> Result<RedisServer, ServerError> {
        RedisServer::spawn(dir, port, false, Duration::from_secs(10))
    }

    /// Like [`RedisServer::start`]; with `tied`, the server gets SIGTERM
    /// when the calling thread exits (Linux parent-death signal), so it
    /// cannot outlive a killed weft. Waits up to `wait` for it to answer.
    pub(crate) fn spawn(
        dir: &Path,
        port: Option<u16>,
        tied: bool,
        wait: Duration,
    ) -> Result<RedisServer, ServerError> {
        std::fs::create_dir_all(dir).map_err(|e| ServerError::Dir(dir.to_path_buf(), e))?;
        let dir = dir
            .canonicalize()
            .map_err(|e| ServerError::Dir(dir.to_path_buf(), e))?;
        let port = match port {
            Some(p) => p,
            None => free_port().map_err(ServerError::Spawn)?,
        };
        let log = dir.join("redis.log");
        let mut cmd = Command::new("redis-server");
        cmd.args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
            ])
            .args(["--protected-mode", "yes", "--daemonize", "no"])
            .arg("--dir")
            .arg(&dir)
            .arg("--logfile")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if tied {
            // SIGTERM: a clean Redis shutdown, the AOF flushed.
            crate::owned_process::tie_to_this_thread(&mut cmd, libc::SIGTERM);
        }
        let child = cmd.spawn().map_err(ServerError::Spawn)?;
        let mut server = RedisServer {
            child: Some(child),
            port,
            dir,
        };
        let started = Instant::now();
        while started.elapsed() < wait {
            if ping(port) {
                std::fs::write(server.dir.join("url"), server.url())
                    .map_err(|e| ServerError::Dir(server.dir.clone(), e))?;
                return Ok(server);
            }
            if let Some(c) = server.child.as_mut() {
                if let Ok(Some(_)) = c.try_wait() {
                    break; // it exited (port taken, bad AOF): the log says why
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        server.stop();
        Err(ServerError::NoAnswer {
            port,
            secs: wait.as_secs(),
            log: log.display().to_string(),
        })
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Blocks until the server exits, however it ends.
    pub(crate) fn wait(&mut self) -> Option<ExitStatus> {
        self.child.take().and_then(|mut c| c.wait().ok())
    }

    /// Kills the server at once (SIGKILL) — the AOF keeps what was written.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Stops the server: SHUTDOWN (flushes the AOF), then kill if needed.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            send_shutdown(self.port);
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
