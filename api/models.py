"""Personal API tokens: created and revoked by their owner, stored only as a SHA-256 digest.

A token reads ``zt_<prefix>_<secret>``: the 8-character prefix is kept in clear to find the row
(and to show the owner which token is which), the whole token only as its digest. The secret is
32 random bytes, so a plain SHA-256 is enough: there is nothing to brute-force.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_LEAD = "zt_"  # noqa: S105 (the visible lead of every token, not a secret)
PREFIX_LENGTH = 8


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def split_token(raw: str) -> str | None:
    """The lookup prefix of a well-formed token, or None."""
    if not raw.startswith(TOKEN_LEAD):
        return None
    prefix, sep, secret = raw[len(TOKEN_LEAD) :].partition("_")
    if not sep or len(prefix) != PREFIX_LENGTH or not secret or len(raw) > 200:
        return None
    return prefix


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("用途"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=PREFIX_LENGTH, unique=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.display_prefix}…)"

    @property
    def display_prefix(self):
        return f"{TOKEN_LEAD}{self.prefix}"

    @classmethod
    def generate(cls):
        """(prefix, raw token) for a new token."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        return prefix, f"{TOKEN_LEAD}{prefix}_{secrets.token_urlsafe(32)}"

    def matches(self, raw: str) -> bool:
        return hmac.compare_digest(self.digest, digest_of(raw))

    def is_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired()
