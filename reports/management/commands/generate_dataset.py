"""Fill an (empty) database with synthetic data for the benches: accountability, then
rectification. ``--scale 100`` ≈ 100 organisations × 30 units × 5 years (≈ 500,000 work records);
``--scale 1`` one organisation; a supervising body (机关工委) above them all."""

import time

from django.core.management.base import BaseCommand, CommandError

from accountability import dataset as accountability_dataset
from accountability.models import Organisation
from rectification import dataset as rectification_dataset


class Command(BaseCommand):
    help = "Generate synthetic bench data (deterministic for a given --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive")
        if Organisation.objects.filter(code__startswith=f"bench-{seed}-").exists():
            raise CommandError(
                f"this database already holds bench data for seed {seed}; use a fresh database"
            )
        started = time.monotonic()
        result = accountability_dataset.generate(scale=scale, seed=seed, supervising_body=True)
        context = result.pop("context")
        body = context["supervising_body"]
        self.stdout.write(f"supervising body: {body.code} (people gw-{seed}-office, …)")
        self.stdout.write(f"accountability: {result}")
        counts = rectification_dataset.generate(scale=scale, seed=seed, context=context)
        self.stdout.write(f"rectification: {counts}")
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f} s"))
