//! `weft plugin bench`: what one call of a component costs on a given input,
//! as the host runs it (a fresh store and instance per call, the deadline
//! and memory cap, the output and schema checks).

use std::{
    process::ExitCode,
    time::{Duration, Instant},
};

use clap::Args;
use weft_host::{
    engine::{CallContext, Outcome},
    Failure, Message, Plugin,
};

use super::RunArgs;

/// `weft plugin bench`
#[derive(Args)]
pub struct BenchArgs {
    /// Calls to time (after the warm-up), taking the inputs in turn.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    count: usize,
    /// Calls made first and not timed (the first calls of a fresh engine
    /// fault in its pooled memory).
    #[arg(long, default_value_t = 50, value_name = "N")]
    warmup: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    call: RunArgs,
}

/// Page faults of this process so far: (minor, major), from `/proc/self/stat`.
fn faults() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // minflt is field 10 and majflt field 12 of the whole line; `rest` starts at field 3.
    Some((f.get(7)?.parse().ok()?, f.get(9)?.parse().ok()?))
}

/// One timed call. Its own function, never inlined, so a profiler can count
/// only the timed calls: `valgrind --tool=callgrind
/// --toggle-collect='weft::cli::plugin::bench::timed_call'` (the guard in
/// `tests/it/cost.rs` does).
#[inline(never)]
fn timed_call(plugin: &Plugin, input: &Message, ctx: &CallContext) -> Result<Outcome, Failure> {
    plugin.process(input, ctx)
}

/// The `q` quantile of sorted `v`.
fn quantile(v: &[Duration], q: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v[i.min(v.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Runs the benchmark; exit 0, or 4 when a call fails (named on stderr).
pub fn run(a: BenchArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(a.count > 0, "--count must be at least 1");
    let wasm = a.call.wasm.clone();
    let (_engine, plugin) = a.call.engine.load(&wasm)?;
    let (inputs, ctx) = super::prepare(a.call, &plugin)?;
    anyhow::ensure!(!inputs.is_empty(), "the input holds no message");
    let one = |i: usize, timed: bool| -> anyhow::Result<(usize, usize)> {
        let input: &Message = &inputs[i % inputs.len()];
        let outcome = match timed {
            true => timed_call(&plugin, input, &ctx),
            false => plugin.process(input, &ctx),
        };
        let outcome = outcome.map_err(|f| {
            anyhow::anyhow!(
                "call {i} on message {}: {}: {}",
                input.id,
                f.class,
                f.message
            )
        })?;
        let bytes = outcome.outputs.iter().map(|m| m.payload.len()).sum();
        Ok((outcome.outputs.len(), bytes))
    };
    for i in 0..a.warmup {
        if let Err(e) = one(i, false) {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(4));
        }
    }
    let bar = indicatif::ProgressBar::new(a.count as u64);
    if a.json || a.count < 10_000 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let (mut outputs, mut out_bytes) = (0usize, 0usize);
    let mut times = Vec::with_capacity(a.count);
    let faults_before = faults();
    let started = Instant::now();
    for i in 0..a.count {
        let t = Instant::now();
        match one(i, true) {
            Ok((n, b)) => {
                outputs += n;
                out_bytes += b;
            }
            Err(e) => {
                bar.finish_and_clear();
                eprintln!("error: {e:#}");
                return Ok(ExitCode::from(4));
            }
        }
        times.push(t.elapsed());
        bar.inc(1);
    }
    let total = started.elapsed();
    bar.finish_and_clear();
    let faults_after = faults();
    times.sort_unstable();
    let n = a.count as f64;
    let in_bytes: usize = (0..a.count)
        .map(|i| inputs[i % inputs.len()].payload.len())
        .sum();
    let (minor, major) = match (faults_before, faults_after) {
        (Some(b), Some(e)) => (Some((e.0 - b.0) as f64 / n), Some((e.1 - b.1) as f64 / n)),
        _ => (None, None),
    };
    let (mean, p50, p99, max) = (
        micros(total) / n,
        micros(quantile(&times, 0.5)),
        micros(quantile(&times, 0.99)),
        micros(quantile(&times, 1.0)),
    );
    let info = plugin.info();
    let plugin_label = format!("{}@{}", info.name, info.version);
    let report = serde_json::json!({
        "plugin": plugin_label,
        "calls": a.count,
        "seconds": total.as_secs_f64(),
        "mean_us": mean,
        "p50_us": p50,
        "p99_us": p99,
        "max_us": max,
        "input_bytes_per_call": in_bytes as f64 / n,
        "outputs_per_call": outputs as f64 / n,
        "output_bytes_per_call": out_bytes as f64 / n,
        "minor_faults_per_call": minor,
        "major_faults_per_call": major,
    });
    if a.json {
        println!("{report}");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} on {} input{}: {} calls in {:.2} s",
        plugin_label,
        inputs.len(),
        if inputs.len() == 1 { "" } else { "s" },
        a.count,
        total.as_secs_f64()
    );
    println!("per call: mean {mean:.1} µs, p50 {p50:.1} µs, p99 {p99:.1} µs, max {max:.1} µs");
    println!(
        "          {:.0} bytes in, {:.2} outputs of {:.0} bytes out",
        in_bytes as f64 / n,
        outputs as f64 / n,
        out_bytes as f64 / n
    );
    if let (Some(minor), Some(major)) = (minor, major) {
        println!("          {minor:.1} minor and {major:.1} major page faults");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn quantiles_of_sorted_times() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        assert_eq!(quantile(&v, 0.5), Duration::from_micros(51));
        assert_eq!(quantile(&v, 0.99), Duration::from_micros(99));
        assert_eq!(quantile(&v, 1.0), Duration::from_micros(100));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn this_process_has_page_faults() {
        let (minor, _) = faults().context("/proc/self/stat").unwrap();
        assert!(minor > 0);
    }
}
