"""LDAP sign-on: the time of one login through the login page against a local slapd.

Target (issue 14): under 300 ms. A private slapd (tests/sso/slapd.py: Debian's slapd on a free
port, its own config and data in a temporary folder) holds a few people and groups; the portal
runs on the scale-1 bench database (``portal_sso_bench_s1``), configured to sign in through it
with a group → role mapping. Each sample is a fresh client posting the login form (service bind,
search, the person's bind, group search, the mapping applied, the session written).
Run: ``.venv/bin/python bench/bench_ldap.py``.
"""

import statistics
import tempfile
import time
from urllib.parse import urlunsplit

import _dataset
from _common import emit, setup_django

REPEAT = 30


def main():
    def own_database(scale):
        parts = _dataset._server_url()
        return urlunsplit((parts.scheme, parts.netloc, f"/portal_sso_bench_s{scale}", "", ""))

    _dataset.database_url = own_database
    url = _dataset.ensure_dataset(1)
    setup_django("config.settings.test", url)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accountability.models import Organisation, Role
    from sso.models import DirectoryRoleMapping
    from tests.sso.slapd import GROUPS, PASSWORD, PEOPLE, Slapd

    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        server = Slapd(folder).start()
        try:
            organisation = Organisation.objects.order_by("code").first()
            settings.LDAP_SERVER_URI = settings.AUTH_LDAP_SERVER_URI = server.uri
            settings.LDAP_USER_SEARCH_BASE = PEOPLE
            settings.LDAP_GROUP_SEARCH_BASE = GROUPS
            settings.SSO_ORGANISATION = organisation.code
            settings.AXES_ENABLED = False
            settings.AUTHENTICATION_BACKENDS = [
                "sso.backends.DirectoryBackend",
                "django.contrib.auth.backends.ModelBackend",
            ]
            DirectoryRoleMapping.objects.get_or_create(
                organisation=organisation, group=f"cn=chuzhang,{GROUPS}", role=Role.UNIT_HEAD
            )
            samples = []
            for index in range(REPEAT + 2):
                client = Client()
                started = time.perf_counter()
                response = client.post(
                    "/accounts/login/", {"username": "zhangsan", "password": PASSWORD}
                )
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 302, response.status_code
                if index >= 2:  # the first two warm the connection pool and caches
                    samples.append(elapsed)
            emit(
                "ldap_login",
                statistics.median(samples),
                "ms",
                target=300,
                p90=round(sorted(samples)[int(len(samples) * 0.9) - 1], 1),
                samples=len(samples),
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
