"""Load the seed fixtures: create what is missing, never undo what staff changed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.seed import FIXTURES_DIR
from directory.seed.loading import load_seed_data


class Command(BaseCommand):
    help = (
        "Charge les fixtures de la graine dans l’ordre : crée ce qui manque, met à jour ce que l’équipe "
        "n’a pas modifié, ne réécrit jamais une modification de l’équipe. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=FIXTURES_DIR, help="Dossier des fixtures.")

    def handle(self, *args, fixtures, verbosity, **options):
        try:
            report = load_seed_data(fixtures)
        except (OSError, ValueError) as error:
            raise CommandError(f"Les fixtures ne peuvent pas être chargées : {error}") from error
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
        if verbosity >= 2:
            for line in report.details:
                self.stdout.write(line)
