//! Order lines: the original and revised ordered quantities, and what was
//! shipped, invoiced and returned against each, matched on the item's ids.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Issue, OrderView};
use crate::ledger::facts::{ItemIds, Line};

/// One order line and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// The line's key: its line id, else SKU, GTIN or part number; shipped
    /// items that match no order line get `unmatched:<id>`.
    pub line_key: String,
    /// SKU.
    pub sku: Option<String>,
    /// GTIN.
    pub gtin: Option<String>,
    /// Quantity in the original order (0 if the line was added later).
    pub ordered_original: Decimal,
    /// Quantity in the latest revision (0 if the line was removed).
    pub ordered_revised: Decimal,
    /// Unit price (latest revision, else original, else as shipped).
    pub unit_price: Option<Decimal>,
    /// Shipped (distinct shipments, not cancelled).
    pub shipped: Decimal,
    /// Invoiced (distinct invoices).
    pub invoiced: Decimal,
    /// Returned (distinct returns).
    pub returned: Decimal,
}

/// Fill rates' numerators and denominators, against the original and the
/// revised order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fill {
    /// Units ordered in the original.
    pub units_original: Decimal,
    /// Σ min(shipped, ordered) over the original's lines.
    pub units_filled_original: Decimal,
    /// Lines of the original with a quantity.
    pub lines_original: u32,
    /// Of those, lines shipped in full.
    pub lines_filled_original: u32,
    /// Units ordered in the latest revision.
    pub units_revised: Decimal,
    /// Σ min(shipped, ordered) over the revision's lines.
    pub units_filled_revised: Decimal,
    /// Lines of the revision with a quantity.
    pub lines_revised: u32,
    /// Of those, lines shipped in full.
    pub lines_filled_revised: u32,
}

impl Fill {
    /// Every line of the original shipped in full.
    pub fn order_filled_original(&self) -> bool {
        self.lines_original > 0 && self.lines_filled_original == self.lines_original
    }
    /// Every line of the revision shipped in full.
    pub fn order_filled_revised(&self) -> bool {
        self.lines_revised > 0 && self.lines_filled_revised == self.lines_revised
    }
}

/// The order's lines as they are being filled.
pub(super) struct Book {
    lines: Vec<(ItemIds, OrderLine)>,
}

impl Book {
    /// Lines from the original and the latest revision.
    pub(super) fn new(original: &[&Line], revised: &[&Line]) -> Book {
        let mut b = Book { lines: Vec::new() };
        for (l, is_revised) in original
            .iter()
            .map(|l| (l, false))
            .chain(revised.iter().map(|l| (l, true)))
        {
            let i = match b.find(&l.ids) {
                Some(i) => i,
                None => b.push(&l.ids, key(&l.ids, b.lines.len())),
            };
            let line = &mut b.lines[i].1;
            if is_revised {
                line.ordered_revised += l.quantity;
                line.unit_price = l.unit_price.or(line.unit_price);
            } else {
                line.ordered_original += l.quantity;
                line.unit_price = line.unit_price.or(l.unit_price);
            }
        }
        b
    }

    fn push(&mut self, ids: &ItemIds, line_key: String) -> usize {
        self.lines.push((
            ids.clone(),
            OrderLine {
                line_key,
                sku: ids.sku.clone(),
                gtin: ids.gtin.clone(),
                ordered_original: Decimal::ZERO,
                ordered_revised: Decimal::ZERO,
                unit_price: None,
                shipped: Decimal::ZERO,
                invoiced: Decimal::ZERO,
                returned: Decimal::ZERO,
            },
        ));
        self.lines.len() - 1
    }

    /// The order line an item matches: same SKU, GTIN or part number, else
    /// the same line id.
    fn find(&self, ids: &ItemIds) -> Option<usize> {
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        self.lines
            .iter()
            .position(|(o, _)| {
                same(&o.sku, &ids.sku)
                    || same(&o.gtin, &ids.gtin)
                    || same(&o.vendor_part, &ids.vendor_part)
                    || same(&o.buyer_part, &ids.buyer_part)
            })
            .or_else(|| {
                self.lines
                    .iter()
                    .position(|(o, _)| same(&o.line_id, &ids.line_id))
            })
    }

    fn line(&mut self, l: &Line) -> &mut OrderLine {
        let i = match self.find(&l.ids) {
            Some(i) => i,
            None => {
                let k = format!("unmatched:{}", key(&l.ids, self.lines.len()));
                let i = self.push(&l.ids, k);
                self.lines[i].1.unit_price = l.unit_price;
                i
            }
        };
        &mut self.lines[i].1
    }

    pub(super) fn ship(&mut self, l: &Line) {
        self.line(l).shipped += l.quantity;
    }
    pub(super) fn invoice(&mut self, l: &Line) {
        self.line(l).invoiced += l.quantity;
    }
    /// Every line of the latest revision shipped in full (a channel's
    /// "fulfilled" without quantities, when no real shipment counts).
    pub(super) fn ship_in_full(&mut self) {
        for (_, l) in &mut self.lines {
            l.shipped = l.shipped.max(l.ordered_revised);
        }
    }
    pub(super) fn ret(&mut self, l: &Line) {
        self.line(l).returned += l.quantity.abs();
    }

    /// Totals, fill and line discrepancies into `v`; the lines, by key.
    pub(super) fn finish(self, v: &mut OrderView) -> Vec<OrderLine> {
        let mut lines: Vec<OrderLine> = self.lines.into_iter().map(|(_, l)| l).collect();
        lines.sort_by(|a, b| a.line_key.cmp(&b.line_key));
        let f = &mut v.fill;
        for l in &lines {
            v.shipped_units += l.shipped;
            v.shipped_value += l.shipped * l.unit_price.unwrap_or_default();
            v.invoiced_units += l.invoiced;
            v.returned_units += l.returned;
            if l.ordered_original > Decimal::ZERO {
                f.units_original += l.ordered_original;
                f.units_filled_original += l.shipped.min(l.ordered_original);
                f.lines_original += 1;
                f.lines_filled_original += u32::from(l.shipped >= l.ordered_original);
            }
            if l.ordered_revised > Decimal::ZERO {
                f.units_revised += l.ordered_revised;
                f.units_filled_revised += l.shipped.min(l.ordered_revised);
                f.lines_revised += 1;
                f.lines_filled_revised += u32::from(l.shipped >= l.ordered_revised);
            }
        }
        let shipped_at = v.last_shipped_at.unwrap_or(v.seen_at);
        for l in &lines {
            let ordered = l.ordered_original.max(l.ordered_revised);
            if l.shipped > ordered {
                v.issues.push(Issue {
                    kind: "over_shipped".into(),
                    cause: l.line_key.clone(),
                    since: shipped_at,
                    detail: format!(
                        "line {}: shipped {} of {} ordered",
                        l.line_key,
                        l.shipped.normalize(),
                        ordered.normalize()
                    ),
                });
            }
            if v.invoiced_at.is_some() && v.shipments > 0 && l.invoiced != l.shipped {
                v.issues.push(Issue {
                    kind: "invoice_quantity_mismatch".into(),
                    cause: l.line_key.clone(),
                    since: v.invoiced_at.unwrap_or(shipped_at).max(shipped_at),
                    detail: format!(
                        "line {}: invoiced {}, shipped {}",
                        l.line_key,
                        l.invoiced.normalize(),
                        l.shipped.normalize()
                    ),
                });
            }
        }
        lines
    }
}

fn key(ids: &ItemIds, n: usize) -> String {
    ids.line_id
        .clone()
        .or_else(|| ids.sku.clone())
        .or_else(|| ids.gtin.clone())
        .or_else(|| ids.vendor_part.clone())
        .or_else(|| ids.buyer_part.clone())
        .unwrap_or_else(|| format!("#{n}"))
}
