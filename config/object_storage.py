"""The file store of several machines: a private bucket on S3-compatible object storage.

MinIO is what intranets run; any S3 speaker will do. The bucket is private and stays so: the
portal never hands out a bucket address (no ``url()`` anywhere, no ACL sent with an object,
so the bucket's own policy applies); every download streams through a view that checks the
reader's scope. ``production.py`` selects this when ``S3_BUCKET`` is set; the suite points it
at a moto server it starts itself (tests/storage/).
"""

from botocore.config import Config

# Downloads up to this size are held in memory; larger ones spool to a temporary file.
SPOOL_BYTES = 2 * 1024 * 1024


def s3_storage(
    *,
    bucket,
    endpoint_url=None,
    access_key=None,
    secret_key=None,
    region="us-east-1",
    addressing_style="path",
    prefix="",
    verify=None,
    connect_timeout=2.0,
    read_timeout=10.0,
    attempts=3,
):
    """A ``STORAGES`` entry for django-storages' S3 backend, configured for MinIO."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region,
            "location": prefix,
            "verify": verify,
            # No ACL with any object: the bucket's policy (private) is the only one.
            "default_acl": None,
            # url() is never used; if it were, it could only sign a short-lived link.
            "querystring_auth": True,
            "querystring_expire": 60,
            # A name that exists gets another, as on a disk: a report export never replaces an
            # earlier one that a frozen version still names.
            "file_overwrite": False,
            "max_memory_size": SPOOL_BYTES,
            # Signature v4 and path-style addresses (http://minio:9000/bucket/key): MinIO
            # needs no wildcard DNS. A store that does not answer fails within seconds, and
            # the page says so (common.storage), instead of hanging a web worker.
            "client_config": Config(
                signature_version="s3v4",
                s3={"addressing_style": addressing_style},
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"max_attempts": attempts, "mode": "standard"},
            ),
        },
    }
