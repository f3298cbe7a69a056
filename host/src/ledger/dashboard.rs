//! The dashboard `weft up` serves at `/dashboard`: server-rendered HTML
//! with inline CSS and SVG (no script, no network): the channel scorecard
//! with sparklines, the exception worklist, an order search with its
//! timeline, and pipeline health. Every value is escaped.

use std::collections::BTreeMap;

use axum::{
    extract::{Path, Query, State},
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use serde::Deserialize;

use super::{api::LedgerState, exceptions, query, report};
use crate::names::url_escape;

const STYLE: &str = "body{font:14px system-ui,sans-serif;margin:0;color:#1d2430}nav{background:#1d2430;padding:10px 16px}nav a{color:#fff;margin-right:18px;text-decoration:none}main{padding:16px}table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #dde;padding:4px 8px;text-align:right}th{background:#f3f5f9}td:first-child,th:first-child{text-align:left}.card{display:inline-block;vertical-align:top;border:1px solid #dde;border-radius:6px;padding:10px;margin:6px}h2{font-size:16px}.muted{color:#778}";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page; `signed`: the server has tokens, so the nav offers sign-out.
fn page(signed: bool, title: &str, body: &str) -> Html<String> {
    let sign_out = if signed {
        "<form method=post action=/dashboard/logout style='float:right;margin:0'><button type=submit>Sign out</button></form>"
    } else {
        ""
    };
    Html(format!(
        "<!doctype html><html><head><meta charset=utf-8><title>weft · {}</title><style>{STYLE}</style></head><body><nav>{sign_out}<a href=/dashboard>Scorecard</a><a href=/dashboard/exceptions>Exceptions</a><a href=/dashboard/orders>Orders</a><a href=/dashboard/health>Pipeline health</a></nav><main><h1>{}</h1>{body}</main></body></html>",
        esc(title),
        esc(title)
    ))
}

fn failed(signed: bool, e: super::store::StoreError) -> Response {
    tracing::warn!("dashboard: {e}");
    page(
        signed,
        "Ledger unavailable",
        "<p>The ledger database is not reachable; retry shortly.</p>",
    )
    .into_response()
}

/// The dashboard's pages in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(scorecard, worklist, search, order, health))]
pub struct DashboardOpenApi;

/// The dashboard's routes.
pub fn router(state: LedgerState) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard") }))
        .route("/dashboard", get(scorecard))
        .route("/dashboard/exceptions", get(worklist))
        .route("/dashboard/orders", get(search))
        .route("/dashboard/orders/{key}", get(order))
        .route("/dashboard/health", get(health))
        .with_state(state)
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "–".into(),
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// A polyline of `points` (0..=max) in a 120×28 box.
fn sparkline(points: &[u64]) -> String {
    let max = points.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = 120.0 / (points.len().max(2) - 1) as f64;
    let coords: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                26.0 - 24.0 * (*p as f64) / max
            )
        })
        .collect();
    format!("<svg width=120 height=28 role=img aria-label='orders per day'><polyline fill=none stroke='#3567d6' stroke-width=1.5 points='{}'/></svg>", coords.join(" "))
}

#[utoipa::path(get, path = "/dashboard", tag = "dashboard", security(("token" = []), ("session" = [])),
    responses(
        (status = 200, description = "The channel scorecard", body = String, content_type = "text/html"),
        (status = 303, description = "Not signed in: to the sign-in page"),
        (status = 400, description = "A malformed query", body = crate::admin::openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
    ))]
async fn scorecard(State(s): State<LedgerState>) -> Response {
    let per_day = match s.store.orders_per_day().await {
        Ok(v) => v,
        Err(e) => return failed(s.signed, e),
    };
    let rows = match s.store.channel_report(report::Period::default()).await {
        Ok(r) => r,
        Err(e) => return failed(s.signed, e),
    };
    // Orders per day over the last 14 days that have orders, per channel.
    let mut days: BTreeMap<&str, BTreeMap<i64, u64>> = BTreeMap::new();
    for (channel, day, n) in &per_day {
        days.entry(channel.as_str())
            .or_default()
            .insert(*day, u64::try_from(*n).unwrap_or(0));
    }
    let mut cards = String::new();
    for r in &rows {
        let v = serde_json::to_value(r).unwrap_or_default();
        let per_day: Vec<u64> = days
            .get(r.channel.as_str())
            .map(|d| {
                let last = d.keys().next_back().copied().unwrap_or(0);
                (last - 13..=last)
                    .map(|day| d.get(&day).copied().unwrap_or(0))
                    .collect()
            })
            .unwrap_or_default();
        let cur = r.currency.clone().unwrap_or_default();
        let figures = [
            ("orders", text(&v["orders"])),
            ("gross", format!("{} {cur}", text(&v["gross"]))),
            ("cancelled", text(&v["cancelled"])),
            ("fill (units, revised)", text(&v["fill_revised"]["units"])),
            ("fill (lines, revised)", text(&v["fill_revised"]["lines"])),
            (
                "fill (orders, original)",
                text(&v["fill_original"]["orders"]),
            ),
            ("shipped", format!("{} {cur}", text(&v["shipped_value"]))),
            ("invoiced", format!("{} {cur}", text(&v["invoiced_value"]))),
            ("returned", format!("{} {cur}", text(&v["returned_value"]))),
            ("credited", format!("{} {cur}", text(&v["credited_value"]))),
            ("net sales", format!("{} {cur}", text(&v["net_sales"]))),
            (
                "time to ship, median s",
                text(&v["time_to_ship"]["median_s"]),
            ),
            ("on-time shipment", text(&v["on_time_shipment"]["rate"])),
        ];
        let table: String = figures
            .iter()
            .map(|(k, x)| format!("<tr><td>{}</td><td class=fig>{}</td></tr>", esc(k), esc(x)))
            .collect();
        cards.push_str(&format!(
            "<div class=card data-channel='{}'><h2>{} <span class=muted>{}</span></h2>{}<table>{table}</table></div>",
            esc(&r.channel),
            esc(&r.channel),
            esc(&cur),
            sparkline(&per_day)
        ));
    }
    let open = match s.store.open_snapshot().await {
        Ok(snap) => exceptions::open(&snap, &s.config.sla, crate::stamp::now_ms() as i64),
        Err(e) => return failed(s.signed, e),
    };
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &open {
        *by_type.entry(e.kind.as_str()).or_default() += 1;
    }
    let exc: String = by_type
        .iter()
        .map(|(k, n)| {
            format!(
                "<tr><td><a href='/dashboard/exceptions?type={}'>{}</a></td><td>{n}</td></tr>",
                esc(k),
                esc(k)
            )
        })
        .collect();
    let body = format!(
        "<p class=muted>Every figure is defined in docs/reports.md. Sparklines: orders per day over the channel's last 14 days with orders.</p>{cards}<h2>Open exceptions</h2><table><tr><th>type</th><th>open</th></tr>{exc}</table>"
    );
    page(s.signed, "Channel scorecard", &body).into_response()
}

/// Worklist filters.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// Exception type.
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Channel.
    channel: Option<String>,
    /// Search id.
    q: Option<String>,
}

#[utoipa::path(get, path = "/dashboard/exceptions", tag = "dashboard", security(("token" = []), ("session" = [])), params(Filter),
    responses(
        (status = 200, description = "The exception worklist", body = String, content_type = "text/html"),
        (status = 303, description = "Not signed in: to the sign-in page"),
        (status = 400, description = "A malformed query", body = crate::admin::openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
    ))]
async fn worklist(State(s): State<LedgerState>, Query(f): Query<Filter>) -> Response {
    let kind = f.kind.as_deref().filter(|k| !k.is_empty());
    let channel = f.channel.as_deref().filter(|c| !c.is_empty());
    let v = match query::exceptions(&s.store, &s.config, None, kind, channel).await {
        Ok(v) => v,
        Err(e) => return failed(s.signed, e),
    };
    let empty = Vec::new();
    let list = v["exceptions"].as_array().unwrap_or(&empty);
    let rows: String = list
        .iter()
        .map(|e| {
            let order = e["order"].as_str().unwrap_or("");
            let link = if order.is_empty() {
                "–".to_string()
            } else {
                format!("<a href='/dashboard/orders/{}'>{}</a>", esc(&url_escape(order)), esc(order))
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{link}</td><td style=text-align:left>{}</td></tr>",
                esc(&text(&e["since"])),
                esc(&text(&e["type"])),
                esc(&text(&e["channel"])),
                esc(&text(&e["detail"]))
            )
        })
        .collect();
    let body = format!(
        "<form><input name=type placeholder=type value='{}'> <input name=channel placeholder=channel value='{}'> <button>Filter</button></form><p>{} open</p><table><tr><th>since</th><th>type</th><th>channel</th><th>order</th><th>detail</th></tr>{rows}</table>",
        esc(kind.unwrap_or("")),
        esc(channel.unwrap_or("")),
        list.len()
    );
    page(s.signed, "Exceptions", &body).into_response()
}

#[utoipa::path(get, path = "/dashboard/orders", tag = "dashboard", security(("token" = []), ("session" = [])), params(Filter),
    responses(
        (status = 200, description = "Order search", body = String, content_type = "text/html"),
        (status = 303, description = "Not signed in: to the sign-in page"),
        (status = 400, description = "A malformed query", body = crate::admin::openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
    ))]
async fn search(State(s): State<LedgerState>, Query(f): Query<Filter>) -> Response {
    let form = "<form><input name=q placeholder='order id, number, PO or ERP number' size=40> <button>Find</button></form>";
    let Some(q) = f.q.filter(|q| !q.trim().is_empty()) else {
        return page(s.signed, "Orders", form).into_response();
    };
    match s.store.find(q.trim()).await {
        Ok(keys) if keys.len() == 1 => {
            Redirect::to(&format!("/dashboard/orders/{}", url_escape(&keys[0]))).into_response()
        }
        Ok(keys) => {
            let list: String = keys
                .iter()
                .map(|k| {
                    format!(
                        "<li><a href='/dashboard/orders/{}'>{}</a></li>",
                        esc(&url_escape(k)),
                        esc(k)
                    )
                })
                .collect();
            let msg = if keys.is_empty() {
                format!("<p>No order is known as {}.</p>", esc(&q))
            } else {
                format!("<ul>{list}</ul>")
            };
            page(s.signed, "Orders", &format!("{form}{msg}")).into_response()
        }
        Err(e) => failed(s.signed, e),
    }
}

#[utoipa::path(get, path = "/dashboard/orders/{key}", tag = "dashboard", security(("token" = []), ("session" = [])), params(("key" = String, Path, description = "Any id of the order")),
    responses(
        (status = 200, description = "One order and its timeline", body = String, content_type = "text/html"),
        (status = 303, description = "Not signed in: to the sign-in page"),
        (status = 400, description = "A malformed query", body = crate::admin::openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
    ))]
async fn order(State(s): State<LedgerState>, Path(key): Path<String>) -> Response {
    let v = match query::order(&s.store, &s.config, &key).await {
        Ok(query::Found::One(v)) => v,
        Ok(_) => {
            return page(
                s.signed,
                "Orders",
                &format!("<p>No order {}.</p>", esc(&key)),
            )
            .into_response()
        }
        Err(e) => return failed(s.signed, e),
    };
    let o = &v["order"];
    let facts: String = [
        "order_id",
        "channel",
        "status",
        "currency",
        "ordered_at",
        "acknowledged_at",
        "first_shipped_at",
        "billed_at",
        "paid_at",
        "booked_at",
        "erp_ref",
        "revised_total",
        "shipped_value",
        "billed_value",
        "returned_value",
        "credited_value",
    ]
    .iter()
    .map(|k| format!("<tr><td>{k}</td><td>{}</td></tr>", esc(&text(&o[*k]))))
    .collect();
    let empty = Vec::new();
    let lines: String = o["lines"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|l| {
            let c: String = [
                "line_key",
                "sku",
                "ordered_original",
                "ordered_revised",
                "shipped",
                "invoiced",
                "returned",
            ]
            .iter()
            .map(|k| format!("<td>{}</td>", esc(&text(&l[*k]))))
            .collect();
            format!("<tr>{c}</tr>")
        })
        .collect();
    let timeline: String = v["timeline"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|e| {
            let c: String = ["at", "doc", "kind", "doc_id", "status", "amount"]
                .iter()
                .map(|k| format!("<td>{}</td>", esc(&text(&e[*k]))))
                .collect();
            format!("<tr>{c}</tr>")
        })
        .collect();
    let exc: String = v["exceptions"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|e| {
            format!(
                "<li>{}: {}</li>",
                esc(&text(&e["type"])),
                esc(&text(&e["detail"]))
            )
        })
        .collect();
    let body = format!(
        "<table>{facts}</table><h2>Lines</h2><table><tr><th>line</th><th>sku</th><th>ordered</th><th>revised</th><th>shipped</th><th>invoiced</th><th>returned</th></tr>{lines}</table><h2>Timeline</h2><table><tr><th>at</th><th>document</th><th>kind</th><th>id</th><th>status</th><th>amount</th></tr>{timeline}</table><h2>Open exceptions</h2><ul>{exc}</ul>"
    );
    page(s.signed, &format!("Order {}", text(&o["order_key"])), &body).into_response()
}

#[utoipa::path(get, path = "/dashboard/health", tag = "dashboard", security(("token" = []), ("session" = [])),
    responses(
        (status = 200, description = "Pipeline health", body = String, content_type = "text/html"),
        (status = 303, description = "Not signed in: to the sign-in page"),
        (status = 400, description = "A malformed query", body = crate::admin::openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
    ))]
async fn health(State(s): State<LedgerState>) -> Response {
    let (Some(units), Some(mut con)) = (s.units.clone(), s.redis.clone()) else {
        return page(s.signed, "Pipeline health", "<p>No pipelines.</p>").into_response();
    };
    let mut rows = String::new();
    for k in units.iter() {
        let d = crate::bus::streams::depths(&mut con, k).await;
        let n = |x: Option<u64>| x.map(|v| v.to_string()).unwrap_or_else(|| "–".into());
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&k.unit),
            n(d.pending),
            n(d.retry),
            n(d.dlq)
        ));
    }
    let body = format!("<p class=muted>Processed and failed counts per unit: /metrics (weft_processed_total, weft_failed_total).</p><table><tr><th>unit</th><th>pending</th><th>retry scheduled</th><th>dead letters</th></tr>{rows}</table>");
    page(s.signed, "Pipeline health", &body).into_response()
}
