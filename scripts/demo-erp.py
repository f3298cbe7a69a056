#!/usr/bin/env python3
"""A stand-in ERP for the demo: accepts any request on 127.0.0.1:PORT and
writes it (method, path, headers, JSON body, the order number it got) to
DIR/NNNN.json, answering 201 with a JSON body carrying the sales order
number, {"orderNumber": "SO-…", "idempotencyKey": …, "status": "created"}.
The number is derived from the Idempotency-Key, so it is the same for the
same order on every run. Repeated Idempotency-Keys are answered 200 with the
same number and no new file, as an ERP honouring idempotency would. Stops on
SIGTERM."""
import hashlib, json, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
seen = set()


def order_number(key, body):
    """SO- and ten digits of the key's sha256 (of the body without a key)."""
    digest = hashlib.sha256(key.encode() if key else body).hexdigest()
    return f"SO-{int(digest[:16], 16) % 10**10:010d}"


class Erp(BaseHTTPRequestHandler):
    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        key = self.headers.get("idempotency-key", "")
        number = order_number(key, body)
        status = 200 if key and key in seen else 201
        if status == 201:
            seen.add(key)
            try:
                doc = json.loads(body)
            except ValueError:
                doc = body.decode("utf-8", "replace")
            record = {"method": self.command, "path": self.path,
                      "idempotency_key": key, "order_number": number, "body": doc}
            name = os.path.join(out, f"{len(seen):04d}.json")
            with open(name, "w") as f:
                json.dump(record, f, indent=2)
        answer = json.dumps({"orderNumber": number, "idempotencyKey": key,
                             "status": "created" if status == 201 else "exists"}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Erp).serve_forever()
