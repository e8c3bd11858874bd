"""Single sign-on settings, read in a fresh process as an operator would set them."""

from tests.config.test_settings import manage


def backends(**env):
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(','.join(settings.AUTHENTICATION_BACKENDS))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split(",")


def test_single_sign_on_is_off_by_default():
    assert backends() == [
        "audit.backends.LoginThrottleBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def test_naming_the_servers_turns_each_on_after_the_lockout_check():
    assert backends(
        LDAP_SERVER_URI="ldap://ldap.example.gov:389", CAS_SERVER_URL="https://cas.example.gov/"
    ) == [
        "audit.backends.LoginThrottleBackend",
        "sso.backends.PortalCASBackend",
        "sso.backends.DirectoryBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def test_a_malformed_group_type_refuses_to_start_naming_the_variable():
    result = manage("check", LDAP_GROUP_TYPE="groups")
    assert result.returncode != 0
    assert "LDAP_GROUP_TYPE" in result.stderr
