"""Creating and revoking personal API tokens."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ApiToken, digest_of


def apitoken_create(*, user, name, expires_in_days=None):
    """A new token for ``user``; returns (token row, the raw token, shown this once only)."""
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    for _attempt in range(5):  # a prefix collision is astronomically rare; retry if it happens
        prefix, raw = ApiToken.generate()
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    digest=digest_of(raw),
                    expires_at=expires_at,
                )
        except IntegrityError:
            continue
        return token, raw
    raise RuntimeError("could not draw a unique token prefix")


def apitoken_revoke(*, token, by):
    """Revoke one of ``by``'s own tokens (idempotent)."""
    if token.user_id != by.pk:
        raise PermissionError("a token is revoked only by its owner")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
