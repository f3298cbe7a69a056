//! `weft report channels|order|exceptions`: the ledger's reports, read
//! from the ledger database the configuration names (or the one a running
//! `weft up` records), as a table, JSON (the HTTP API's body) or CSV.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::Value;
use weft_host::ledger::{facts::parse_time, query, report::Period, store::Store};

use super::{tokio, ConfigArg};

/// Output formats.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// The HTTP API's JSON.
    Json,
    /// RFC 4180 CSV with a header row.
    Csv,
}

/// Options every report takes.
#[derive(Args)]
pub struct Common {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    #[command(flatten)]
    config: ConfigArg,
    #[command(flatten)]
    remote: super::remote::RemoteArg,
}

/// `weft report …`
#[derive(Subcommand)]
pub enum ReportCommand {
    /// Per channel and currency: orders, gross, cancelled, fill rates, shipped,
    /// invoiced, returned, credited, net sales, cycle times, on-time, lag
    /// (definitions: docs/reports.md). No period: everything in the ledger.
    Channels {
        /// Orders placed at or after (RFC 3339 or YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Orders placed before.
        #[arg(long)]
        to: Option<String>,
        /// The report as it stood then (events seen by that time).
        #[arg(long)]
        as_of: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// One order's lifecycle, by any of its ids (order id, number, PO, ERP number).
    Order {
        /// The id.
        id: String,
        #[command(flatten)]
        common: Common,
    },
    /// Open exceptions, oldest first.
    Exceptions {
        /// Only this type (e.g. shipment_overdue).
        #[arg(long = "type")]
        kind: Option<String>,
        /// Only this channel.
        #[arg(long)]
        channel: Option<String>,
        /// As they stood then.
        #[arg(long)]
        as_of: Option<String>,
        #[command(flatten)]
        common: Common,
    },
}

fn time(name: &str, v: &Option<String>) -> anyhow::Result<Option<i64>> {
    v.as_deref()
        .map(|s| {
            parse_time(s)
                .with_context(|| format!("--{name} {s:?} is not an RFC 3339 time or a date"))
        })
        .transpose()
}

/// Runs a `weft report` command. Exit code 2: the order is not known.
pub fn run(c: ReportCommand) -> anyhow::Result<ExitCode> {
    let common = match &c {
        ReportCommand::Channels { common, .. }
        | ReportCommand::Order { common, .. }
        | ReportCommand::Exceptions { common, .. } => common,
    };
    if let Some(remote) = common.remote.remote()? {
        return tokio()?.block_on(remote_report(&remote, &c, common.format));
    }
    let config = common.config.load()?;
    let ledger = config.ledger.clone().unwrap_or_default();
    let url = weft_host::ledger::runtime::url_for_commands(&config).context(
        "no ledger database: set [ledger] url or WEFT_LEDGER_URL, or start `weft up` (it records its private one in <data_dir>/postgres/url)",
    )?;
    let format = common.format;
    tokio()?.block_on(async move {
        let store = Store::connect(&url, ledger.links.clone()).await?;
        match &c {
            ReportCommand::Channels {
                from, to, as_of, ..
            } => {
                let period = Period {
                    from: time("from", from)?,
                    to: time("to", to)?,
                };
                let v = query::channels(&store, period, time("as-of", as_of)?).await?;
                print(format, &v, "channels", CHANNEL_COLUMNS)?;
            }
            ReportCommand::Exceptions {
                kind,
                channel,
                as_of,
                ..
            } => {
                let v = query::exceptions(
                    &store,
                    &ledger,
                    time("as-of", as_of)?,
                    kind.as_deref(),
                    channel.as_deref(),
                )
                .await?;
                print(format, &v, "exceptions", EXCEPTION_COLUMNS)?;
            }
            ReportCommand::Order { id, .. } => match query::order(&store, &ledger, id).await? {
                query::Found::One(v) => {
                    if format == Format::Json {
                        println!("{}", serde_json::to_string_pretty(&v)?);
                    } else {
                        print(format, &v, "timeline", TIMELINE_COLUMNS)?;
                    }
                }
                query::Found::None => {
                    eprintln!("no order is known as {id:?}");
                    return Ok(ExitCode::from(2));
                }
                query::Found::Many(keys) => {
                    eprintln!("{id:?} names {} orders: {}", keys.len(), keys.join(", "));
                    return Ok(ExitCode::from(2));
                }
            },
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The report through the admin API (`/v1/reports/channels`,
/// `/v1/orders/{id}`, `/v1/exceptions`): the same JSON, printed the same way.
async fn remote_report(
    remote: &super::remote::Remote,
    c: &ReportCommand,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let opt = |k: &'static str, v: &Option<String>| v.clone().map(|v| (k, v));
    match c {
        ReportCommand::Channels {
            from, to, as_of, ..
        } => {
            let q: Vec<_> = [opt("from", from), opt("to", to), opt("as_of", as_of)]
                .into_iter()
                .flatten()
                .collect();
            let v = remote.get("/v1/reports/channels", &q).await?;
            print(format, &v, "channels", CHANNEL_COLUMNS)?;
        }
        ReportCommand::Exceptions {
            kind,
            channel,
            as_of,
            ..
        } => {
            let q: Vec<_> = [
                opt("type", kind),
                opt("channel", channel),
                opt("as_of", as_of),
            ]
            .into_iter()
            .flatten()
            .collect();
            let v = remote.get("/v1/exceptions", &q).await?;
            print(format, &v, "exceptions", EXCEPTION_COLUMNS)?;
        }
        ReportCommand::Order { id, .. } => {
            let path = format!("/v1/orders/{}", super::remote::segment(id)?);
            match remote.get(&path, &[]).await {
                Ok(v) if format == Format::Json => {
                    println!("{}", serde_json::to_string_pretty(&v)?)
                }
                Ok(v) => print(format, &v, "timeline", TIMELINE_COLUMNS)?,
                Err(e) => match e.downcast_ref::<super::remote::Refused>() {
                    Some(r) if r.status == 404 || r.status == 409 => {
                        eprintln!("{}", r.message);
                        return Ok(ExitCode::from(2));
                    }
                    _ => return Err(e),
                },
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `(header, JSON pointer into a row)`.
type Columns = &'static [(&'static str, &'static str)];

const CHANNEL_COLUMNS: Columns = &[
    ("channel", "/channel"),
    ("currency", "/currency"),
    ("orders", "/orders"),
    ("gross", "/gross"),
    ("cancelled", "/cancelled"),
    ("fill_units_orig", "/fill_original/units"),
    ("fill_units_rev", "/fill_revised/units"),
    ("fill_lines_rev", "/fill_revised/lines"),
    ("fill_orders_rev", "/fill_revised/orders"),
    ("shipped_value", "/shipped_value"),
    ("invoiced", "/invoiced_value"),
    ("returned", "/returned_value"),
    ("credited", "/credited_value"),
    ("net_sales", "/net_sales"),
    ("ack_median_s", "/time_to_acknowledge/median_s"),
    ("ship_median_s", "/time_to_ship/median_s"),
    ("ship_p95_s", "/time_to_ship/p95_s"),
    ("on_time", "/on_time_shipment/rate"),
];

const EXCEPTION_COLUMNS: Columns = &[
    ("since", "/since"),
    ("type", "/type"),
    ("channel", "/channel"),
    ("order", "/order"),
    ("detail", "/detail"),
    ("id", "/id"),
];

const TIMELINE_COLUMNS: Columns = &[
    ("at", "/at"),
    ("doc", "/doc"),
    ("kind", "/kind"),
    ("doc_id", "/doc_id"),
    ("channel", "/channel"),
    ("status", "/status"),
    ("amount", "/amount"),
];

fn cell(row: &Value, pointer: &str) -> String {
    match row.pointer(pointer) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn print(format: Format, v: &Value, list: &str, cols: Columns) -> anyhow::Result<()> {
    let empty = Vec::new();
    let rows = v.get(list).and_then(Value::as_array).unwrap_or(&empty);
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(v)?),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record(cols.iter().map(|(h, _)| *h))?;
            for r in rows {
                w.write_record(cols.iter().map(|(_, p)| cell(r, p)))?;
            }
            w.flush()?;
        }
        Format::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| cols.iter().map(|(_, p)| cell(r, p)).collect())
                .collect();
            let widths: Vec<usize> = cols
                .iter()
                .enumerate()
                .map(|(i, (h, _))| {
                    cells
                        .iter()
                        .map(|c| c[i].chars().count())
                        .max()
                        .unwrap_or(0)
                        .max(h.len())
                })
                .collect();
            let line = |c: Vec<String>| {
                c.iter()
                    .zip(&widths)
                    .map(|(s, w)| format!("{s:<w$}"))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            println!(
                "{}",
                line(cols.iter().map(|(h, _)| h.to_string()).collect())
            );
            for c in cells {
                println!("{}", line(c));
            }
            if rows.is_empty() {
                println!("(no {list})");
            }
        }
    }
    Ok(())
}
