"""A real S3-compatible server for the suite: moto's server mode, one per test process.

Started once per session (per xdist worker) on a free port of 127.0.0.1; every test gets its own
bucket prefix (a folder) in the worker's bucket, so nothing needs emptying between tests.
"""

import logging
import os
import socket
import uuid

import boto3
import pytest
from botocore.config import Config

from config.object_storage import s3_storage

# moto signs nothing for real; these only have to be the same on both sides.
ACCESS_KEY, SECRET_KEY, REGION = "portal-test", "portal-test-secret", "us-east-1"


class S3Server:
    def __init__(self, endpoint, bucket):
        self.endpoint, self.bucket = endpoint, bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def keys(self, prefix=""):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key):
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    # One bucket per xdist worker, named after it (a shared server would keep them apart too).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    s3 = S3Server(f"http://{host}:{port}", f"portal-test-{worker}")
    s3.client.create_bucket(Bucket=s3.bucket)
    yield s3
    server.stop()


@pytest.fixture
def s3(settings, evidence_storage, s3_server):
    """Evidence, scans and exports of this test in the S3 server, as production stores them
    (the same ``s3_storage`` options), under a prefix of its own."""
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=s3_server.bucket,
            endpoint_url=s3_server.endpoint,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            region=REGION,
            prefix=prefix,
        ),
    }
    s3_server.prefix = f"{prefix}/"
    return s3_server


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def store_outage(settings, s3):
    """Call it to take the store away: the same bucket behind an address where nothing answers
    (connections refused at once; one attempt, as a store that is down is not retried)."""

    def go_down():
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_storage(
                bucket=s3.bucket,
                endpoint_url=f"http://127.0.0.1:{free_port()}",
                access_key=ACCESS_KEY,
                secret_key=SECRET_KEY,
                region=REGION,
                prefix=s3.prefix.rstrip("/"),
                connect_timeout=0.5,
                attempts=1,
            ),
        }

    return go_down
