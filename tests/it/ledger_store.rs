//! The store on its own: one batch in, the derived order out; a batch
//! applied twice is applied once.

use weft_host::ledger::{facts, store::Store};

use super::ledger_support::TestPostgres;

fn order(i: usize, channel: &str) -> weft_host::Message {
    let doc = serde_json::json!({
        "schema": "weft.order/1", "order_id": format!("{i}"), "channel": channel,
        "correlation_id": format!("{channel}:{i}"), "ordered_at": "2026-11-30T10:00:00Z",
        "currency": "EUR", "totals": {"total": "12.50"},
        "lines": [{"line_id": "1", "sku": "A", "quantity": "2", "unit_price": "6.25"}],
    });
    weft_host::Message {
        id: format!("{channel}-{i}"),
        correlation_id: format!("{channel}:{i}"),
        kind: "order.created".into(),
        content_type: "application/json".into(),
        payload: doc.to_string().into_bytes(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_becomes_orders_and_applying_it_again_changes_nothing() {
    let Some(pg) = TestPostgres::start() else {
        return;
    };
    let db = pg.database("store1").await;
    let mut store = Store::connect(&db, Default::default()).await.unwrap();
    let events: Vec<_> = (0..64)
        .map(|i| facts::from_message(&order(i, "crash"), 1_000 + i as i64).unwrap())
        .collect();
    let a = store.apply(&events, "s").await.unwrap();
    assert_eq!((a.new, a.known, a.orders), (64, 0, 64));
    let before = store.dump(&[]).await.unwrap();
    let b = store.apply(&events, "s").await.unwrap();
    assert_eq!((b.new, b.known, b.orders), (0, 64, 0));
    assert_eq!(store.dump(&[]).await.unwrap(), before);
    let snap = store.snapshot().await.unwrap();
    assert_eq!(snap.orders.len(), 64);
    assert_eq!(snap.orders[0].fill.units_original.to_string(), "2");
    // The database's sums equal the in-memory report over the same events.
    let memory = weft_host::ledger::snapshot(&events, &Default::default());
    let period = weft_host::ledger::report::Period::default();
    assert_eq!(
        store.channel_report(period).await.unwrap(),
        weft_host::ledger::report::channels(&memory.orders, period)
    );
}

/// An as-of answer folds again only the orders late events touched; at
/// every cut point of a shuffled day (with duplicates re-sent later) it
/// equals the full recompute from the events seen by then: orders,
/// orphans, conflicts and the channel report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_of_restates_only_what_late_events_touched_and_equals_a_full_recompute() {
    use weft_host::ledger::{exceptions, query, report};
    let Some(pg) = TestPostgres::start() else {
        return;
    };
    let mut day: Vec<facts::Event> = super::ledger_support::day_messages()
        .iter()
        .filter_map(|m| facts::from_message(m, 0))
        .collect();
    day.extend(late_names());
    const BASE: i64 = 1_800_000_000_000;
    for seed in 1..=3u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut order = day.clone();
        rng.shuffle(&mut order);
        for _ in 0..4 {
            order.push(day[rng.usize(0..day.len())].clone());
        }
        let db = pg.database(&format!("asof{seed}")).await;
        let mut store = Store::connect(&db, Default::default()).await.unwrap();
        let mut i = 0;
        while i < order.len() {
            let n = rng.usize(1..=3).min(order.len() - i);
            let batch: Vec<facts::Event> = order[i..i + n]
                .iter()
                .cloned()
                .map(|mut e| {
                    e.seen_at = BASE + i as i64 * 1000;
                    e
                })
                .collect();
            store.apply(&batch, "s").await.unwrap();
            i += n;
        }
        let mut restated_somewhere = 0;
        for k in -1..=order.len() as i64 {
            let t = BASE + k * 1000 + 500;
            let full = weft_host::ledger::snapshot(
                &store.events(Some(t)).await.unwrap(),
                &Default::default(),
            );
            let fast = query::snapshot_at(&store, Some(t)).await.unwrap();
            let views = |s: &weft_host::ledger::Snapshot| -> Vec<serde_json::Value> {
                s.orders
                    .iter()
                    .map(|o| {
                        let mut o = o.clone();
                        o.lines.clear();
                        serde_json::to_value(o).unwrap()
                    })
                    .collect()
            };
            let (f, w) = (views(&fast), views(&full));
            if let Some((a, b)) = f.iter().zip(&w).find(|(a, b)| a != b) {
                panic!("seed {seed}, cut {k}: restated {a}\nrecomputed {b}");
            }
            assert_eq!(f.len(), w.len(), "seed {seed}, cut {k}: orders");
            let ids = |s: &weft_host::ledger::Snapshot| -> Vec<String> {
                s.orphans.iter().map(|e| e.event_id.clone()).collect()
            };
            assert_eq!(ids(&fast), ids(&full), "seed {seed}, cut {k}: orphans");
            assert_eq!(
                fast.conflicts, full.conflicts,
                "seed {seed}, cut {k}: conflicts"
            );
            let period = report::Period::default();
            assert_eq!(
                query::report_rows(&store, period, Some(t)).await.unwrap(),
                report::channels(&full.orders, period),
                "seed {seed}, cut {k}: report"
            );
            // The exception list reads only the orders that may have an
            // open exception: the same list, due now or far ahead.
            let open = query::open_snapshot_at(&store, Some(t)).await.unwrap();
            let sla = weft_host::config::ledger::SlaConfig::default();
            for at in [t, facts::parse_time("2100-01-01").unwrap()] {
                assert_eq!(
                    exceptions::open(&open, &sla, at),
                    exceptions::open(&full, &sla, at),
                    "seed {seed}, cut {k}: exceptions"
                );
            }
            let r = store.restate(t).await.unwrap();
            let now = store.snapshot().await.unwrap().orders.len();
            if !r.keys.is_empty() && r.keys.len() < now {
                restated_somewhere += 1;
            }
        }
        // The EDI exchanges: order 2's 855 acknowledged, order 3's not (and
        // only that keeps order 3 in the exception list's prefilter).
        let now = store.snapshot().await.unwrap();
        let edi = |key: &str| -> Vec<String> {
            let o = now.orders.iter().find(|o| o.order_key == key).unwrap();
            o.edi
                .iter()
                .map(|x| format!("{} {}", x.key, x.status))
                .collect()
        };
        assert_eq!(edi("syn:2"), ["x12:SYN:3002 accepted"]);
        assert_eq!(edi("syn:3"), ["x12:SYN:3003 pending"]);
        let later = facts::parse_time("2100-01-01").unwrap();
        let open = query::open_snapshot_at(&store, None).await.unwrap();
        let missing: Vec<_> = exceptions::open(&open, &Default::default(), later)
            .into_iter()
            .filter(|e| e.kind == "edi_ack_missing")
            .map(|e| e.order)
            .collect();
        assert_eq!(missing, [Some("syn:3".to_string())]);
        // Periods: the database sums whole days from ledger_report_days and
        // reads orders only on the days a period cuts; both must add up to
        // the in-memory report, now and as of a past time.
        let mut placed: Vec<i64> = now.orders.iter().filter_map(|o| o.ordered_at).collect();
        placed.sort_unstable();
        assert!(placed.len() > 4, "the day has orders with placement times");
        const DAY: i64 = 86_400_000;
        let (first, last, mid) = (
            placed[0],
            placed[placed.len() - 1],
            placed[placed.len() / 2],
        );
        let midnight = mid - mid.rem_euclid(DAY);
        let cut = BASE + (order.len() as i64 / 2) * 1000 + 500;
        let then = weft_host::ledger::snapshot(
            &store.events(Some(cut)).await.unwrap(),
            &Default::default(),
        );
        for (from, to) in [
            (Some(mid), None),
            (None, Some(mid)),
            (Some(midnight), Some(midnight + DAY)),
            (Some(midnight - 30 * DAY), Some(midnight + 30 * DAY)),
            (Some(placed[1]), Some(placed[placed.len() - 2] + 1)),
            (Some(first - 400 * DAY), Some(last + 400 * DAY)),
            (Some(last + 1), None),
        ] {
            let period = report::Period { from, to };
            assert_eq!(
                query::report_rows(&store, period, None).await.unwrap(),
                report::channels(&now.orders, period),
                "seed {seed}, {period:?}: report now"
            );
            assert_eq!(
                query::report_rows(&store, period, Some(cut)).await.unwrap(),
                report::channels(&then.orders, period),
                "seed {seed}, {period:?}: report as of the middle"
            );
        }
        // Not a full recompute in disguise: most cut points restate a part.
        assert!(
            restated_somewhere > order.len() / 2,
            "seed {seed}: only {restated_somewhere} cut points restated a part"
        );
    }
}

/// Events whose membership a later event changes: two orders sharing an
/// alias (a conflict once both are seen) with a shipment naming it, and an
/// ERP number a delivery record introduces that an invoice and a payment
/// from the ERP refer to.
fn late_names() -> Vec<facts::Event> {
    let ev = |id: &str, kind: &str, doc: serde_json::Value| {
        let m = weft_host::Message {
            id: id.into(),
            correlation_id: doc["correlation_id"].as_str().unwrap_or("").into(),
            kind: kind.into(),
            content_type: "application/json".into(),
            payload: doc.to_string().into_bytes(),
            ..Default::default()
        };
        facts::from_message(&m, 0).expect(id)
    };
    let order = |n: u32| {
        ev(
            &format!("syn-order-{n}"),
            "order.created",
            serde_json::json!({
                "schema": "weft.order/1", "order_id": "A1", "channel": "syn", "purpose": "original",
                "correlation_id": format!("syn:{n}"), "ordered_at": format!("2026-11-0{n}T10:00:00Z"),
                "currency": "EUR", "totals": {"total": "10.00"},
                "lines": [{"line_id": "1", "sku": "S", "quantity": "1", "unit_price": "10.00"}],
            }),
        )
    };
    let mut delivery = order(1);
    delivery.event_id = "delivery:erp:syn-order-1".into();
    delivery.doc = facts::Doc::Delivery;
    delivery.kind = "order.created".into();
    delivery.channel = "erp".into();
    delivery.aliases = vec!["SO-77".into()];
    delivery.refs.clear();
    delivery.lines.clear();
    delivery.amount = None;
    delivery.status = Some("201".into());
    // Order 3 is complete (acknowledged, shipped, invoiced) but for the
    // 855 sent to the partner: open only while that is unacknowledged, so
    // the exception list's prefilter must still read it. Order 2's 855 is
    // acknowledged by a 997 that may arrive before its delivery record.
    let sent = |n: u32, key: &str| {
        let mut d = order(n);
        d.event_id = format!("delivery:partner:855-{n}");
        d.doc = facts::Doc::Delivery;
        d.kind = "file".into();
        d.channel = "partner".into();
        d.refs.clear();
        d.aliases.clear();
        d.lines.clear();
        d.amount = None;
        d.status = Some("written".into());
        d.at = facts::parse_time(&format!("2026-11-0{n}T12:00:00Z"));
        d.extra.insert("sink".into(), "partner".into());
        d.extra.insert("ack_key".into(), key.into());
        d.extra.insert("ack_doc".into(), "X12 855".into());
        d
    };
    let complete = [
        ev(
            "syn-ack-3",
            "order.acknowledged",
            serde_json::json!({"schema": "weft.order_ack/1", "order_id": "A3", "channel": "syn",
                "correlation_id": "syn:3", "acknowledged_at": "2026-11-03T11:00:00Z"}),
        ),
        ev(
            "syn-ship-3",
            "shipment.dispatched",
            serde_json::json!({"schema": "weft.shipment/1", "shipment_id": "SH3", "channel": "syn",
                "correlation_id": "syn:3", "shipped_at": "2026-11-03T12:00:00Z",
                "packages": [{"items": [{"sku": "S", "quantity": "1"}]}]}),
        ),
        ev(
            "syn-invoice-3",
            "invoice.posted",
            serde_json::json!({"schema": "weft.invoice/1", "invoice_id": "INV3", "channel": "syn",
                "correlation_id": "syn:3", "invoice_date": "2026-11-03T13:00:00Z", "currency": "EUR",
                "totals": {"total": "10.00"},
                "lines": [{"line_id": "1", "sku": "S", "quantity": "1", "unit_price": "10.00"}]}),
        ),
        sent(3, "x12:SYN:3003"),
        sent(2, "x12:SYN:3002"),
        ev(
            "syn-997",
            "edi_ack.received",
            serde_json::json!({"schema": "weft.edi_ack/1", "ack_id": "SYN:9:1:1", "channel": "x12:SYN",
                "correlation_id": "x12:SYN:SYN:9:1:1", "standard": "x12", "ack_type": "997",
                "acknowledged_at": "2026-11-02T13:00:00Z", "sender": "SYN",
                "groups": [{"functional_id": "PR", "control": "3002", "key": "x12:SYN:3002",
                            "status": "accepted", "sets": []}]}),
        ),
    ];
    let mut out = vec![
        order(1),
        order(2),
        ev(
            "syn-ship",
            "shipment.dispatched",
            serde_json::json!({
                "schema": "weft.shipment/1", "shipment_id": "SH1", "channel": "syn", "order_refs": ["A1"],
                "shipped_at": "2026-11-03T10:00:00Z",
                "packages": [{"items": [{"sku": "S", "quantity": "1"}]}],
            }),
        ),
        delivery,
        ev(
            "erp-invoice",
            "invoice.issued",
            serde_json::json!({
                "schema": "weft.invoice/1", "invoice_id": "INV1", "channel": "erp", "order_refs": ["SO-77"],
                "invoice_date": "2026-11-04T10:00:00Z", "currency": "EUR", "totals": {"total": "10.00"},
            }),
        ),
        ev(
            "erp-payment",
            "payment.received",
            serde_json::json!({
                "schema": "weft.payment/1", "payment_id": "PAY1", "channel": "erp", "order_id": "SO-77",
                "paid_at": "2026-11-05T10:00:00Z", "currency": "EUR", "amount": "10.00",
            }),
        ),
        order(3),
    ];
    out.extend(complete);
    out
}
