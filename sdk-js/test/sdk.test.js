// The SDK's own tests: decimal arithmetic, JSON error texts, the host
// stand-in, the plugin glue; and the committed contract types are what
// wit/plugin.wit gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Decimal, Invalid, Retryable, host, info, parseJson, withHeader, header, jsonMessage, JsonNumber } from '../src/index.js';
import { exportOf } from '../src/component.js';

test('decimals are exact and formatted as the canonical model writes them', () => {
  const d = (s) => Decimal.parse(s);
  assert.equal(d('0.1').add(d('0.2')).toString(), '0.3');
  assert.equal(d('199').money(), '199.00');
  assert.equal(d('3.345').money(), '3.345');
  assert.equal(d('2.000').qty(), '2');
  assert.equal(d('1e2').money(), '100.00');
  assert.equal(d('.5').money(), '0.50');
  assert.equal(d('19.99').mul(d('3')).money(), '59.97');
  assert.equal(d('0.125').roundDp(2).toString(), '0.12');
  assert.equal(d('0.135').roundDp(2).toString(), '0.14');
  assert.equal(d('-5').abs().cmp(d('5')), 0);
  for (const bad of ['abc', '', '1.2.3', '--1', 'NaN', '1e']) assert.equal(Decimal.parse(bad), null, bad);
  assert.equal(Decimal.of(1.5), null, 'floats are refused');
  const huge = d('79228162514264337593543950335');
  assert.equal(huge.fits(), true);
  assert.equal(huge.checkedAdd(d('1')), null);
});

test('JSON errors read as the Rust SDK words them; numbers can stay exact', () => {
  const err = (t) => {
    try {
      parseJson(t);
    } catch (e) {
      return e.message;
    }
  };
  assert.equal(err('not an order'), 'expected ident at line 1 column 2');
  assert.equal(err('order_id=727'), 'expected value at line 1 column 1');
  assert.equal(err('{"a": 1,}'), 'trailing comma at line 1 column 9');
  assert.equal(err('[1 2]'), 'expected `,` or `]` at line 1 column 4');
  assert.equal(err('{'), 'EOF while parsing an object at line 1 column 1');
  const v = parseJson('{"a": 19.90, "b": "x\\"1", "c": [7]}', { exactNumbers: true });
  assert.ok(v.a instanceof JsonNumber);
  assert.equal(v.a.text, '19.90');
  assert.equal(v.b, 'x"1');
  assert.equal(v.c[0].isInteger(), true);
});

test('host stand-in and message helpers', () => {
  host.reset();
  assert.equal(host.config('k'), undefined);
  host.setConfig('k', 'yes');
  assert.equal(host.configBool('k', false), true);
  host.setConfig('k', 'maybe');
  assert.throws(() => host.configBool('k', false), Invalid);
  host.setLookup('sku', 'A', '1');
  assert.equal(host.lookup('sku', 'A'), '1');
  assert.equal(host.nextSequence('isa'), 1n);
  host.setSequence('isa', 41);
  assert.equal(host.nextSequence('isa'), 42n);
  const m = withHeader(jsonMessage('a', 'c', 'k', { x: Decimal.parse('1.50') }), 'X-Trace', '1');
  assert.equal(header(m, 'x-trace'), '1');
  assert.equal(new TextDecoder().decode(m.payload), '{"x":"1.50"}');
  assert.throws(() => info('x', '1', 'nope'));
});

test('plugin errors become the WIT plugin-error; other throws stay traps', () => {
  const p = exportOf({
    describe: () => info('x', '0.1.0', 'transform').build(),
    process(msg) {
      if (msg.id === 'bad') throw new Invalid('no');
      if (msg.id === 'later') throw new Retryable('soon');
      throw new TypeError('bug');
    },
  });
  const call = (id) => {
    try {
      p.process({ id });
    } catch (e) {
      return e;
    }
  };
  assert.deepEqual(call('bad').payload, { tag: 'invalid', val: 'no' });
  assert.deepEqual(call('later').payload, { tag: 'retryable', val: 'soon' });
  assert.ok(call('other') instanceof TypeError);
});

test('the committed contract types are what wit/plugin.wit gives', () => {
  const bin = fileURLToPath(new URL('../bin/types.js', import.meta.url));
  execFileSync(process.execPath, [bin, '--check'], { stdio: 'inherit' });
});

test('documents are written in the Rust SDK field order, absent fields left out', async () => {
  const { documents } = await import('../src/index.js');
  const o = documents.order({
    order_id: '1', channel: 'shop', correlation_id: 'shop:1', purpose: 'original',
    lines: [documents.orderLine({ line_id: 'a', quantity: '2', unit_price: Decimal.parse('1').money() })],
    totals: documents.totals({ total: '2.00' }), source: { b: 1, a: 2 }, customer: documents.customer({}),
  });
  assert.deepEqual(Object.keys(o), ['schema', 'order_id', 'channel', 'correlation_id', 'purpose', 'lines', 'totals', 'source']);
  assert.equal(JSON.stringify(o.lines[0]), '{"line_id":"a","sku":null,"quantity":"2","unit_price":"1.00"}');
  assert.deepEqual(Object.keys(o.source), ['a', 'b']);
  const s = documents.shipment({ shipment_id: '1:fulfilled', channel: 'shop', correlation_id: 'shop:1', order_refs: ['1'], status: 'fulfilled' });
  assert.equal(JSON.stringify(s), '{"schema":"weft.shipment/1","shipment_id":"1:fulfilled","channel":"shop","correlation_id":"shop:1","order_refs":["1"],"status":"fulfilled","tracking":[],"packages":[]}');
});

test('invoices rebuilt from the Rust connectors\' case outputs are the same bytes', async () => {
  const { documents } = await import('../src/index.js');
  const { readFileSync } = await import('node:fs');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  for (const c of ['plugins/adobe-commerce-orders/cases/get-invoice-3.expected.jsonl',
    'plugins/edifact/cases/INVOIC_D97B_staedi.expected.jsonl']) {
    const p = readFileSync(root + c, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
      .find((m) => m.payload.schema === documents.INVOICE_SCHEMA && m.kind === documents.kinds.INVOICE_POSTED).payload;
    const rebuilt = documents.invoice({
      ...p,
      bill_to: p.bill_to && documents.address(p.bill_to),
      ship_to: p.ship_to && documents.address(p.ship_to),
      parties: (p.parties ?? []).map((x) => documents.party({ ...x, address: x.address && documents.address(x.address) })),
      lines: p.lines.map(documents.invoiceLine),
      charges: p.charges.map(documents.charge),
      terms: p.terms && documents.terms(p.terms),
      totals: documents.invoiceTotals(p.totals),
    });
    assert.equal(JSON.stringify(rebuilt), JSON.stringify(p), c);
  }
  assert.equal(documents.terms(), null);
  assert.deepEqual(Object.keys(documents.invoice({ invoice_id: 'I1', channel: 'x12:P', correlation_id: 'x12:P:I1' })),
    ['schema', 'invoice_id', 'channel', 'correlation_id', 'order_refs', 'lines', 'charges', 'totals']);
});
