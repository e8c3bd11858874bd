"""The production compose file runs the shape README "Growing past one machine" describes, and
nginx lets through the largest upload the portal accepts (docker-compose.yml, deploy/)."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def replicas(service):
    return service.get("deploy", {}).get("replicas", 1)


def test_two_web_and_two_worker_replicas_and_exactly_one_beat(compose):
    assert replicas(compose["web"]) == 2
    assert replicas(compose["worker"]) == 2
    assert replicas(compose["beat"]) == 1
    beats = [name for name, s in compose.items() if "beat" in " ".join(s.get("command") or [])]
    assert beats == ["beat"]


def test_only_the_proxy_is_published_and_migrations_run_once(compose):
    published = sorted(name for name, service in compose.items() if service.get("ports"))
    assert published == ["proxy"]  # two web replicas cannot share one host port
    for name in ("web", "worker", "beat"):
        assert "migrate" not in " ".join(compose[name]["command"])
        assert compose[name]["depends_on"]["release"] == {
            "condition": "service_completed_successfully"
        }
    assert "migrate" in " ".join(compose["release"]["command"])


def test_replicas_share_the_bucket_and_trust_exactly_the_proxy(compose):
    env = compose["web"]["environment"]
    assert env["S3_BUCKET"].startswith("${S3_BUCKET")
    assert env["S3_ENDPOINT_URL"] == "http://minio:9000"
    assert env["TRUSTED_PROXY_COUNT"] == "1"
    assert "minio" not in str(compose["proxy"])  # the bucket is never behind the proxy
    assert not compose["minio"].get("ports")


def test_nginx_accepts_the_largest_upload_the_portal_does():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    size = re.search(r"client_max_body_size\s+(\d+)m;", conf)
    assert size, "client_max_body_size in megabytes"
    largest = settings.EVIDENCE_MAX_FILES * settings.EVIDENCE_MAX_BYTES
    assert int(size.group(1)) * 1024 * 1024 > largest
    assert "server web:8000" in conf
