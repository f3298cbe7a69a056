//! `weft up`: every pipeline and sink of a configuration, the admin server
//! and (without a configured Redis) a private redis-server, until SIGTERM.

use std::{io::Write, process::ExitCode};

use super::{shutdown_signal, tokio, ConfigArg};

/// Runs `weft up`.
pub fn run(c: &ConfigArg) -> anyhow::Result<ExitCode> {
    let config = c.load()?;
    let source = weft_registry::client::source(&config);
    tokio()?.block_on(async {
        let handle = weft_host::ops::up(config, source).await?;
        let scheme = if handle.tls { "https" } else { "http" };
        println!(
            "weft is up: admin {scheme}://{}  redis {}",
            handle.admin, handle.redis_url
        );
        let _ = std::io::stdout().flush();
        shutdown_signal().await;
        eprintln!("weft: stopping (finishing in-flight messages)…");
        handle.stop().await?;
        Ok(ExitCode::SUCCESS)
    })
}
