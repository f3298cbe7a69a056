//! CPU time of this process and of the Redis server, so a run reports
//! what each message cost on each side, not only the rate (which on a
//! shared 2-core machine also depends on waiting).

use std::time::Instant;

/// A reading of the clocks at the start of a run.
pub struct Mark {
    at: Instant,
    host: Usage,
    redis: f64,
}

/// CPU seconds, minor page faults and context switches of this process.
#[derive(Clone, Copy)]
struct Usage {
    cpu: f64,
    faults: f64,
    switches: f64,
}

/// What a run of `n` messages cost.
#[derive(Clone, Copy)]
pub struct Cost {
    /// Messages per second.
    pub rate: f64,
    /// This process's CPU time per message, in µs.
    pub host_us: f64,
    /// The Redis server's CPU time per message, in µs.
    pub redis_us: f64,
    /// This process's minor page faults per message.
    pub faults: f64,
    /// This process's context switches per message.
    pub switches: f64,
}

impl Cost {
    /// `rate msg/s (host X + redis Y µs CPU/msg)`.
    pub fn show(&self) -> String {
        format!(
            "{:>7.0} msg/s  (per message: host {:>4.0} µs CPU, {:>4.1} faults, {:>4.1} switches; redis {:>4.0} µs CPU)",
            self.rate, self.host_us, self.faults, self.switches, self.redis_us
        )
    }
}

#[expect(unsafe_code, reason = "getrusage is a C function")]
fn host_usage() -> Usage {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    Usage {
        cpu: t(u.ru_utime) + t(u.ru_stime),
        faults: u.ru_minflt as f64,
        switches: (u.ru_nvcsw + u.ru_nivcsw) as f64,
    }
}

async fn redis_cpu(con: &mut redis::aio::ConnectionManager) -> f64 {
    let info: String = redis::cmd("INFO")
        .arg("cpu")
        .query_async(con)
        .await
        .expect("INFO");
    info.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| *k == "used_cpu_sys" || *k == "used_cpu_user")
        .filter_map(|(_, v)| v.trim().parse::<f64>().ok())
        .sum()
}

/// Reads the clocks now.
pub async fn mark(con: &mut redis::aio::ConnectionManager) -> Mark {
    Mark {
        redis: redis_cpu(con).await,
        host: host_usage(),
        at: Instant::now(),
    }
}

/// What the `n` messages since `m` cost.
pub async fn since(m: Mark, con: &mut redis::aio::ConnectionManager, n: usize) -> Cost {
    let secs = m.at.elapsed().as_secs_f64();
    let host = host_usage();
    let redis = redis_cpu(con).await - m.redis;
    let n = n.max(1) as f64;
    Cost {
        rate: n / secs,
        host_us: (host.cpu - m.host.cpu) * 1e6 / n,
        redis_us: redis * 1e6 / n,
        faults: (host.faults - m.host.faults) / n,
        switches: (host.switches - m.host.switches) / n,
    }
}
