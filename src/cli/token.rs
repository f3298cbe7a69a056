//! `weft token new`: a token for the admin API and dashboard, printed once
//! with the `[[admin.tokens]]` entry that accepts it (its SHA-256 only).

use std::process::ExitCode;

use clap::Subcommand;
use weft_host::config::Scope;

/// `weft token …`
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Make a random token; print it (once: keep it in a secret store, give
    /// it to the caller as WEFT_TOKEN) and the configuration entry holding
    /// its SHA-256, which is no secret and may be committed.
    ///
    /// Scopes: `ingest:<pipeline>` (queue into and call that pipeline),
    /// `read` (reports, orders, exceptions, DLQ listings, audit, metrics,
    /// the dashboard), `operate` (DLQ replay and purge, lookup loads; and
    /// read), `admin` (everything).
    New {
        /// The name the audit trail records for it (`token:<id>`).
        #[arg(long)]
        id: String,
        /// A scope (repeatable).
        #[arg(long = "scope", required = true, value_parser = parse_scope)]
        scopes: Vec<Scope>,
    },
}

fn parse_scope(s: &str) -> Result<Scope, String> {
    s.parse()
}

/// Runs a `weft token` command.
pub fn run(c: TokenCommand) -> anyhow::Result<ExitCode> {
    match c {
        TokenCommand::New { id, scopes } => {
            let (token, hash) = weft_registry::auth::new_token()?;
            let scopes: Vec<String> = scopes
                .iter()
                .map(|s| format!("{:?}", s.to_string()))
                .collect();
            println!("token (shown once): {token}");
            println!();
            println!("# weft.toml");
            println!("[[admin.tokens]]");
            println!("id = {id:?}");
            println!("scopes = [{}]", scopes.join(", "));
            println!("sha256 = \"{hash}\"");
            Ok(ExitCode::SUCCESS)
        }
    }
}
