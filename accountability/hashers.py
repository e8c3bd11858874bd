"""How passwords are stored (settings PASSWORD_HASHERS)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at the minimum OWASP recommends: 19 MiB of memory, two passes, one lane.

    Memory-hard, so a stolen table of hashes is dear to attack on GPUs, yet a login costs some
    tens of milliseconds of one core, where Django's PBKDF2 (1,000,000 rounds of SHA-256) cost
    0.3-0.6 s: on a two-core server the morning's logins (everyone within a few minutes) no longer
    hold every page up. Django's own Argon2 settings (100 MiB, eight lanes) would take 1.6 GB
    for sixteen logins at once. A PBKDF2 hash from before is still checked, and replaced by this
    one when its owner next logs in (settings PASSWORD_HASHERS)."""

    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1
