//! Orders v0: an order with its items (and address) in one document, and
//! the v0 responses sent alone.

use serde_json::{json, Value};

use super::*;

/// `{"order": …, "items": …}` of two documents.
fn combined(order: Value, items: Value) -> Value {
    json!({"order": order, "items": items})
}

#[test]
fn sandbox_order_with_its_items() {
    let v0_items_sandbox = sample!(V0_ITEMS_SANDBOX);
    let v0_orders_sandbox = sample!(V0_ORDERS_SANDBOX);
    let order = doc(v0_orders_sandbox)["payload"]["Orders"][0].clone();
    let out = run_value(&combined(order, doc(v0_items_sandbox)));
    assert_eq!(out.len(), 1);
    let (m, o) = &out[0];
    assert_eq!(m.id, "amazon:902-1845936-5435065:order.created");
    assert_eq!(
        (m.kind.as_str(), o.purpose.as_str()),
        ("order.created", "original")
    );
    assert_eq!(o.order_id, "902-1845936-5435065");
    assert_eq!(o.status.as_deref(), Some("Unshipped"));
    // The sandbox's 1970 dates are valid RFC 3339 and kept as given.
    assert_eq!(o.ordered_at.as_deref(), Some("1970-01-19T03:58:30Z"));
    assert_eq!(o.updated_at.as_deref(), Some("1970-01-19T03:58:32Z"));
    assert_eq!(o.currency.as_deref(), Some("USD"));
    assert_eq!((o.customer.as_ref(), o.ship_to.as_ref()), (None, None));
    let l = &o.lines[0];
    assert_eq!(
        (l.line_id.as_str(), l.sku.as_deref()),
        ("05015851154158", Some("NABetaASINB00551Q3CS"))
    );
    assert_eq!(l.description.as_deref(), Some("B00551Q3CS [Card Book]"));
    assert_eq!(
        (
            l.quantity.as_str(),
            l.unit_price.as_deref(),
            l.discount.as_deref()
        ),
        ("1", Some("10.00"), Some("0.00"))
    );
    assert_eq!(
        (l.tax.as_deref(), l.total.as_deref()),
        (Some("1.01"), Some("10.00"))
    );
    assert_eq!(
        totals(o),
        [
            Some("10.00"),
            Some("0.00"),
            None,
            Some("1.01"),
            Some("11.01")
        ]
    );
    assert_eq!(violations(o), Vec::<String>::new());
    // String and JSON booleans both read; the buyer's cancel request ("true" as a string) reported.
    assert_eq!(
        (&o.source["is_business_order"], &o.source["is_iba"]),
        (&json!(false), &json!(false))
    );
    assert_eq!(
        o.source["buyer_cancel_requests"],
        json!([{"line_id": "05015851154158", "reason": "Found cheaper somewhere else."}])
    );
    assert_eq!(o.source["asins"], json!({"05015851154158": "B00551Q3CS"}));
    assert_eq!(o.source["sales_channel"], "Amazon.com");
}

#[test]
fn jpy_items_with_a_gbp_gift_wrap_keep_each_currency() {
    let v0_items = sample!(V0_ITEMS);
    let mut items = doc(v0_items);
    items["payload"]
        .as_object_mut()
        .unwrap()
        .remove("NextToken");
    let order = json!({"AmazonOrderId": "903-1671087-0812628", "OrderStatus": "Unshipped"});
    let (m, o) = &run_value(&combined(order, items))[0];
    assert_eq!(m.id, "amazon:903-1671087-0812628:order.created");
    assert_eq!(o.currency.as_deref(), Some("JPY"));
    assert_eq!(o.ordered_at, None);
    let lines: Vec<_> = o
        .lines
        .iter()
        .map(|l| {
            (
                l.line_id.as_str(),
                l.sku.as_deref(),
                l.quantity.as_str(),
                l.unit_price.as_deref(),
                l.total.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                "68828574383266",
                Some("CBA_OTF_1"),
                "1",
                Some("25.99"),
                Some("25.99")
            ),
            // ItemPrice is the line's: 17.95 for 2 is 8.975 each.
            (
                "79039765272157",
                Some("CBA_OTF_5"),
                "2",
                Some("8.975"),
                Some("17.95")
            )
        ]
    );
    assert_eq!(totals(o), [Some("43.94"), None, Some("1.26"), None, None]);
    // COD fee 10.00 − its discount 1.00 + gift wrap 1.99, all JPY; the
    // 41.99 GBP gift wrap is only listed.
    assert_eq!(o.totals.other_charges.as_deref(), Some("10.99"));
    assert_eq!(
        o.source["other_charges"],
        json!([
            {"type": "cod_fee", "amount": "10.00", "currency": "JPY", "line_id": "68828574383266"},
            {"type": "cod_fee_discount", "amount": "1.00", "currency": "JPY", "line_id": "68828574383266"},
            {"type": "gift_wrap", "amount": "41.99", "currency": "GBP", "line_id": "68828574383266"},
            {"type": "gift_wrap", "amount": "1.99", "currency": "JPY", "line_id": "79039765272157"}
        ])
    );
    assert_eq!(
        o.source["buyer_cancel_requests"].as_array().map(Vec::len),
        Some(2)
    );
    // Without OrderTotal the order has no total: validate-order says so.
    assert_eq!(violations(o), ["totals.total is missing"]);

    // The same page with its NextToken: items are missing, refused.
    let order = json!({"AmazonOrderId": "903-1671087-0812628", "OrderStatus": "Unshipped"});
    assert_eq!(
        invalid_value(&combined(order, doc(v0_items))),
        "order 903-1671087-0812628: the getOrderItems response has a NextToken (`2YgYW55IGNhcm5hbCBwbGVhc3VyZS4`): more items pages exist; include every page in `items`"
    );
}

/// One item of the sandbox items `page` re-priced in `currency`, without
/// the page's AmazonOrderId.
fn item_page(page: &str, currency: &str) -> Value {
    let mut items = doc(page);
    items["payload"]
        .as_object_mut()
        .unwrap()
        .remove("AmazonOrderId");
    for field in ["ItemPrice", "ItemTax", "PromotionDiscount"] {
        items["payload"]["OrderItems"][0][field]["CurrencyCode"] = json!(currency);
    }
    items
}

#[test]
fn iba_get_order_header_flags_and_currency() {
    let v0_items_sandbox = sample!(V0_ITEMS_SANDBOX);
    let v0_order_iba = sample!(V0_ORDER_IBA);
    let (m, o) = &run_value(&combined(
        doc(v0_order_iba),
        item_page(v0_items_sandbox, "EUR"),
    ))[0];
    assert_eq!(m.id, "amazon:921-3175655-0452641:order.created");
    assert_eq!(o.status.as_deref(), Some("Shipped"));
    assert_eq!(o.ordered_at.as_deref(), Some("2019-05-07T15:42:57.058Z"));
    assert_eq!(o.updated_at.as_deref(), Some("2019-05-08T21:59:59Z"));
    assert_eq!(o.currency.as_deref(), Some("EUR"));
    assert_eq!(o.totals.total.as_deref(), Some("100.00"));
    assert_eq!(o.source["operation"], "getOrder");
    for (flag, value) in [
        ("is_iba", true),
        ("is_business_order", true),
        ("is_sold_by_ab", true),
        ("is_prime", false),
        ("is_ispu", false),
    ] {
        assert_eq!(o.source[flag], value, "{flag}");
    }
    assert_eq!(
        (&o.source["fulfillment_channel"], &o.source["sales_channel"]),
        (&json!("AFN"), &json!("Amazon.de"))
    );
    // The ship-from address is not the ship-to.
    assert_eq!(o.ship_to, None);
    // A USD item on the EUR order is refused, not summed.
    assert_eq!(
        invalid_value(&combined(doc(v0_order_iba), item_page(v0_items_sandbox, "USD"))),
        "order 921-3175655-0452641: OrderItems[0] (OrderItemId 05015851154158) ItemPrice is in USD but the order is in EUR; amounts in different currencies are not mixed into one order's lines and totals"
    );
}

#[test]
fn get_orders_example_with_address_buyer_and_pending_total() {
    let v0_address = sample!(V0_ADDRESS);
    let v0_orders = sample!(V0_ORDERS);
    let page = json!({"payload": {"AmazonOrderId": "902-3159896-1390916", "OrderItems": [
        {"OrderItemId": "1", "SellerSKU": "SKU-1", "QuantityOrdered": "2", "IsGift": "false"}
    ]}});
    let v = json!({"order": doc(v0_orders), "items": [page], "address": doc(v0_address)});
    let (m, o) = &run_value(&v)[0];
    assert_eq!(m.id, "amazon:902-3159896-1390916:order.created");
    assert_eq!(o.status.as_deref(), Some("Pending"));
    assert_eq!(o.ordered_at.as_deref(), Some("2017-01-20T19:49:35Z"));
    let c = o.customer.as_ref().unwrap();
    assert_eq!(
        (c.name.as_deref(), c.email.as_deref()),
        (Some("John Doe"), Some("user@example.com"))
    );
    assert_eq!(
        o.references.get("po_number").map(String::as_str),
        Some("1234567890123")
    );
    assert_eq!(o.source["buyer_company_legal_name"], "A Company Name");
    assert_eq!(o.source["operation"], "getOrders");
    assert_eq!(o.source["address_operation"], "getOrderAddress");
    // The getOrderAddress address replaces the order's ("1 Cross St.").
    let a = o.ship_to.as_ref().unwrap();
    assert_eq!(a.address_lines, ["1 cross st"]);
    assert_eq!(
        (a.name.as_deref(), a.city.as_deref(), a.region.as_deref()),
        (Some("Michigan address"), Some("Canton"), Some("MI"))
    );
    assert_eq!(
        (a.postal_code.as_deref(), a.country.as_deref()),
        (Some("48817"), Some("US"))
    );
    // A Pending order has no OrderTotal and no prices: none are invented.
    assert_eq!(
        (o.currency.as_ref(), o.lines[0].unit_price.as_ref()),
        (None, None)
    );
    assert_eq!(totals(o), [None; 5]);
    assert_eq!(o.lines[0].quantity, "2");
    // Without the address, the order's own ShippingAddress is used.
    let v = json!({"order": doc(v0_orders), "items": page_for("902-3159896-1390916")});
    assert_eq!(
        run_value(&v)[0].1.ship_to.as_ref().unwrap().address_lines,
        ["1 Cross St."]
    );
}

fn page_for(id: &str) -> Value {
    json!({"payload": {"AmazonOrderId": id, "OrderItems": [{"OrderItemId": "1", "QuantityOrdered": 1}]}})
}

#[test]
fn v0_responses_alone_or_mismatched_are_refused() {
    let v0_address = sample!(V0_ADDRESS);
    let v0_items = sample!(V0_ITEMS);
    let v0_items_sandbox = sample!(V0_ITEMS_SANDBOX);
    let v0_order_iba = sample!(V0_ORDER_IBA);
    let v0_orders = sample!(V0_ORDERS);
    let v0_orders_sandbox = sample!(V0_ORDERS_SANDBOX);
    const HOW: &str = "send {\"order\": <getOrder or getOrders response>, \"items\": <getOrderItems response, or an array of them>}";
    assert_eq!(
        invalid(v0_address.as_bytes()),
        "an Orders v0 getOrderAddress response for order 902-3159896-1390916 is not an order; send it as `address` next to `order` and `items`"
    );
    assert_eq!(
        invalid(v0_items_sandbox.as_bytes()),
        format!("an Orders v0 getOrderItems response for order 902-1845936-5435065 is not an order on its own (it has no order header: dates, status, totals); {HOW}")
    );
    assert!(invalid(v0_items.as_bytes()).starts_with("an Orders v0 getOrderItems response for order 903-1671087-0812628 is not an order on its own"));
    assert_eq!(
        invalid(v0_order_iba.as_bytes()),
        format!("an Orders v0 getOrder response for order 921-3175655-0452641 carries no order items, and a canonical order needs its lines; {HOW}")
    );
    assert!(invalid(v0_orders.as_bytes()).starts_with(
        "an Orders v0 getOrders response (orders 902-3159896-1390916) carries no order items"
    ));
    assert!(invalid(v0_orders_sandbox.as_bytes())
        .starts_with("an Orders v0 getOrders response (orders 902-1845936-5435065, 902-8745147-1934268) carries no order items"));
    // Both sandbox orders, items for one of them.
    assert_eq!(
        invalid_value(&combined(doc(v0_orders_sandbox), doc(v0_items_sandbox))),
        "order 902-8745147-1934268 has no getOrderItems response in `items`"
    );
    // Items of another order.
    assert_eq!(
        invalid_value(&combined(doc(v0_order_iba), doc(v0_items_sandbox))),
        "items[0] are for order 902-1845936-5435065, which is not in `order` (921-3175655-0452641)"
    );
    let v = json!({"order": doc(v0_order_iba), "items": item_page(v0_items_sandbox, "EUR"), "address": doc(v0_address)});
    assert_eq!(
        invalid_value(&v),
        "`address` is for order 902-3159896-1390916, which is not in `order`"
    );
    assert_eq!(
        invalid_value(&json!({"order": doc(v0_orders), "address": doc(v0_address)})),
        format!("`order` given without `items`: {HOW}")
    );
    let mut items = doc(v0_items_sandbox);
    items["payload"]["OrderItems"][0]["ItemPrice"]["Amount"] = json!("10,00");
    let order = doc(v0_orders_sandbox)["payload"]["Orders"][0].clone();
    assert_eq!(
        invalid_value(&combined(order, items)),
        "order 902-1845936-5435065: OrderItems[0] (OrderItemId 05015851154158) ItemPrice amount `10,00` is not a decimal"
    );
}

#[test]
fn gift_wrap_and_cod_fee_count_in_other_charges_and_their_tax_in_tax() {
    let v0_items_sandbox = sample!(V0_ITEMS_SANDBOX);
    let v0_orders_sandbox = sample!(V0_ORDERS_SANDBOX);
    let mut order = doc(v0_orders_sandbox)["payload"]["Orders"][0].clone();
    let mut items = doc(v0_items_sandbox);
    let item = &mut items["payload"]["OrderItems"][0];
    item["BuyerInfo"] = json!({
        "GiftWrapPrice": {"CurrencyCode": "USD", "Amount": "2.00"},
        "GiftWrapTax": {"CurrencyCode": "USD", "Amount": "0.20"}
    });
    item["CODFee"] = json!({"CurrencyCode": "USD", "Amount": "1.50"});
    item["CODFeeDiscount"] = json!({"CurrencyCode": "USD", "Amount": "0.50"});
    item["PromotionDiscountTax"] = json!({"CurrencyCode": "USD", "Amount": "0.00"});
    // 10.00 + (1.50 − 0.50 + 2.00) + (1.01 + 0.20)
    order["OrderTotal"]["Amount"] = json!("14.21");
    let (_, o) = &run_value(&combined(order, items))[0];
    assert_eq!(o.totals.other_charges.as_deref(), Some("3.00"));
    assert_eq!(
        totals(o),
        [
            Some("10.00"),
            Some("0.00"),
            None,
            Some("1.21"),
            Some("14.21")
        ]
    );
    // The line's own tax stays the item's.
    assert_eq!(o.lines[0].tax.as_deref(), Some("1.01"));
    assert_eq!(
        o.source["other_charges"]
            .as_array()
            .map(|a| a.iter().map(|c| c["type"].clone()).collect::<Vec<_>>()),
        Some(vec![
            json!("cod_fee"),
            json!("cod_fee_discount"),
            json!("promotion_discount_tax"),
            json!("gift_wrap"),
            json!("gift_wrap_tax")
        ])
    );
    assert_eq!(violations(o), Vec::<String>::new());
}
