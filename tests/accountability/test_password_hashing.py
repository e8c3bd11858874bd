"""Passwords are stored with Argon2id (accountability/hashers.py); a password stored before with
Django's PBKDF2 still logs its owner in, and is stored again with Argon2id at that login."""

import pytest
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)
from django.urls import reverse

import config.settings.base as base

PASSWORD = "Qingfeng#2026"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_a_new_password_is_stored_with_argon2id_at_owasps_minimum(production_hashers):
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, encoded) and not check_password("wrong", encoded)


@pytest.mark.django_db
def test_a_pbkdf2_password_logs_in_and_is_stored_again_with_argon2id(
    production_hashers, client, world
):
    # As stored before the change (fewer rounds than Django's default, to keep the test quick;
    # the rounds are read from the stored value).
    old = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt1234", iterations=1000)
    world.office.password = old
    world.office.save(update_fields=["password"])

    response = client.post(reverse("login"), {"username": "office", "password": PASSWORD})

    assert response.status_code == 302
    world.office.refresh_from_db()
    assert identify_hasher(world.office.password).algorithm == "argon2"
    assert world.office.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_wrong_password_leaves_the_old_hash_as_it_was(production_hashers, client, world):
    old = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt1234", iterations=1000)
    world.office.password = old
    world.office.save(update_fields=["password"])

    response = client.post(reverse("login"), {"username": "office", "password": "wrong#2026"})

    assert response.status_code == 200
    world.office.refresh_from_db()
    assert world.office.password == old
