//! Order item rows → canonical lines.
//!
//! Magento lists a configurable product as a parent row (the configurable
//! product: its name, the price paid, discount and tax) followed by a child
//! row (the simple product actually shipped: its SKU and variant name, price
//! 0). Both rows name the same purchase, so they become one line: the
//! parent's quantity and amounts with the child's SKU and name.
//!
//! A bundle is a parent row (the bundle's SKU and price) followed by one row
//! per selected product, each with its own price and a quantity that already
//! counts the bundle quantity. With `bundle_lines = parent` (the default)
//! the bundle is one line and its children are listed on it as
//! `attributes.bundle_items` (`[{"item_id", "sku", "name", "quantity",
//! "unit_price"}]`, quantities counting the bundle quantity); with
//! `children` each child is a line with
//! its own price and the bundle row is dropped, except for fixed-price
//! bundles whose children carry no price, which stay one line.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{json, Value};
use weft_sdk::money::{self, Decimal};
use weft_sdk::order::OrderLine;
use weft_sdk::PluginError;

use super::{money_str, Ctx};
use crate::raw::RawItem;
use weft_sdk::scalar::{take_text, take_trimmed, text, Scalar};

/// Config `bundle_lines`: how bundle products become lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BundleLines {
    /// One line per bundle (its own SKU and price), children listed in
    /// the line's `attributes.bundle_items`.
    #[default]
    Parent,
    /// One line per bundled product, with its own price.
    Children,
}

impl BundleLines {
    /// From the config value (`parent` when unset).
    pub fn from_config(value: Option<&str>) -> Result<BundleLines, PluginError> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("parent") => Ok(BundleLines::Parent),
            Some("children") => Ok(BundleLines::Children),
            Some(other) => Err(PluginError::invalid(format!(
                "config `bundle_lines`: expected `parent` or `children`, got `{other}`"
            ))),
        }
    }
}

/// The lines of an order.
pub struct Mapped {
    /// Canonical lines, in the order of their rows.
    pub lines: Vec<OrderLine>,
    /// Σ quantity × price over the lines, while every line has a price.
    pub gross: Option<Decimal>,
}

/// One row with its position and ids.
struct Row {
    index: usize,
    id: String,
    item: RawItem,
}

/// A row's figures.
struct Figures {
    quantity: Decimal,
    price: Option<Decimal>,
    discount: Option<Decimal>,
    tax: Option<Decimal>,
}

/// Maps the `items` rows of an order.
pub fn map(ctx: &Ctx, items: Vec<RawItem>, mode: BundleLines) -> Result<Mapped, PluginError> {
    let rows: Vec<Row> = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| Row {
            index,
            id: text(&item.item_id)
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|| (index + 1).to_string()),
            item,
        })
        .collect();
    let ids: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    // A child names a parent that is in the document (and is not itself).
    let parent_of = |r: &Row| -> Option<String> {
        let parent = text(&r.item.parent_item_id)
            .or_else(|| r.item.parent_item.as_ref().and_then(|p| text(&p.item_id)))?
            .trim();
        (parent != r.id && ids.contains(parent)).then(|| parent.to_string())
    };
    let mut children: HashMap<String, Vec<usize>> = HashMap::new();
    let mut is_child = vec![false; rows.len()];
    for (i, r) in rows.iter().enumerate() {
        if let Some(p) = parent_of(r) {
            children.entry(p).or_default().push(i);
            is_child[i] = true;
        }
    }

    let mut out = Mapped {
        lines: Vec::with_capacity(rows.len()),
        gross: Some(Decimal::ZERO),
    };
    for (i, row) in rows.iter().enumerate() {
        if is_child[i] {
            continue;
        }
        let kids: Vec<&Row> = children
            .get(&row.id)
            .map(|k| k.iter().filter_map(|&c| rows.get(c)).collect())
            .unwrap_or_default();
        let fig = figures(ctx, row)?;
        if kids.is_empty() {
            push(ctx, &mut out, row, None, fig, BTreeMap::new())?;
            continue;
        }
        let is_bundle = text(&row.item.product_type)
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("bundle"))
            || kids.len() > 1;
        if !is_bundle {
            // Configurable: the parent's figures, the child's SKU and name.
            push(
                ctx,
                &mut out,
                row,
                kids.first().copied(),
                fig,
                BTreeMap::new(),
            )?;
            continue;
        }
        let kid_figures = kids
            .iter()
            .map(|k| figures(ctx, k))
            .collect::<Result<Vec<_>, _>>()?;
        let kids_priced = kid_figures
            .iter()
            .any(|f| f.price.is_some_and(|p| !p.is_zero()));
        if mode == BundleLines::Children && kids_priced {
            for (kid, f) in kids.iter().zip(kid_figures) {
                push(ctx, &mut out, kid, None, f, BTreeMap::new())?;
            }
            continue;
        }
        // One line for the bundle; a dynamic bundle may keep its discount
        // and tax on the children only.
        let mut fig = fig;
        fig.discount = roll_up(
            ctx,
            row,
            fig.discount,
            kid_figures.iter().map(|f| f.discount),
            "discount_amount",
        )?;
        fig.tax = roll_up(
            ctx,
            row,
            fig.tax,
            kid_figures.iter().map(|f| f.tax),
            "tax_amount",
        )?;
        let listed: Vec<Value> = kids
            .iter()
            .zip(&kid_figures)
            .map(|(k, f)| {
                let mut v = json!({
                    "item_id": k.id,
                    "sku": take_trimmed(k.item.sku.clone()),
                    "name": take_text(k.item.name.clone()),
                    "quantity": money::format_qty(f.quantity),
                });
                if let (Some(p), Value::Object(o)) = (f.price, &mut v) {
                    o.insert("unit_price".into(), Value::from(money_str(p)));
                }
                v
            })
            .collect();
        let attributes = BTreeMap::from([("bundle_items".to_string(), Value::Array(listed))]);
        push(ctx, &mut out, row, None, fig, attributes)?;
    }
    if out.lines.is_empty() {
        out.gross = None;
    }
    Ok(out)
}

/// The parent's amount when it is non-zero, else the children's sum.
fn roll_up(
    ctx: &Ctx,
    row: &Row,
    own: Option<Decimal>,
    kids: impl Iterator<Item = Option<Decimal>>,
    field: &str,
) -> Result<Option<Decimal>, PluginError> {
    if own.is_some_and(|d| !d.is_zero()) {
        return Ok(own);
    }
    let mut sum: Option<Decimal> = None;
    for d in kids.flatten() {
        sum = Some(
            sum.unwrap_or_default()
                .checked_add(d)
                .ok_or_else(|| overflow(ctx, row, field))?,
        );
    }
    Ok(match sum {
        Some(s) if !s.is_zero() => Some(s),
        _ => own,
    })
}

fn figures(ctx: &Ctx, row: &Row) -> Result<Figures, PluginError> {
    let at = |field: &str| format!("items[{}] (item_id {}) {field}", row.index, row.id);
    let quantity = match row
        .item
        .qty_ordered
        .as_ref()
        .map(Scalar::as_str)
        .filter(|q| !q.trim().is_empty())
    {
        None => {
            return Err(ctx.err(format_args!(
                "items[{}] (item_id {}) has no qty_ordered",
                row.index, row.id
            )))
        }
        Some(q) => money::parse(q)
            .ok_or_else(|| ctx.err(format_args!("{} `{q}` is not a decimal", at("qty_ordered"))))?,
    };
    Ok(Figures {
        quantity,
        price: ctx.money(row.item.price.as_ref(), at("price"))?,
        discount: ctx.money(row.item.discount_amount.as_ref(), at("discount_amount"))?,
        tax: ctx.money(row.item.tax_amount.as_ref(), at("tax_amount"))?,
    })
}

/// Adds the line for `row` (SKU and name from `variant` when given) with
/// its channel-specific `attributes`.
fn push(
    ctx: &Ctx,
    out: &mut Mapped,
    row: &Row,
    variant: Option<&Row>,
    f: Figures,
    attributes: BTreeMap<String, Value>,
) -> Result<(), PluginError> {
    let extended = match f.price {
        Some(p) => Some(
            f.quantity
                .checked_mul(p)
                .ok_or_else(|| overflow(ctx, row, "price"))?,
        ),
        None => None,
    };
    let total = match extended {
        Some(x) => Some(
            x.checked_sub(f.discount.unwrap_or_default())
                .ok_or_else(|| overflow(ctx, row, "discount_amount"))?,
        ),
        None => None,
    };
    out.gross = match (out.gross, extended) {
        (Some(acc), Some(x)) => Some(
            acc.checked_add(x)
                .ok_or_else(|| overflow(ctx, row, "row_total"))?,
        ),
        _ => None,
    };
    let sku = variant
        .and_then(|v| take_trimmed(v.item.sku.clone()))
        .or_else(|| take_trimmed(row.item.sku.clone()));
    let description = variant
        .and_then(|v| take_text(v.item.name.clone()))
        .or_else(|| take_text(row.item.name.clone()));
    out.lines.push(OrderLine {
        line_id: row.id.clone(),
        sku,
        description,
        quantity: money::format_qty(f.quantity),
        unit_price: f.price.map(money_str),
        discount: f.discount.map(money_str),
        tax: f.tax.map(money_str),
        total: total.map(money_str),
        attributes,
        ..Default::default()
    });
    Ok(())
}

fn overflow(ctx: &Ctx, row: &Row, field: &str) -> PluginError {
    ctx.err(format_args!(
        "amounts in items[{}] (item_id {}) {field} are too large to compute",
        row.index, row.id
    ))
}
