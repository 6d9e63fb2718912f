#!/usr/bin/python3
"""Benchmark peer: the original pipeline's record loop (a Python Lambda using Faker), re-created
to run from the command line and write NDJSON, so that `saleslake generate` can be timed against
it on the same machine.

    seed_faker_generator.py --products products.json --stores stores.json --records 20000 > out

Per record, as the original: a random product and store, quantity 1..3, a timestamp of
datetime.now() minus 0..100 whole days, Faker's uuid4, name and email, total = mrp * quantity.
Run it with Debian's /usr/bin/python3 (python3-fake-factory). The original asked Faker for the
en_IN locale; Debian's Faker release does not ship it, so en_US stands in (same providers, same
cost per call).
"""
import argparse
import datetime
import json
import random
import sys

from faker import Factory


def make_faker():
    for locale in ("en_IN", "en_US"):
        try:
            return Factory.create(locale)
        except AttributeError:
            continue
    return Factory.create()


def generate(records, products, stores, fake, out):
    for _ in range(records):
        product = random.choice(products)
        store = random.choice(stores)
        quantity = random.randint(1, 3)
        transaction_time = datetime.datetime.now() - datetime.timedelta(days=random.randint(0, 100))
        mrp = product.get("mrp")
        record = {
            "transaction_id": fake.uuid4(),
            "timestamp": transaction_time.isoformat(),
            "store_id": store.get("store_id"),
            "store_name": store.get("store_name"),
            "store_location": store.get("location"),
            "product_id": product.get("product_id"),
            "product_name": product.get("product_name"),
            "category": product.get("category"),
            "brand": product.get("brand"),
            "retail_price": product.get("retail_price"),
            "quantity": quantity,
            "mrp": mrp,
            "total": mrp * quantity,
            "customer_name": fake.name(),
            "customer_email": fake.email(),
        }
        out.write(json.dumps(record))
        out.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", required=True)
    parser.add_argument("--stores", required=True)
    parser.add_argument("--records", type=int, default=10000)
    args = parser.parse_args()
    with open(args.products) as f:
        products = json.load(f)
    with open(args.stores) as f:
        stores = json.load(f)
    generate(args.records, products, stores, make_faker(), sys.stdout)


if __name__ == "__main__":
    main()
