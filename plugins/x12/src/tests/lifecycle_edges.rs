//! Edge paths of the lifecycle mappings on documents built at test time
//! from the X12 segment layouts (820 BPR/TRN/ENT/RMR/ADX, 180 BGN/BLI,
//! 857 BHT/HL/IT1/TDS, 940 W05/W01): computed amounts and each refusal
//! with its exact reason.

use super::warehouse::interchange;
use super::*;
use weft_sdk::payment::Payment;

fn first(functional_id: &str, set: &str, body: &str) -> Message {
    let msgs = run(&interchange(functional_id, set, body)).expect("envelope ok");
    msgs.into_iter().next().expect("a message")
}

fn reason(functional_id: &str, set: &str, body: &str) -> String {
    let m = first(functional_id, set, body);
    assert_eq!(m.kind, "x12.rejected", "{set}");
    json(&m)["reason"].as_str().unwrap_or_default().to_string()
}

#[test]
fn pay820_net_is_computed_without_rmr04() {
    // RMR05 100 − RMR06 2 + ADX −5 = 93.
    let body =
        "BPR*C*93*C*ACH*CCD***********20240110~TRN*1*T-1~ENT*1~RMR*IV*INV-1***100*2~ADX*-5*01~";
    let m = first("RA", "820", body);
    let p: Payment = m.payload_json().expect("payment");
    assert_eq!(
        (
            p.amount.as_str(),
            p.payment_id.as_str(),
            p.correlation_id.as_str(),
            p.paid_at.as_str()
        ),
        ("93.00", "T-1:INV-1", "x12:invoice:INV-1", "2024-01-10")
    );
    assert_eq!(p.source["adjustments"][0]["amount"], "-5.00");
    assert_eq!(p.source["remittance_unapplied"], "0.00");
}

#[test]
fn pay820_without_lines_is_one_payment_dated_by_the_group() {
    let m = first("RA", "820", "BPR*C*50.5*C*CHK~TRN*1*T-2~");
    let p: Payment = m.payload_json().expect("payment");
    assert_eq!(
        (
            p.amount.as_str(),
            p.payment_id.as_str(),
            p.correlation_id.as_str(),
            p.paid_at.as_str(),
            p.method.as_deref()
        ),
        (
            "50.50",
            "T-2",
            "x12:payment:T-2",
            "2024-01-05",
            Some("check")
        )
    );
    // A credit memo line (net not above zero) pays nothing.
    let m = first(
        "RA",
        "820",
        "BPR*C*50.5*C*CHK~TRN*1*T-2~ENT*1~RMR*CM*CM-1**-10~",
    );
    let p: Payment = m.payload_json().expect("payment");
    assert_eq!(p.amount, "50.50");
    assert_eq!(p.source["remittance_adjustments"][0]["amount"], "-10.00");
}

#[test]
fn pay820_refusals_name_the_element() {
    assert_eq!(
        reason("RA", "820", "BPR*C*10*D*CHK~TRN*1*T~"),
        "segment 4 (BPR): BPR03 `D` (debit) is no money received; only credits (`C`) are payments"
    );
    assert_eq!(
        reason("RA", "820", "BPR*C*10*C*CHK~"),
        "transaction set 820 0001: mandatory segment TRN (reassociation trace number) is missing"
    );
    assert_eq!(
        reason("RA", "820", "BPR*C*10*C*CHK************2024011~TRN*1*T~"),
        "segment 4 (BPR): BPR16 (date) `2024011` is not a valid date"
    );
    assert_eq!(
        reason("RA", "820", "BPR*C*10*C*CHK~TRN*1*T~ENT*1~RMR*IV*I-1**1O~"),
        "segment 7 (RMR): RMR04 (monetary amount (net paid)) `1O` is not a number"
    );
    assert_eq!(
        reason("RA", "820", "BPR*C*10*C*CHK~TRN*1*T~ENT*1~ADX*X*01~"),
        "segment 7 (ADX): ADX01 (adjustment amount) `X` is not a number"
    );
    assert_eq!(
        reason("RA", "820", "BPR*C*0*C*CHK~TRN*1*T~"),
        "segment 4 (BPR): BPR02 `0` is no money received and no RMR pays anything"
    );
}

#[test]
fn ret180_refusals() {
    assert_eq!(
        reason("AN", "180", "BGN*00*RMA-1*20240105~BLI*IN*X-1*2*EA~"),
        "transaction set 180 0001: mandatory segment PRF (purchase order reference: the return names no order) is missing"
    );
    assert_eq!(
        reason(
            "AN",
            "180",
            "BGN*00*RMA-1*20240105~PRF*PO-1~BLI*IN*X-1*0*EA~"
        ),
        "segment 6 (BLI): BLI03 `0` is not a quantity above zero"
    );
    assert_eq!(
        reason("AN", "180", "BGN*00*RMA-1*20240105~PRF*PO-1~"),
        "transaction set 180 0001: mandatory segment BLI (baseline item data: the authorisation has no lines) is missing"
    );
    let m = first(
        "AN",
        "180",
        "BGN*00*RMA-1*20240105~PRF*PO-1~BLI*IN*X-1*2*EA~",
    );
    assert_eq!(
        (m.kind.as_str(), m.correlation_id.as_str()),
        ("return.authorized", "x12:PO-1")
    );
}

#[test]
fn sbn857_refusals_and_a_purchase_order() {
    assert_eq!(
        reason(
            "BS",
            "857",
            "BHT*0001*00*N-1*20240105~HL*1**S~HL*2*1*O~HL*3*2*I~IT1*1*4*EA*2.5~"
        ),
        "transaction set 857 0001: mandatory segment TDS (total monetary value summary) is missing"
    );
    let body = "BHT*0001*00*N-1*20240105~HL*1**S~HL*2*1*O~PRF*PO-9~TDS*1000~HL*3*2*I~IT1*1*4*EA*2.5**UP*012345678905~";
    let msgs = run(&interchange("BS", "857", body)).expect("maps");
    let got: Vec<_> = msgs
        .iter()
        .map(|m| (m.kind.as_str(), m.correlation_id.as_str()))
        .collect();
    assert_eq!(
        got[..2],
        [
            ("shipment.dispatched", "x12:PO-9"),
            ("invoice.posted", "x12:PO-9")
        ]
    );
    let s: weft_sdk::shipment::Shipment = msgs[0].payload_json().expect("shipment");
    assert_eq!(s.packages[0].items[0].order_id.as_deref(), Some("PO-9"));
    let inv: weft_sdk::invoice::Invoice = msgs[1].payload_json().expect("invoice");
    assert_eq!(
        (inv.totals.total.as_deref(), inv.totals.subtotal.as_deref()),
        (Some("10.00"), Some("10.00"))
    );
}

#[test]
fn wh940_refusals() {
    assert_eq!(
        reason("OW", "940", "W05*N*D-1*PO-1~N1*WH*MAIN~"),
        "transaction set 940 0001: mandatory segment W01 (line item detail (warehouse): the order has no lines) is missing"
    );
    assert_eq!(
        reason("OW", "940", "W05*N*D-1*PO-1~LX*1~W01*TEN*CA~"),
        "segment 6 (W01): W0101 (quantity ordered) `TEN` is not a number"
    );
}
