//! The private PostgreSQL server's tests.

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
