//! weft sink `erp-order`: turns a canonical `weft.order/1` message into one
//! `http.request` for an ERP's sales-order API, which the host delivers.
//!
//! | input kind | request |
//! |---|---|
//! | `order.created` | `POST {path_prefix}` with a sales order |
//! | `order.updated` | `PUT {path_prefix}/{external_id}` with the whole sales order (replacement) |
//! | `order.cancelled` | `POST {path_prefix}/{external_id}/cancel` with a cancellation |
//!
//! `external_id` is the order's correlation id (`shopify:450789469`),
//! percent-encoded in the path (RFC 3986 unreserved characters, `:` and `@`
//! are kept). The output message has kind `http.request`, content type
//! `application/json`, id `{input id}/erp-order`, the input's correlation
//! id, and headers `weft-http-method`, `weft-http-path` and
//! `idempotency-key` = lower-case hex SHA-256 of the input message id (the
//! same event always gets the same key; `printf %s "$ID" | sha256sum`).
//!
//! The bodies are described by `sales-order.schema.json` in this crate:
//! amounts and quantities are the canonical decimal strings, absent values
//! are omitted. Lines carry `item` = `erp_item` (`item_ref: "erp"`) and the
//! customer `account` = `customer.erp_account` (`account_ref: "erp"`), both
//! set by `enrich-master-data`. The totals carry `other_charges` (gift
//! wrap, COD fee, delivery tip, …) beside `shipping`; the lines' channel
//! `attributes` (bundle components, meta data) are not sent: the sales
//! order has no place for them.
//!
//! # Settings (`config`)
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `require_erp_ids` | `true` | `true`: a line without `erp_item` or a customer without `erp_account` fails the message (`invalid`, naming them); `false`: fall back to the channel SKU (`item_ref: "channel_sku"`) and the channel customer id (`account_ref: "channel_customer"`), which the ERP resolves together with `channel` |
//! | `company` | unset | ERP company / legal entity code, sent as `company` |
//! | `path_prefix` | `/sales-orders` | path of the sales-order collection |
//!
//! Cancellations need no ERP ids. Sales orders also fail as `invalid` when
//! there is no customer, no lines, a quantity or amount that is not a
//! decimal, or an `ordered_at` not starting with `YYYY-MM-DD`; every
//! problem is listed in one reason:
//!
//! ```text
//! order shopify:450789469 cannot become an ERP sales order: customer has no erp_account; lines 466157049, 518995019 have no erp_item
//! ```

mod request;

use sha2::{Digest, Sha256};
use weft_sdk::order::{kinds, Order, ORDER_SCHEMA};
use weft_sdk::{host, Message, Plugin, PluginError, PluginInfo, Role};

pub use request::{cancellation, sales_order, Cancellation, CustomerRef, Line, SalesOrder, Totals};

/// Output message kind.
pub const HTTP_REQUEST: &str = "http.request";
/// Header carrying the HTTP method for the host.
pub const METHOD_HEADER: &str = "weft-http-method";
/// Header carrying the request path for the host.
pub const PATH_HEADER: &str = "weft-http-path";
/// Header the ERP uses to recognise a repeated request.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Config key: whether every line and the customer must carry ERP ids.
pub const REQUIRE_ERP_IDS_KEY: &str = "require_erp_ids";
/// Config key: ERP company code.
pub const COMPANY_KEY: &str = "company";
/// Config key: path of the sales-order collection.
pub const PATH_PREFIX_KEY: &str = "path_prefix";
/// `path_prefix` when unset.
pub const DEFAULT_PATH_PREFIX: &str = "/sales-orders";

/// The `erp-order` sink plugin.
pub struct ErpOrder;

impl Plugin for ErpOrder {
    fn describe() -> PluginInfo {
        weft_sdk::info("erp-order", env!("CARGO_PKG_VERSION"), Role::Sink)
            .summary("canonical orders -> JSON sales-order requests for an ERP API")
            .accepts([kinds::CREATED, kinds::UPDATED, kinds::CANCELLED])
            .emits([HTTP_REQUEST])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let require_erp_ids = host::config_bool(REQUIRE_ERP_IDS_KEY, true)?;
        let company = host::config(COMPANY_KEY)
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        let prefix = path_prefix()?;
        let order = parse(&msg)?;
        let external_id = [&order.correlation_id, &msg.correlation_id]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}:{}", order.channel, order.order_id));
        let segment = encode_segment(&external_id);
        let (method, path, body) = match msg.kind.as_str() {
            kinds::CREATED | kinds::UPDATED => {
                let so = sales_order(&order, &external_id, company.as_deref(), require_erp_ids)
                    .map_err(|problems| {
                        PluginError::invalid(one_line(&format!(
                            "order {external_id} cannot become an ERP sales order: {}",
                            problems.join("; ")
                        )))
                    })?;
                let body = to_json(&so)?;
                if msg.kind == kinds::CREATED {
                    ("POST", prefix, body)
                } else {
                    ("PUT", format!("{prefix}/{segment}"), body)
                }
            }
            kinds::CANCELLED => {
                let body = to_json(&cancellation(&order, &external_id, company.as_deref()))?;
                ("POST", format!("{prefix}/{segment}/cancel"), body)
            }
            other => {
                return Err(PluginError::invalid(format!(
                    "erp-order handles {}, {} and {} messages, not `{}`",
                    kinds::CREATED,
                    kinds::UPDATED,
                    kinds::CANCELLED,
                    other.escape_default()
                )))
            }
        };
        let out = Message {
            id: format!("{}/erp-order", msg.id),
            correlation_id: external_id,
            kind: HTTP_REQUEST.to_string(),
            content_type: weft_sdk::message::JSON.to_string(),
            headers: Vec::new(),
            payload: body,
        }
        .with_header(METHOD_HEADER, method)
        .with_header(PATH_HEADER, path)
        .with_header(IDEMPOTENCY_HEADER, idempotency_key(&msg.id));
        Ok(vec![out])
    }
}

/// Lower-case hex SHA-256 of the input message id.
pub fn idempotency_key(input_id: &str) -> String {
    Sha256::digest(input_id.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Percent-encodes one path segment, keeping RFC 3986 unreserved
/// characters, `:` and `@`.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `path_prefix` setting without its trailing `/`.
fn path_prefix() -> Result<String, PluginError> {
    let Some(raw) = host::config(PATH_PREFIX_KEY) else {
        return Ok(DEFAULT_PATH_PREFIX.to_string());
    };
    let p = raw.trim().trim_end_matches('/');
    let ok = p.starts_with('/')
        && p.chars()
            .all(|c| c.is_ascii_graphic() && !"?#%".contains(c));
    if ok {
        Ok(p.to_string())
    } else {
        Err(PluginError::invalid(format!(
            "config `{PATH_PREFIX_KEY}`: expected a path such as {DEFAULT_PATH_PREFIX} (leading `/`, no spaces, `?`, `#` or `%`), got `{}`",
            raw.escape_default()
        )))
    }
}

/// Parses the payload as a `weft.order/1` document.
fn parse(msg: &Message) -> Result<Order, PluginError> {
    let not_order = |why: String| {
        PluginError::invalid(one_line(&format!(
            "payload of message `{}` is not a {ORDER_SCHEMA} document: {why}",
            msg.id
        )))
    };
    let value: serde_json::Value =
        serde_json::from_slice(&msg.payload).map_err(|e| not_order(e.to_string()))?;
    if !value.is_object() {
        return Err(not_order("expected a JSON object".into()));
    }
    let order: Order =
        serde::Deserialize::deserialize(&value).map_err(|e| not_order(e.to_string()))?;
    if order.schema != ORDER_SCHEMA {
        return Err(not_order(format!("`schema` is `{}`", order.schema)));
    }
    for (field, v) in [("channel", &order.channel), ("order_id", &order.order_id)] {
        if v.trim().is_empty() {
            return Err(not_order(format!("`{field}` is empty")));
        }
    }
    Ok(order)
}

fn to_json<T: serde::Serialize>(body: &T) -> Result<Vec<u8>, PluginError> {
    serde_json::to_vec(body)
        .map_err(|e| PluginError::invalid(format!("cannot serialise the ERP request: {e}")))
}

fn one_line(s: &str) -> String {
    weft_sdk::text::controls_to_spaces(s)
}

weft_sdk::export_sink!(ErpOrder);

#[cfg(test)]
mod tests;
