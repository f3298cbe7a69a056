//! Helpers for tests against a real redis-server: a private server, a
//! recording HTTP sink on 127.0.0.1:0, configurations, waiting.

use std::{
    collections::HashMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri},
    Router,
};
use weft_host::bus::RedisServer;

/// A private redis-server in a temp dir, stopped on drop.
pub struct TestRedis {
    pub server: RedisServer,
    pub dir: tempfile::TempDir,
}

impl TestRedis {
    pub fn start() -> TestRedis {
        let dir = tempfile::tempdir().unwrap();
        let server = RedisServer::start(&dir.path().join("redis"), None)
            .expect("redis-server (apt-get install redis-server)");
        TestRedis { server, dir }
    }
    pub fn url(&self) -> String {
        self.server.url()
    }
}

/// What the recording sink saw: deliveries per Idempotency-Key, bodies.
#[derive(Default)]
pub struct Received {
    pub hits: HashMap<String, usize>,
    pub bodies: HashMap<String, Vec<u8>>,
    pub headers: HashMap<String, HashMap<String, String>>,
    /// Method and path of the last delivery per key.
    pub requests: HashMap<String, (String, String)>,
    /// Answer 503 to the first N deliveries of each key.
    pub fail_first: usize,
    /// Requests received, counted before `delay`.
    pub started: usize,
    /// How long each request takes to answer.
    pub delay: Duration,
    /// When each request arrived.
    pub arrivals: Vec<std::time::Instant>,
    /// Requests being answered now, and the most there were at once.
    pub in_flight: usize,
    pub max_in_flight: usize,
}

/// An HTTP sink on 127.0.0.1:0 recording every delivery.
pub struct Recorder {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Received>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Recorder {
    pub async fn start(fail_first: usize) -> Recorder {
        let seen = Arc::new(Mutex::new(Received {
            fail_first,
            ..Default::default()
        }));
        // Any method and path: sink plugins choose them per message.
        let app = Router::new().fallback(record).with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Recorder {
            addr,
            seen,
            _task: task,
        }
    }
    pub fn url(&self) -> String {
        format!("http://{}/in", self.addr)
    }
    pub fn distinct(&self) -> usize {
        self.seen.lock().unwrap().hits.len()
    }
    pub fn deliveries(&self) -> usize {
        self.seen.lock().unwrap().hits.values().sum()
    }
}

async fn record(
    State(seen): State<Arc<Mutex<Received>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let delay = {
        let mut s = seen.lock().unwrap();
        s.started += 1;
        s.arrivals.push(std::time::Instant::now());
        s.in_flight += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        s.delay
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut s = seen.lock().unwrap();
    s.in_flight -= 1;
    let n = s.hits.entry(key.clone()).or_insert(0);
    *n += 1;
    if *n <= s.fail_first {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let h = headers
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.to_str().ok()?.to_string())))
        .collect();
    s.headers.insert(key.clone(), h);
    s.requests
        .insert(key.clone(), (method.to_string(), uri.path().to_string()));
    s.bodies.insert(key, body.to_vec());
    StatusCode::OK
}

/// Polls `f` every 20 ms until it is true or `limit` passes.
pub async fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    f()
}

/// Writes `weft.toml` into `dir` and returns its path.
pub fn write_config(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("weft.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// A TOML string literal of a path.
pub fn lit(p: &Path) -> String {
    format!("{:?}", p.display().to_string())
}

/// The `weft` binary, without the caller's Redis or configuration.
pub fn weft() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_weft"));
    c.env_remove("REDIS_URL").env_remove("WEFT_CONFIG");
    c
}

/// `weft dlq list --json` of `unit`, parsed.
pub async fn dlq_json(cfg: &weft_host::config::Config, unit: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let args = weft_host::ops::DlqArgs {
        action: weft_host::ops::DlqAction::List,
        unit: unit.into(),
        ids: vec![],
        all: false,
        dry_run: false,
        json: true,
    };
    weft_host::ops::dlq(cfg, &args, None, &mut out)
        .await
        .unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A `weft up` child process (killed if the test ends early: no process is
/// left behind), with the admin address and Redis URL it printed.
pub struct UpChild {
    pub child: std::process::Child,
    pub admin: String,
    pub redis_url: String,
}

impl UpChild {
    /// Starts `weft up --config cfg` with `REDIS_URL` unset; its stderr goes
    /// to `<cfg dir>/weft-<pid>.log`. Panics if it does not come up.
    pub fn spawn(cfg: &Path) -> UpChild {
        UpChild::try_spawn(cfg).unwrap_or_else(|why| panic!("weft up did not start: {why}"))
    }

    /// Like [`UpChild::spawn`]; `Err(stderr)` if it exits instead.
    pub fn try_spawn(cfg: &Path) -> Result<UpChild, String> {
        UpChild::try_spawn_env(cfg, &[])
    }

    /// Like [`UpChild::try_spawn`], with these environment variables set.
    pub fn try_spawn_env(cfg: &Path, env: &[(&str, &str)]) -> Result<UpChild, String> {
        use std::io::{BufRead, BufReader};
        let log = cfg.with_file_name(format!(
            "weft-{}.log",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        let mut child = weft()
            .args(["up", "--config"])
            .arg(cfg)
            .env("WEFT_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
        if !line.starts_with("weft is up") {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::fs::read_to_string(&log).unwrap_or_default());
        }
        // "weft is up: admin http://ADDR  redis URL"
        let mut words = line.split_whitespace();
        let admin = words
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .unwrap_or("")
            .to_string();
        let redis_url = words.last().unwrap_or("").to_string();
        Ok(UpChild {
            child,
            admin,
            redis_url,
        })
    }

    /// `kill -9`, and reap it.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM; its exit code.
    pub fn sigterm(&mut self) -> Option<i32> {
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        self.child.wait().ok()?.code()
    }
}

impl Drop for UpChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether process `pid` is alive (not gone, not a zombie).
pub fn alive(pid: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    !status.is_empty()
        && !status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z'))
}

/// Pids of every `redis-server` whose command line or cwd names `dir`.
pub fn redis_servers_on(dir: &Path) -> Vec<u32> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmdline);
        if !cmd.contains("redis-server") || !alive(pid) {
            continue;
        }
        let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_default();
        if cmd.contains(&*dir.to_string_lossy()) || cwd == dir {
            out.push(pid);
        }
    }
    out
}

/// Message ids on `unit`'s input stream, with how often each is there:
/// what the unit before it committed.
pub async fn committed_ids(url: &str, unit: &weft_host::bus::Keys) -> HashMap<String, usize> {
    let mut con = weft_host::bus::connect(url).await.unwrap();
    let mut ids = HashMap::new();
    for e in weft_host::bus::read_all(&mut con, &unit.input())
        .await
        .unwrap()
    {
        *ids.entry(weft_host::bus::codec::decode(&e).unwrap().id)
            .or_insert(0) += 1;
    }
    ids
}

/// Entries pending in `unit`'s consumer group (-1 if it cannot be read).
pub async fn pending(url: &str, unit: &weft_host::bus::Keys) -> i64 {
    let mut con = weft_host::bus::connect(url).await.unwrap();
    let v: redis::Value = redis::cmd("XPENDING")
        .arg(unit.input())
        .arg(unit.group())
        .query_async(&mut con)
        .await
        .unwrap();
    match v {
        redis::Value::Array(a) => match a.first() {
            Some(redis::Value::Int(n)) => *n,
            _ => -1,
        },
        _ => -1,
    }
}

/// Kills every redis-server working in its directory when dropped, so a
/// test that fails (one that finds a server outliving weft, say) leaves no
/// server behind. Declare it after the temporary directory it names.
pub struct ReapServers(pub PathBuf);

impl Drop for ReapServers {
    fn drop(&mut self) {
        for pid in redis_servers_on(&self.0) {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
    }
}

/// Resident set size of `pid` in KiB, from `/proc/<pid>/status` (0 if gone).
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Entries on stream `key` of the Redis at `url`.
pub async fn xlen(url: &str, key: &str) -> usize {
    let mut con = weft_host::bus::connect(url).await.unwrap();
    redis::cmd("XLEN")
        .arg(key)
        .query_async(&mut con)
        .await
        .unwrap()
}

/// The DLQ of `unit` once it holds `n` entries, polled every 50 ms for at
/// most 10 s (what it holds then, otherwise).
pub async fn dlq_of_len(
    cfg: &weft_host::config::Config,
    unit: &str,
    n: usize,
) -> Vec<serde_json::Value> {
    let mut dlq = Vec::new();
    for _ in 0..200 {
        dlq = dlq_json(cfg, unit).await;
        if dlq.len() == n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    dlq
}
