#!/usr/bin/python3
"""A webhook receiver for the delivery tests: refuses the first N requests with 503, then
answers 200; appends each request (idempotency key, signature header, body) as a JSON line.
Usage: receiver.py PORTFILE LOGFILE N [DELAY_S] (each answer DELAY_S late)"""
import http.server
import json
import sys
import time

port_file, log_file, refuse = sys.argv[1], sys.argv[2], int(sys.argv[3])
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0
seen = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        seen[0] += 1
        code = 503 if seen[0] <= refuse else 200
        with open(log_file, "a") as f:
            f.write(json.dumps({"key": self.headers.get("Idempotency-Key"),
                                "sig": self.headers.get("X-Huoyan-Signature"),
                                "code": code, "body": body.decode()}) + "\n")
        time.sleep(delay)  # logged first: a test can act while the answer is pending
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
