//! A private `redis-server` on a free loopback port: used by `weft up` when
//! no Redis is configured, and by tests. Stopped when dropped.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

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
    #[error("redis-server on port {port} did not answer within 10 s; see {log}")]
    NoAnswer {
        /// The port tried.
        port: u16,
        /// Its log file.
        log: String,
    },
    /// I/O on its directory.
    #[error("redis data directory {0}: {1}")]
    Dir(PathBuf, std::io::Error),
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl RedisServer {
    /// Starts `redis-server` with its data (AOF on) in `dir`, on a free port
    /// (or `port` when given, e.g. to restart on the same one).
    pub fn start(dir: &Path, port: Option<u16>) -> Result<RedisServer, ServerError> {
        std::fs::create_dir_all(dir).map_err(|e| ServerError::Dir(dir.to_path_buf(), e))?;
        let dir = dir
            .canonicalize()
            .map_err(|e| ServerError::Dir(dir.to_path_buf(), e))?;
        let port = match port {
            Some(p) => p,
            None => free_port().map_err(ServerError::Spawn)?,
        };
        let log = dir.join("redis.log");
        let child = Command::new("redis-server")
            .args([
                "--bind",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--save",
                "",
                "--appendonly",
                "yes",
            ])
            .args([
                "--appendfsync",
                "everysec",
                "--protected-mode",
                "yes",
                "--daemonize",
                "no",
            ])
            .arg("--dir")
            .arg(&dir)
            .arg("--logfile")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(ServerError::Spawn)?;
        let mut server = RedisServer {
            child: Some(child),
            port,
            dir,
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if server.ping() {
                std::fs::write(server.dir.join("url"), server.url())
                    .map_err(|e| ServerError::Dir(server.dir.clone(), e))?;
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        server.stop();
        Err(ServerError::NoAnswer {
            port,
            log: log.display().to_string(),
        })
    }

    fn ping(&self) -> bool {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
        let mut buf = [0u8; 64];
        s.write_all(b"PING\r\n").is_ok()
            && s.read(&mut buf)
                .map(|n| buf[..n].starts_with(b"+PONG"))
                .unwrap_or(false)
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

    /// Kills the server at once (SIGKILL) — the AOF keeps what was fsynced.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Stops the server: SHUTDOWN (flushes the AOF), then kill if needed.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
                use std::io::Write;
                let _ = s.write_all(b"SHUTDOWN\r\n");
            }
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
