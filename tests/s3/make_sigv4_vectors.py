#!/usr/bin/python3
"""Prints SigV4 reference vectors for saleslake's S3 signer, computed offline by botocore.

Each line is one JSON object: the request as botocore built and signed it (method, URL, every
signed header, the payload hash, the Authorization header) plus the raw inputs (bucket, key,
query parameters) the C++ test rebuilds the request from. Nothing is sent over the network: a
before-send hook captures the signed request and stops it.

The committed file holds the output of two independent signers: Debian's python3-botocore (which
signs with aws-c-auth when python3-awscrt is installed) and a newer pure-Python botocore. Regenerate
(no network needed; a missing interpreter just contributes no lines):
    { /usr/bin/python3 tests/s3/make_sigv4_vectors.py; python3 tests/s3/make_sigv4_vectors.py; } \
        > tests/s3/sigv4_vectors.jsonl
"""
import contextlib
import datetime
import importlib
import json
import sys
import types
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import botocore
import botocore.auth
import botocore.config
import botocore.session
from botocore.compat import HAS_CRT

FROZEN = datetime.datetime(2026, 11, 26, 10, 20, 1)
ACCESS_KEY = "AKIDSALESLAKEEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSALESLAKE="
SESSION_TOKEN = "FQoGZXIvYXdzEXAMPLE//////////wEaDF+token/with=odd+chars"


class Captured(Exception):
    def __init__(self, request):
        super().__init__("captured")
        self.request = request


def capture(request, **_):
    raise Captured(request)


def frozen_clock():
    """Freezes botocore's signing clock, whichever signer this botocore uses (its own, or the
    aws-c-auth one from awscrt when that is installed, as on Debian) and however it reads it."""
    stack = contextlib.ExitStack()
    if hasattr(botocore.auth, "get_current_datetime"):
        stack.enter_context(
            mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: FROZEN))
    shim = types.SimpleNamespace(
        datetime=types.SimpleNamespace(utcnow=lambda: FROZEN, now=lambda *a: FROZEN),
        timezone=datetime.timezone)
    modules = [botocore.auth]
    try:
        modules.append(importlib.import_module("botocore.crt.auth"))
    except ImportError:
        pass
    for module in modules:
        if hasattr(module, "datetime"):
            stack.enter_context(mock.patch.object(module, "datetime", shim))
    return stack


def make_client(endpoint, region, addressing, token):
    session = botocore.session.get_session()
    options = {"signature_version": "s3v4", "s3": {"addressing_style": addressing},
               "retries": {"max_attempts": 0}}
    # Newer botocore adds CRC checksums to every upload unless told to do so only when required.
    if "request_checksum_calculation" in botocore.config.Config.OPTION_DEFAULTS:
        options["request_checksum_calculation"] = "when_required"
        options["response_checksum_validation"] = "when_required"
    client = session.create_client(
        "s3", region_name=region, endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY, aws_session_token=token,
        config=botocore.config.Config(**options))
    client.meta.events.register("before-send.s3", capture)
    return client


def vector(name, endpoint, region, addressing, operation, params, token=None):
    client = make_client(endpoint, region, addressing, token)
    try:
        with frozen_clock():
            getattr(client, operation)(**params)
    except Captured as c:
        request = c.request
    else:
        raise SystemExit(f"{name}: the request was not captured")
    auth = request.headers["Authorization"]
    auth = auth.decode() if isinstance(auth, bytes) else auth
    signed_names = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    url = urlsplit(request.url)
    headers = {}
    for header in signed_names:
        if header == "host":
            headers["host"] = url.netloc
            continue
        value = request.headers[header]
        headers[header] = value.decode() if isinstance(value, bytes) else value
    body = request.body or b""
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode()
    return {
        "name": name,
        "botocore": botocore.__version__,
        "signer": "aws-c-auth (awscrt)" if HAS_CRT else "botocore.auth",
        "region": region,
        "addressing": addressing,
        "endpoint": endpoint,
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "session_token": token or "",
        "method": request.method,
        "bucket": params.get("Bucket", ""),
        "key": params.get("Key", ""),
        "query": parse_qsl(url.query, keep_blank_values=True),
        "url": request.url,
        "path": url.path,
        "signed_headers": headers,
        "payload_hash": headers["x-amz-content-sha256"],
        "body_sha256": __import__("hashlib").sha256(body).hexdigest(),
        "authorization": auth,
        "copy_source_bucket": params.get("CopySource", {}).get("Bucket", ""),
        "copy_source_key": params.get("CopySource", {}).get("Key", ""),
    }


LOCAL = "http://127.0.0.1:9000"
HIVE_KEY = "raw/sales/year=2026/month=11/day=26/batch-3f2a.parquet"
SPACE_PLUS_KEY = "main/store_sales/store=Saket Mall+Delhi/part 0001.parquet"
UNICODE_KEY = "main/sales/city=München/ब्रांड=€ café/part-0.parquet"
ODD_KEY = "odd/!'()*$&,;:@?#[]{}^%|\\\"<>`/x"
UPLOAD_ID = "2~iCw_lDY8VoDDuDnmxAWL/+yDvzSWpU=="
CASES = [
    ("get_object_range_hive_key", LOCAL, "us-east-1", "path", "get_object",
     {"Bucket": "sales-lake", "Key": HIVE_KEY, "Range": "bytes=100-1123"}),
    ("head_object_space_plus_key", LOCAL, "us-east-1", "path", "head_object",
     {"Bucket": "sales-lake", "Key": SPACE_PLUS_KEY}),
    ("put_object_unicode_key", LOCAL, "eu-central-1", "path", "put_object",
     {"Bucket": "sales-lake", "Key": UNICODE_KEY, "Body": b"PAR1 not really parquet PAR1"}),
    ("put_object_reserved_characters", LOCAL, "us-east-1", "path", "put_object",
     {"Bucket": "sales-lake", "Key": ODD_KEY, "Body": b""}),
    ("delete_object_hive_key", LOCAL, "us-east-1", "path", "delete_object",
     {"Bucket": "sales-lake", "Key": HIVE_KEY}),
    ("list_objects_v2_prefix_delimiter", LOCAL, "us-east-1", "path", "list_objects_v2",
     {"Bucket": "sales-lake", "Prefix": "main/store_sales/store=Saket Mall+Delhi/",
      "Delimiter": "/", "MaxKeys": 1000}),
    ("list_objects_v2_continuation", LOCAL, "us-east-1", "path", "list_objects_v2",
     {"Bucket": "sales-lake", "Prefix": "raw/", "ContinuationToken": "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="}),
    ("create_multipart_upload", LOCAL, "us-east-1", "path", "create_multipart_upload",
     {"Bucket": "sales-lake", "Key": SPACE_PLUS_KEY}),
    ("upload_part", LOCAL, "us-east-1", "path", "upload_part",
     {"Bucket": "sales-lake", "Key": UNICODE_KEY, "UploadId": UPLOAD_ID, "PartNumber": 7,
      "Body": b"x" * 1000}),
    ("complete_multipart_upload", LOCAL, "us-east-1", "path", "complete_multipart_upload",
     {"Bucket": "sales-lake", "Key": HIVE_KEY, "UploadId": UPLOAD_ID,
      "MultipartUpload": {"Parts": [{"ETag": '"aaaa"', "PartNumber": 1},
                                    {"ETag": '"bbbb"', "PartNumber": 2}]}}),
    ("abort_multipart_upload", LOCAL, "us-east-1", "path", "abort_multipart_upload",
     {"Bucket": "sales-lake", "Key": HIVE_KEY, "UploadId": UPLOAD_ID}),
    ("list_multipart_uploads", LOCAL, "us-east-1", "path", "list_multipart_uploads",
     {"Bucket": "sales-lake", "Prefix": "raw/"}),
    ("delete_objects", LOCAL, "us-east-1", "path", "delete_objects",
     {"Bucket": "sales-lake", "Delete": {"Objects": [{"Key": HIVE_KEY}, {"Key": SPACE_PLUS_KEY}],
                                          "Quiet": True}}),
    ("copy_object", LOCAL, "us-east-1", "path", "copy_object",
     {"Bucket": "sales-lake", "Key": SPACE_PLUS_KEY,
      "CopySource": {"Bucket": "sales-lake", "Key": UNICODE_KEY}}),
    ("get_object_virtual_hosted_session_token", "https://s3.eu-west-1.amazonaws.com", "eu-west-1",
     "virtual", "get_object", {"Bucket": "sales-lake", "Key": HIVE_KEY}),
    ("put_object_virtual_hosted_session_token", "https://s3.eu-west-1.amazonaws.com", "eu-west-1",
     "virtual", "put_object", {"Bucket": "sales-lake", "Key": SPACE_PLUS_KEY, "Body": b"hello"}),
    ("list_objects_v2_session_token", LOCAL, "ap-south-1", "path", "list_objects_v2",
     {"Bucket": "sales-lake", "Prefix": "main/sales/city=München/"}),
]
TOKEN_CASES = {"get_object_virtual_hosted_session_token", "put_object_virtual_hosted_session_token",
               "list_objects_v2_session_token"}

for name, endpoint, region, addressing, operation, params in CASES:
    token = SESSION_TOKEN if name in TOKEN_CASES else None
    row = vector(name, endpoint, region, addressing, operation, params, token)
    sys.stdout.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
