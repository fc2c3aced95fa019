"""Compile fixtures/sources/*.csv into the seed fixtures (fixtures/*.json)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.seed import FIXTURES_DIR, SOURCES_DIR
from directory.seed.build import build_fixtures


class Command(BaseCommand):
    help = "Construit les fixtures de la graine (fixtures/*.json) à partir de fixtures/sources/*.csv."

    def add_arguments(self, parser):
        parser.add_argument("--sources", type=Path, default=SOURCES_DIR, help="Dossier des CSV sources.")
        parser.add_argument("--output", type=Path, default=FIXTURES_DIR, help="Dossier où écrire les fixtures.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="N’écrit rien ; échoue si les fixtures du dossier de sortie ne sont pas à jour.",
        )

    def handle(self, *args, sources, output, check, verbosity, **options):
        try:
            files, report = build_fixtures(sources)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Les sources ne peuvent pas être compilées : {error}") from error

        if check:
            stale = [
                name
                for name, text in files.items()
                if not (output / name).is_file() or (output / name).read_text(encoding="utf-8") != text
            ]
            if stale:
                raise CommandError(
                    f"Fixtures pas à jour : {', '.join(stale)}. Lancez « manage.py build_seed_fixtures »."
                )
            if verbosity:
                self.stdout.write(f"Les {len(files)} fixtures de {output} sont à jour.")
            return

        output.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = output / name
            previous = path.read_text(encoding="utf-8") if path.is_file() else None
            if previous != text:
                path.write_text(text, encoding="utf-8")
            if verbosity:
                state = "créé" if previous is None else ("mis à jour" if previous != text else "inchangé")
                self.stdout.write(f"{path} : {state}")
        if verbosity:
            for line in report.lines():
                self.stdout.write(line)
