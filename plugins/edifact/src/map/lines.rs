//! The line item group (LIN with its PIA, IMD, QTY, PRI, MOA, RFF, DTM,
//! ALC and TAX) and the allowance/charge group (ALC with QTY, PCD, MOA,
//! RTE, TAX), read alike for every message type.

use weft_sdk::document::ItemIds;
use weft_sdk::invoice::Charge;
use weft_sdk::money::Decimal;

use super::{add_item_id, code, num, Ctx, Reject};
use crate::parse::Segment;
use crate::values::{money_str, qty_str};

/// MOA 5025 qualifiers whose amounts the mappings use (their values must be
/// numbers; other MOA are not read).
const USED_MOA: &[&str] = &[
    "8", "9", "23", "38", "39", "66", "77", "79", "86", "124", "125", "128", "131", "150", "176",
    "203", "204",
];

/// One LIN group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    /// Position of the LIN.
    pub position: usize,
    /// LIN01 line item number (the ordinal when empty).
    pub line_id: String,
    /// LIN02 action code (1229).
    pub action: String,
    /// Item ids from LIN03 and the PIA.
    pub ids: ItemIds,
    /// IMD texts.
    pub texts: Vec<String>,
    /// QTY: qualifier, quantity, unit.
    pub quantities: Vec<(String, Decimal, Option<String>)>,
    /// PRI: qualifier and price.
    pub prices: Vec<(String, Decimal)>,
    /// MOA: qualifier and amount (only those in the used list).
    pub amounts: Vec<(String, Decimal)>,
    /// RFF: qualifier and value.
    pub refs: Vec<(String, String)>,
    /// DTM: qualifier and canonical date (valid ones).
    pub dates: Vec<(String, String)>,
    /// ALC allowances and charges of the line.
    pub charges: Vec<Charge>,
    /// MOA 124 of the line's TAX groups.
    pub tax: Option<Decimal>,
}

impl Line {
    /// The first quantity of qualifier `q`.
    pub fn qty(&self, q: &str) -> Option<&(String, Decimal, Option<String>)> {
        self.quantities.iter().find(|x| x.0 == q)
    }

    /// The first price among qualifiers `qs`, in that order of preference.
    pub fn price(&self, qs: &[&str]) -> Option<Decimal> {
        qs.iter()
            .find_map(|q| self.prices.iter().find(|p| p.0 == *q).map(|p| p.1))
    }

    /// The first amount among qualifiers `qs`.
    pub fn amount(&self, qs: &[&str]) -> Option<Decimal> {
        qs.iter()
            .find_map(|q| self.amounts.iter().find(|p| p.0 == *q).map(|p| p.1))
    }

    /// The first reference of qualifier `q`.
    pub fn reference(&self, q: &str) -> Option<&str> {
        self.refs.iter().find(|r| r.0 == q).map(|r| r.1.as_str())
    }

    /// The IMD texts joined, if any.
    pub fn description(&self) -> Option<String> {
        Some(self.texts.join(" ")).filter(|d| !d.is_empty())
    }

    /// The quantity of qualifier `q`, else the first one; a reject naming
    /// the LIN when the line has none.
    pub fn need_qty(&self, q: &str, what: &str) -> Result<(String, Option<String>), Reject> {
        self.qty(q)
            .or(self.quantities.first())
            .map(|x| (qty_str(x.1), x.2.clone()))
            .ok_or_else(|| Reject {
                position: self.position,
                tag: "LIN".into(),
                reason: format!("line {} has no QTY {q} ({what})", self.line_id),
            })
    }

    /// `line total` when stated (MOA `qs`), else quantity × price.
    pub fn total(&self, qs: &[&str], qty: &str, price: Option<Decimal>) -> Option<String> {
        self.amount(qs)
            .or_else(|| price.zip(weft_sdk::money::parse(qty)).map(|(p, q)| p * q))
            .map(money_str)
    }
}

/// Whether a segment ends a line group.
pub fn ends_line(tag: &str) -> bool {
    matches!(tag, "LIN" | "UNS" | "CPS")
}

/// Records a DTM: valid dates go to `dates`, invalid ones become warnings.
pub fn note_date(
    ctx: &Ctx,
    seg: &Segment,
    dates: &mut Vec<(String, String)>,
    warnings: &mut Vec<String>,
) {
    match ctx.date(seg, "date") {
        Ok(d) => dates.push((seg.comp(1, 1).to_string(), d)),
        Err(r) => warnings.push(format!("{r}; ignored")),
    }
}

/// Reads the LIN group at `segs[i]`; returns it and the index after.
pub fn read_line(
    ctx: &Ctx,
    segs: &[Segment],
    i: usize,
    ordinal: usize,
    warnings: &mut Vec<String>,
) -> Result<(Line, usize), Reject> {
    let mut l = Line::default();
    let Some(lin) = segs.get(i) else {
        return Ok((l, i + 1));
    };
    l.position = lin.position;
    l.line_id = lin
        .opt(1)
        .map_or_else(|| ordinal.to_string(), str::to_string);
    l.action = code(lin, 2, 1, 3, "action code")?.to_string();
    add_item_id(&mut l.ids, lin.comp(3, 1), lin.comp(3, 2));
    let mut j = i + 1;
    let mut in_tax = false;
    while let Some(seg) = segs.get(j) {
        if ends_line(&seg.tag) {
            break;
        }
        match seg.tag.as_str() {
            "PIA" => {
                for n in 2..=6 {
                    add_item_id(&mut l.ids, seg.comp(n, 1), seg.comp(n, 2));
                }
            }
            "IMD" => {
                for k in [4, 5] {
                    if let Some(t) = seg.copt(3, k) {
                        l.texts.push(t.to_string());
                    }
                }
            }
            "QTY" => {
                let q = code(seg, 1, 1, 3, "quantity type code qualifier")?;
                if let Some(v) = num(seg, 1, 2, "quantity")? {
                    l.quantities
                        .push((q.to_string(), v, seg.copt(1, 3).map(str::to_string)));
                }
            }
            "PRI" => {
                let q = code(seg, 1, 1, 3, "price code qualifier")?;
                if let Some(v) = num(seg, 1, 2, "price amount")? {
                    l.prices.push((q.to_string(), v));
                }
            }
            "MOA" => {
                let q = code(seg, 1, 1, 3, "monetary amount type code qualifier")?;
                if USED_MOA.contains(&q) {
                    if let Some(v) = num(seg, 1, 2, "monetary amount")? {
                        if in_tax && q == "124" {
                            l.tax = Some(l.tax.unwrap_or_default() + v);
                        } else {
                            l.amounts.push((q.to_string(), v));
                        }
                    }
                }
            }
            "RFF" => l
                .refs
                .push((seg.comp(1, 1).to_string(), seg.comp(1, 2).to_string())),
            "DTM" => note_date(ctx, seg, &mut l.dates, warnings),
            "ALC" => {
                let (c, next) = read_alc(segs, j)?;
                l.charges.extend(c);
                j = next.max(j + 1);
                continue;
            }
            _ => {}
        }
        in_tax = seg.tag == "TAX" || (in_tax && seg.tag == "MOA");
        j += 1;
    }
    Ok((l, j))
}

/// Reads the ALC group at `segs[i]`: `None` when ALC01 is neither `A`
/// (allowance) nor `C` (charge). Returns the index after the group.
pub fn read_alc(segs: &[Segment], i: usize) -> Result<(Option<Charge>, usize), Reject> {
    let Some(alc) = segs.get(i) else {
        return Ok((None, i + 1));
    };
    let kind = match alc.el(1) {
        "A" => Some("allowance"),
        "C" => Some("charge"),
        _ => None,
    };
    let mut c = Charge {
        kind: kind.unwrap_or_default().into(),
        code: alc
            .copt(5, 1)
            .or(alc.copt(2, 2))
            .or(alc.copt(2, 1))
            .map(str::to_string),
        description: alc.copt(5, 4).or(alc.copt(2, 4)).map(str::to_string),
        ..Charge::default()
    };
    let mut j = i + 1;
    let mut in_tax = false;
    while let Some(seg) = segs.get(j) {
        match seg.tag.as_str() {
            "MOA" if !in_tax => {
                if matches!(seg.el(1), "8" | "23" | "204" | "131" | "25") && c.amount.is_none() {
                    c.amount =
                        num(seg, 1, 2, "allowance or charge amount")?.map(|a| money_str(a.abs()));
                }
            }
            "PCD" => {
                if c.percent.is_none() {
                    c.percent = num(seg, 1, 2, "percentage")?.map(qty_str);
                }
            }
            "MOA" | "QTY" | "RTE" | "TAX" | "ALI" | "DTM" => {}
            _ => break,
        }
        in_tax = seg.tag == "TAX" || (in_tax && seg.tag == "MOA");
        j += 1;
    }
    Ok((kind.map(|_| c), j))
}
