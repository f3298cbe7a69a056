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
