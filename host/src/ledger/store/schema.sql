-- The ledger's tables (docs/ledger.md describes each column).
-- Stored facts: ledger_events, ledger_refs, ledger_aliases.
-- Derived (a pure function of the events, rewritten as events arrive):
-- ledger_event_orders, ledger_orders, ledger_order_lines; views
-- ledger_orphans and ledger_conflicts.

CREATE TABLE IF NOT EXISTS ledger_events (
    event_id       text PRIMARY KEY,
    doc            text NOT NULL,
    kind           text NOT NULL,
    doc_id         text NOT NULL,
    channel        text NOT NULL,
    correlation_id text NOT NULL,
    business_at    timestamptz,
    seen_at        timestamptz NOT NULL,
    stream         text NOT NULL,
    facts          jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_events_correlation ON ledger_events (correlation_id);
CREATE INDEX IF NOT EXISTS ledger_events_seen ON ledger_events (seen_at);

CREATE TABLE IF NOT EXISTS ledger_refs (
    ref      text NOT NULL,
    scope    text NOT NULL,
    event_id text NOT NULL,
    PRIMARY KEY (ref, scope, event_id)
);

CREATE TABLE IF NOT EXISTS ledger_aliases (
    alias     text NOT NULL,
    scope     text NOT NULL,
    order_key text NOT NULL,
    event_id  text NOT NULL,
    PRIMARY KEY (alias, scope, order_key, event_id)
);
CREATE INDEX IF NOT EXISTS ledger_aliases_order ON ledger_aliases (order_key);
-- The names events seen after an as-of time introduced.
CREATE INDEX IF NOT EXISTS ledger_aliases_event ON ledger_aliases (event_id);

CREATE TABLE IF NOT EXISTS ledger_event_orders (
    order_key  text NOT NULL,
    event_id   text NOT NULL,
    is_primary boolean NOT NULL,
    lines      integer[] NOT NULL,
    PRIMARY KEY (order_key, event_id)
);
CREATE INDEX IF NOT EXISTS ledger_event_orders_event ON ledger_event_orders (event_id);
-- The event's seen time beside its share (null in rows from before the
-- column): an as-of restatement skips the events seen later unread.
ALTER TABLE ledger_event_orders ADD COLUMN IF NOT EXISTS seen_at timestamptz;

CREATE TABLE IF NOT EXISTS ledger_orders (
    order_key         text PRIMARY KEY,
    channel           text NOT NULL,
    partner           text,
    currency          text,
    order_id          text NOT NULL,
    order_number      text,
    po_number         text,
    status            text NOT NULL,
    placeholder       boolean NOT NULL,
    ordered_at        timestamptz,
    requested_ship_at timestamptz,
    cancelled_at      timestamptz,
    acknowledged_at   timestamptz,
    first_shipped_at  timestamptz,
    delivered_at      timestamptz,
    billed_at         timestamptz,
    paid_at           timestamptz,
    booked_at         timestamptz,
    erp_ref           text,
    original_total    numeric,
    revised_total     numeric,
    shipped_units     numeric NOT NULL,
    shipped_value     numeric NOT NULL,
    billed_value      numeric NOT NULL,
    paid_value        numeric NOT NULL,
    returned_value    numeric NOT NULL,
    credited_value    numeric NOT NULL,
    open_issues       integer NOT NULL,
    events            integer NOT NULL,
    view              jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_orders_channel ON ledger_orders (channel, ordered_at);
-- The view is stored out of line (TOAST), so the report's scans over the
-- typed columns read narrow rows.
ALTER TABLE ledger_orders SET (toast_tuple_target = 128);
-- Every applied batch rewrites its orders' rows: vacuum the dead ones
-- early (2 % of the table rather than the default 20 %), so the report's
-- scans stay narrow under steady traffic.
ALTER TABLE ledger_orders SET (autovacuum_vacuum_scale_factor = 0.02,
                               autovacuum_analyze_scale_factor = 0.02);
-- The report reads these typed columns, not the view (fill numerators and
-- denominators against the original and the revised order).
ALTER TABLE ledger_orders
    ADD COLUMN IF NOT EXISTS seen_at timestamptz,
    ADD COLUMN IF NOT EXISTS units_original numeric,
    ADD COLUMN IF NOT EXISTS units_filled_original numeric,
    ADD COLUMN IF NOT EXISTS lines_original integer,
    ADD COLUMN IF NOT EXISTS lines_filled_original integer,
    ADD COLUMN IF NOT EXISTS units_revised numeric,
    ADD COLUMN IF NOT EXISTS units_filled_revised numeric,
    ADD COLUMN IF NOT EXISTS lines_revised integer,
    ADD COLUMN IF NOT EXISTS lines_filled_revised integer;

-- What the report sums, precomputed when an order is written (the same
-- formulas as report::durations and report::on_time): placement time (ms),
-- durations in whole seconds, on time (null when not eligible). A database
-- from before these columns gets them filled from the timestamps.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema()
                   AND table_name = 'ledger_orders' AND column_name = 'placed_ms') THEN
    ALTER TABLE ledger_orders
      ADD COLUMN placed_ms bigint,
      ADD COLUMN ack_s bigint,
      ADD COLUMN ship_s bigint,
      ADD COLUMN bill_s bigint,
      ADD COLUMN seen_s bigint,
      ADD COLUMN book_s bigint,
      ADD COLUMN on_time boolean;
    UPDATE ledger_orders SET
      placed_ms = (extract(epoch FROM ordered_at) * 1000)::bigint,
      ack_s = ((extract(epoch FROM acknowledged_at) * 1000)::bigint - (extract(epoch FROM ordered_at) * 1000)::bigint) / 1000,
      ship_s = ((extract(epoch FROM first_shipped_at) * 1000)::bigint - (extract(epoch FROM ordered_at) * 1000)::bigint) / 1000,
      bill_s = ((extract(epoch FROM billed_at) * 1000)::bigint - (extract(epoch FROM ordered_at) * 1000)::bigint) / 1000,
      seen_s = ((extract(epoch FROM seen_at) * 1000)::bigint - (extract(epoch FROM ordered_at) * 1000)::bigint) / 1000,
      book_s = ((extract(epoch FROM booked_at) * 1000)::bigint - (extract(epoch FROM seen_at) * 1000)::bigint) / 1000,
      on_time = CASE WHEN requested_ship_at IS NOT NULL AND first_shipped_at IS NOT NULL THEN
        (extract(epoch FROM first_shipped_at) * 1000)::bigint
          < (extract(epoch FROM requested_ship_at) * 1000)::bigint
            - (((extract(epoch FROM requested_ship_at) * 1000)::bigint % 86400000) + 86400000) % 86400000 + 86400000
      END;
  END IF;
END $$;

CREATE TABLE IF NOT EXISTS ledger_order_lines (
    order_key        text NOT NULL,
    line_key         text NOT NULL,
    sku              text,
    gtin             text,
    ordered_original numeric NOT NULL,
    ordered_revised  numeric NOT NULL,
    unit_price       numeric,
    shipped          numeric NOT NULL,
    invoiced         numeric NOT NULL,
    returned         numeric NOT NULL,
    PRIMARY KEY (order_key, line_key)
);

CREATE OR REPLACE VIEW ledger_orphans AS
SELECT e.* FROM ledger_events e
WHERE e.doc NOT IN ('order', 'inventory')
  AND NOT EXISTS (
    SELECT 1 FROM ledger_event_orders eo JOIN ledger_orders o USING (order_key)
    WHERE eo.event_id = e.event_id);

CREATE OR REPLACE VIEW ledger_conflicts AS
SELECT scope, alias, array_agg(DISTINCT order_key ORDER BY order_key) AS orders
FROM ledger_aliases WHERE scope <> ''
GROUP BY scope, alias HAVING count(DISTINCT order_key) > 1;

-- How many of the order's EDI exchanges are open (sent and not yet
-- acknowledged, or refused): such an order may have an open exception.
ALTER TABLE ledger_orders ADD COLUMN IF NOT EXISTS edi_open integer;

-- Versions of derived tables the host rebuilds when their definition
-- changes (key: the table, value: a digest of its definition).
CREATE TABLE IF NOT EXISTS ledger_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
