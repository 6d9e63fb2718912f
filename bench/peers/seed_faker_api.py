#!/usr/bin/python3
"""The original pipeline's first stage, re-created as a benchmark peer: a Lambda-style handler that
builds sale records with Faker from products.json and stores.json, behind Python's http.server.

    seed_faker_api.py --products products.json --stores stores.json --port 8081

GET /?records=N returns {"statusCode": 200, "body": [...N records...]} like the Lambda function
(default 10,000). The record loop follows the original: one uuid4, a timestamp now minus 0..100
days, a random store and product, quantity 1..3, total = mrp * quantity, and a Faker name and email
per record. Run it with Debian's /usr/bin/python3 (python3-fake-factory).
"""
import argparse
import datetime
import json
import random
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

from faker import Factory


def make_faker():
    # The original used the en_IN locale; older Faker releases (Debian's) do not ship it.
    for locale in ("en_IN", "en_US"):
        try:
            return Factory.create(locale)
        except AttributeError:
            continue
    return Factory.create()


def lambda_handler(records, products, stores, fake):
    now = datetime.datetime.now()
    body = []
    for _ in range(records):
        product = random.choice(products)
        store = random.choice(stores)
        quantity = random.randint(1, 3)
        body.append({
            "transaction_id": str(uuid.uuid4()),
            "timestamp": (now - datetime.timedelta(days=random.randint(0, 100))).isoformat(),
            "store_id": store["store_id"],
            "store_name": store["store_name"],
            "store_location": store["location"],
            "product_id": product["product_id"],
            "product_name": product["product_name"],
            "category": product["category"],
            "brand": product["brand"],
            "retail_price": product["retail_price"],
            "quantity": quantity,
            "mrp": product["mrp"],
            "total": product["mrp"] * quantity,
            "customer_name": fake.name(),
            "customer_email": fake.email(),
        })
    return {"statusCode": 200, "body": body}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", required=True)
    parser.add_argument("--stores", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    with open(args.products) as f:
        products = json.load(f)
    with open(args.stores) as f:
        stores = json.load(f)
    fake = make_faker()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the measuring client expects

        def do_GET(self):
            query = parse_qs(urlparse(self.path).query)
            records = int(query.get("records", ["10000"])[0])
            payload = json.dumps(lambda_handler(records, products, stores, fake)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    HTTPServer((args.host, args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
