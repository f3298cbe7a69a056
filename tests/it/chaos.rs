//! Chaos, bounded in time and count, on loopback: `kill -9` of weft (and
//! of its private Redis) while `weft ingest` and HTTP ingest both feed it,
//! in the default configuration a new user runs; then two hosts sharing an
//! operator-run Redis with one killed repeatedly. Every accepted message
//! (every 202 or printed CLI line) must be committed exactly once on the
//! output stream and delivered at the sink; no process may be left behind.

use std::{
    collections::{HashMap, HashSet},
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use weft_host::bus::Keys;

use super::{
    bus_support::{
        alive, committed_ids, lit, redis_servers_on, rss_kib, wait_until, weft, write_config,
        ReapServers, Recorder, TestRedis, UpChild,
    },
    support::guest_path,
};

/// What the feeders had accepted, by message id.
#[derive(Default)]
struct Accepted {
    ids: HashSet<String>,
    http: usize,
    cli: usize,
    /// First acceptance after each (re)start, measured from it.
    recoveries: Vec<Duration>,
}

struct Feeders {
    stop: Arc<AtomicBool>,
    admin: Arc<Mutex<Option<String>>>,
    accepted: Arc<Mutex<Accepted>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// When the system was last (re)started or broken: recovery is measured from it.
    since: Arc<Mutex<Option<Instant>>>,
}

impl Feeders {
    fn start(cfg: &Path, files: &Path, tag: &'static str) -> Feeders {
        let stop = Arc::new(AtomicBool::new(false));
        let admin: Arc<Mutex<Option<String>>> = Arc::default();
        let accepted: Arc<Mutex<Accepted>> = Arc::default();
        let since: Arc<Mutex<Option<Instant>>> = Arc::default();
        let note = {
            let (accepted, since) = (accepted.clone(), since.clone());
            move |id: String, http: bool| {
                let mut a = accepted.lock().unwrap();
                if let Some(t) = since.lock().unwrap().take() {
                    a.recoveries.push(t.elapsed());
                }
                if a.ids.insert(id) {
                    if http {
                        a.http += 1
                    } else {
                        a.cli += 1
                    }
                }
            }
        };
        // HTTP: one request at a time, each id retried until it is answered
        // 202 (queued) or 200 duplicate (queued before, its answer lost).
        let http = {
            let (stop, admin, note) = (stop.clone(), admin.clone(), note.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(2))
                    .build()
                    .unwrap();
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let Some(a) = admin.lock().unwrap().clone() else {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    };
                    let id = format!("{tag}-h{i}");
                    let r = client
                        .post(format!("{a}/ingest/p"))
                        .header("idempotency-key", &id)
                        .header("content-type", "text/plain")
                        .body(format!("http order {i}"))
                        .send()
                        .await;
                    match r.map(|r| r.status().as_u16()) {
                        Ok(202 | 200) => {
                            note(id, true);
                            i += 1;
                        }
                        _ => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
            })
        };
        // CLI: `weft ingest` of 20 new files at a time; a file counts as
        // accepted when its line is printed; files not printed are sent again.
        let cli = {
            let (stop, note) = (stop.clone(), note.clone());
            let (cfg, files) = (cfg.to_path_buf(), files.to_path_buf());
            tokio::task::spawn_blocking(move || {
                std::fs::create_dir_all(&files).unwrap();
                let mut todo: Vec<PathBuf> = Vec::new();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    while todo.len() < 20 {
                        let f = files.join(format!("{tag}-c{n}.txt"));
                        std::fs::write(&f, format!("cli order {tag} {n}\n")).unwrap();
                        todo.push(f);
                        n += 1;
                    }
                    let out = weft()
                        .args(["ingest", "p"])
                        .args(&todo)
                        .arg("--config")
                        .arg(&cfg)
                        .output()
                        .unwrap();
                    let printed: Vec<String> = String::from_utf8_lossy(&out.stdout)
                        .lines()
                        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
                        .collect();
                    todo.drain(..printed.len().min(todo.len()));
                    for id in printed {
                        note(id, false);
                    }
                    if !out.status.success() {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
            })
        };
        Feeders {
            stop,
            admin,
            accepted,
            tasks: vec![http, cli],
            since,
        }
    }

    fn point_at(&self, admin: Option<String>) {
        *self.admin.lock().unwrap() = admin;
    }

    fn restarted(&self) {
        *self.since.lock().unwrap() = Some(Instant::now());
    }

    fn count(&self) -> usize {
        self.accepted.lock().unwrap().ids.len()
    }

    async fn stop(self) -> Accepted {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.tasks {
            let _ = t.await;
        }
        Arc::try_unwrap(self.accepted)
            .ok()
            .map(|m| m.into_inner().unwrap())
            .unwrap_or_default()
    }
}

/// Message ids on the output (sink) stream, with how often each is there.
async fn output_ids(url: &str) -> HashMap<String, usize> {
    committed_ids(url, &Keys::sink("p", "out")).await
}

/// Checks every accepted id is committed once and delivered; prints the figures.
fn audit(what: &str, accepted: &Accepted, out: &HashMap<String, usize>, sink: &Recorder) {
    let doubled: Vec<_> = out.iter().filter(|(_, n)| **n > 1).take(10).collect();
    let lost: Vec<_> = accepted
        .ids
        .iter()
        .filter(|id| !out.contains_key(*id))
        .take(10)
        .collect();
    let seen = sink.seen.lock().unwrap();
    let undelivered: Vec<_> = accepted
        .ids
        .iter()
        .filter(|id| !seen.bodies.contains_key(*id))
        .take(10)
        .collect();
    let deliveries: usize = seen.hits.values().sum();
    eprintln!(
        "{what}: accepted {} ({} http, {} cli), committed {} distinct, lost {}, doubled {}, delivered {} keys in {deliveries} deliveries, recoveries {:?}",
        accepted.ids.len(),
        accepted.http,
        accepted.cli,
        out.len(),
        lost.len(),
        doubled.len(),
        seen.bodies.len(),
        accepted.recoveries,
    );
    assert!(
        accepted.http > 0 && accepted.cli > 0,
        "both feeders must have fed it"
    );
    assert!(
        lost.is_empty(),
        "{what}: accepted but not committed: {lost:?}"
    );
    assert!(doubled.is_empty(), "{what}: committed twice: {doubled:?}");
    assert!(
        undelivered.is_empty(),
        "{what}: accepted but never delivered: {undelivered:?}"
    );
}

fn config(data: &Path, sink: &str, redis: Option<&str>, consumer: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(url) = redis {
        text += &format!("[redis]\nurl = \"{url}\"\n");
    }
    text += &format!(
        "[admin]\nlisten = \"127.0.0.1:0\"\n[host]\ndata_dir = {}\n",
        lit(data)
    );
    if let Some(c) = consumer {
        text += &format!("consumer = \"{c}\"\n");
    }
    text + &format!(
        r#"[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "http"
url = "{sink}"
# delivered entries stay a while, so the test can audit the output stream
retention_hours = 1
"#,
        plugin = lit(&guest_path("guest-echo")),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_of_weft_and_of_its_private_redis_loses_and_doubles_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let redis_dir = data.join("redis");
    let _reap = ReapServers(redis_dir.clone());
    let sink = Recorder::start(0).await;
    let cfg = write_config(tmp.path(), &config(&data, &sink.url(), None, None));
    let feeders = Feeders::start(&cfg, &tmp.path().join("files"), "a");
    let mut rss = Vec::new();
    for round in 0..3 {
        feeders.restarted();
        let mut up = UpChild::spawn(&cfg);
        feeders.point_at(Some(up.admin.clone()));
        let before = feeders.count();
        assert!(
            wait_until(Duration::from_secs(20), || feeders.count() >= before + 1000).await,
            "round {round}: no progress"
        );
        assert_eq!(
            redis_servers_on(&redis_dir).len(),
            1,
            "one server per directory"
        );
        rss.push(rss_kib(up.child.id()));
        feeders.point_at(None);
        up.kill9();
        assert!(
            wait_until(Duration::from_secs(15), || redis_servers_on(&redis_dir)
                .is_empty())
            .await,
            "round {round}: the private redis-server outlived the killed weft"
        );
    }
    // Now kill -9 the private Redis under a running weft.
    let up = UpChild::spawn(&cfg);
    feeders.point_at(Some(up.admin.clone()));
    let before = feeders.count();
    assert!(wait_until(Duration::from_secs(20), || feeders.count() >= before + 1000).await);
    let pid: u32 = std::fs::read_to_string(redis_dir.join("redis.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let _ = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status();
    feeders.restarted();
    let before = feeders.count();
    assert!(
        wait_until(Duration::from_secs(20), || feeders.count() >= before + 1000).await,
        "no progress after the private Redis was killed"
    );
    let servers = redis_servers_on(&redis_dir);
    assert_eq!(servers.len(), 1, "{servers:?}");
    assert!(!servers.contains(&pid));
    let accepted = feeders.stop().await;
    assert!(
        wait_until(Duration::from_secs(90), || accepted
            .ids
            .iter()
            .all(|id| sink.seen.lock().unwrap().bodies.contains_key(id)))
        .await,
        "not everything accepted was delivered"
    );
    let out = output_ids(&up.redis_url).await;
    audit(
        "private Redis, 3 × kill -9 weft + kill -9 redis",
        &accepted,
        &out,
        &sink,
    );
    eprintln!("weft RSS per round (kB): {rss:?}");
    let mut up = up;
    assert_eq!(up.sigterm(), Some(0));
    assert!(
        wait_until(Duration::from_secs(10), || servers
            .iter()
            .all(|p| !alive(*p)))
        .await,
        "redis-server left behind"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hosts_on_one_redis_with_one_killed_repeatedly_lose_and_double_nothing() {
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let url = redis.url();
    let cfg_a = write_config(
        dir_a.path(),
        &config(
            &dir_a.path().join("data"),
            &sink.url(),
            Some(&url),
            Some("host-a"),
        ),
    );
    let cfg_b = write_config(
        dir_b.path(),
        &config(
            &dir_b.path().join("data"),
            &sink.url(),
            Some(&url),
            Some("host-b"),
        ),
    );
    let b = UpChild::spawn(&cfg_b);
    // HTTP feeds the host that stays; the CLI writes to the shared Redis.
    let feeders = Feeders::start(&cfg_a, &dir_a.path().join("files"), "b");
    feeders.point_at(Some(b.admin.clone()));
    for round in 0..3 {
        feeders.restarted();
        let mut a = UpChild::spawn(&cfg_a);
        let before = feeders.count();
        assert!(
            wait_until(Duration::from_secs(20), || feeders.count() >= before + 1000).await,
            "round {round}: no progress"
        );
        a.kill9();
    }
    // host-a comes back once more to finish its own pending entries
    // (a restarted host reads its own pending first; no claim_idle wait).
    let mut a = UpChild::spawn(&cfg_a);
    let accepted = feeders.stop().await;
    assert!(
        wait_until(Duration::from_secs(90), || accepted
            .ids
            .iter()
            .all(|id| sink.seen.lock().unwrap().bodies.contains_key(id)))
        .await,
        "not everything accepted was delivered"
    );
    let out = output_ids(&url).await;
    audit(
        "operator Redis, two hosts, 3 × kill -9 of one",
        &accepted,
        &out,
        &sink,
    );
    assert_eq!(a.sigterm(), Some(0));
    let mut b = b;
    assert_eq!(b.sigterm(), Some(0));
}
