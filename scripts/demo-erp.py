#!/usr/bin/env python3
"""A stand-in ERP for the demo: accepts any request on 127.0.0.1:PORT and
writes it (method, path, headers, JSON body) to DIR/NNNN.json, answering
201. Repeated Idempotency-Keys are answered 200 without a new file, as an
ERP honouring idempotency would. Stops on SIGTERM."""
import json, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
seen = set()


class Erp(BaseHTTPRequestHandler):
    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        key = self.headers.get("idempotency-key", "")
        status = 200 if key and key in seen else 201
        if status == 201:
            seen.add(key)
            try:
                doc = json.loads(body)
            except ValueError:
                doc = body.decode("utf-8", "replace")
            record = {"method": self.command, "path": self.path,
                      "idempotency_key": key, "body": doc}
            name = os.path.join(out, f"{len(seen):04d}.json")
            with open(name, "w") as f:
                json.dump(record, f, indent=2)
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Erp).serve_forever()
