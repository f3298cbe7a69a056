//! `weft registry …`, `weft publish`, `weft deploy`, `weft rollback`,
//! `weft plugins`: the registry's command line.

use std::{path::PathBuf, process::ExitCode};

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use weft_registry::{local, remote};

/// `weft registry …`
#[derive(Subcommand)]
pub enum RegistryCommand {
    /// Serve the registry API (OpenAPI document at /openapi.json).
    Serve {
        /// Data directory (SQLite database + blobs).
        #[arg(long, default_value = ".weft/registry")]
        data: PathBuf,
        /// Listen address.
        #[arg(long, default_value = "127.0.0.1:7071")]
        listen: String,
        /// Largest accepted upload in bytes (413 beyond).
        #[arg(long, default_value_t = 32 << 20)]
        max_bytes: usize,
        /// Announce deployments on this Redis's `weft:control` stream.
        #[arg(long, env = "REDIS_URL")]
        redis: Option<String>,
    },
    /// Manage bearer tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Create an ed25519 publisher key pair; prints the public key.
    Keygen {
        /// Where to write the secret key (mode 0600).
        #[arg(long, default_value = "weft-publisher.key")]
        out: PathBuf,
    },
    /// Manage the publisher keys trusted per namespace.
    #[command(subcommand)]
    Key(KeyCommand),
    /// The registry's audit trail, newest first: publish, yank, deploy,
    /// rollback (by token id) and token and key changes (by operator).
    Audit {
        /// Only actions starting with this (`deploy`, `key`, …).
        #[arg(long)]
        action: Option<String>,
        /// How many entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// Registry data directory.
        #[arg(long, default_value = ".weft/registry")]
        data: PathBuf,
    },
}

/// `weft registry token …`
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token with scopes; it is printed once and stored hashed.
    Create {
        /// `read`, `publish:<namespace>`, `deploy`, `status` or `admin`
        /// (repeatable). A host's token needs `read` and `status`.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// Registry data directory.
        #[arg(long, default_value = ".weft/registry")]
        data: PathBuf,
    },
}

/// `weft registry key …`
#[derive(Subcommand)]
pub enum KeyCommand {
    /// Stop trusting a publisher key for a namespace (after rotating to a new one).
    Remove {
        /// Namespace.
        namespace: String,
        /// Public key, 64 hex digits.
        pubkey: String,
        /// Registry data directory.
        #[arg(long, default_value = ".weft/registry")]
        data: PathBuf,
    },
    /// Trust a publisher key (hex, from `weft registry keygen`) for a namespace.
    Add {
        /// Namespace.
        namespace: String,
        /// Public key, 64 hex digits.
        pubkey: String,
        /// Registry data directory.
        #[arg(long, default_value = ".weft/registry")]
        data: PathBuf,
    },
}

/// `weft publish`
#[derive(Args)]
pub struct PublishArgs {
    /// The component; name and version come from its describe().
    wasm: PathBuf,
    /// Namespace to publish into.
    #[arg(long)]
    namespace: String,
    /// Registry URL.
    #[arg(long, env = "WEFT_REGISTRY", default_value = "http://127.0.0.1:7071")]
    registry: String,
    /// Bearer token with publish:<namespace>.
    #[arg(long, env = "WEFT_TOKEN")]
    token: String,
    /// Secret key file from `weft registry keygen`.
    #[arg(long)]
    key: PathBuf,
}

/// Runs a registry command.
pub fn run(
    rt: &tokio::runtime::Runtime,
    cmd: RegistryCommand,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<ExitCode> {
    match cmd {
        RegistryCommand::Serve {
            data,
            listen,
            max_bytes,
            redis,
        } => rt.block_on(local::serve(
            &data,
            &listen,
            max_bytes,
            redis.as_deref(),
            stop,
        ))?,
        RegistryCommand::Token(TokenCommand::Create { scopes, data }) => {
            let token = local::token_create(&data, &scopes)?;
            println!("{token}");
            eprintln!(
                "token with scopes {} created; it is not shown again",
                scopes.join(" ")
            );
        }
        RegistryCommand::Audit {
            action,
            limit,
            json,
            data,
        } => {
            for r in local::audit(&data, action.as_deref(), limit)? {
                if json {
                    println!("{}", serde_json::to_string(&r)?);
                } else {
                    println!(
                        "{}  {:<12} {:<22} {}  {}",
                        r.at, r.action, r.who, r.target, r.result
                    );
                }
            }
        }
        RegistryCommand::Keygen { out } => {
            let public = local::keygen(&out)?;
            println!("{public}");
            eprintln!("secret key written to {} — register the public key: weft registry key add <namespace> {public}", out.display());
        }
        RegistryCommand::Key(KeyCommand::Remove {
            namespace,
            pubkey,
            data,
        }) => {
            local::key_remove(&data, &namespace, &pubkey)?;
            eprintln!("no longer trusted for {namespace}: {pubkey}");
        }
        RegistryCommand::Key(KeyCommand::Add {
            namespace,
            pubkey,
            data,
        }) => {
            local::key_add(&data, &namespace, &pubkey)?;
            eprintln!("trusted for {namespace}: {pubkey}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `weft publish`.
pub fn publish(rt: &tokio::runtime::Runtime, a: PublishArgs) -> anyhow::Result<ExitCode> {
    if a.token.is_empty() {
        bail!("--token (or WEFT_TOKEN) is required");
    }
    let meta = rt
        .block_on(remote::publish(
            &a.wasm,
            &a.registry,
            &a.token,
            &a.key,
            &a.namespace,
        ))
        .context("publish failed")?;
    println!("{}", serde_json::to_string_pretty(&meta)?);
    Ok(ExitCode::SUCCESS)
}

/// Where the registry is and who we are.
#[derive(Args)]
pub struct RegistryConn {
    /// Registry URL.
    #[arg(long, env = "WEFT_REGISTRY", default_value = "http://127.0.0.1:7071")]
    registry: String,
    /// Bearer token (deploy scope to deploy, read to list).
    #[arg(long, env = "WEFT_TOKEN")]
    token: String,
}

/// `weft deploy`
#[derive(Args)]
pub struct DeployArgs {
    /// Pipeline.
    pipeline: String,
    /// Stage.
    stage: String,
    /// `ns/name@version`.
    plugin: String,
    /// Canary `ns/name@version`, chosen for a share of correlation ids.
    #[arg(long, requires = "percent")]
    canary: Option<String>,
    /// Canary share, 0-100.
    #[arg(long, requires = "canary")]
    percent: Option<u8>,
    #[command(flatten)]
    conn: RegistryConn,
}

/// `weft rollback`
#[derive(Args)]
pub struct RollbackArgs {
    /// Pipeline.
    pipeline: String,
    /// Stage.
    stage: String,
    #[command(flatten)]
    conn: RegistryConn,
}

/// Runs `weft deploy`.
pub fn deploy(rt: &tokio::runtime::Runtime, a: DeployArgs) -> anyhow::Result<ExitCode> {
    let canary = a.canary.as_deref().zip(a.percent);
    let d = rt.block_on(remote::deploy(
        &a.conn.registry,
        &a.conn.token,
        &a.pipeline,
        &a.stage,
        &a.plugin,
        canary,
    ))?;
    println!("{}", serde_json::to_string_pretty(&d)?);
    Ok(ExitCode::SUCCESS)
}

/// Runs `weft rollback`.
pub fn rollback(rt: &tokio::runtime::Runtime, a: RollbackArgs) -> anyhow::Result<ExitCode> {
    let d = rt.block_on(remote::rollback(
        &a.conn.registry,
        &a.conn.token,
        &a.pipeline,
        &a.stage,
    ))?;
    println!("{}", serde_json::to_string_pretty(&d)?);
    Ok(ExitCode::SUCCESS)
}

/// Runs `weft plugins`.
pub fn plugins(rt: &tokio::runtime::Runtime, conn: RegistryConn) -> anyhow::Result<ExitCode> {
    let all = rt.block_on(remote::plugins(&conn.registry, &conn.token))?;
    for v in all.as_array().into_iter().flatten() {
        println!(
            "{}/{}@{}  {}  {}  {}{}",
            v["namespace"].as_str().unwrap_or(""),
            v["name"].as_str().unwrap_or(""),
            v["version"].as_str().unwrap_or(""),
            v["world"].as_str().unwrap_or(""),
            &v["sha256"].as_str().unwrap_or("")[..12.min(v["sha256"].as_str().unwrap_or("").len())],
            v["published_at"].as_str().unwrap_or(""),
            if v["yanked"].as_bool() == Some(true) {
                "  (yanked)"
            } else {
                ""
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
