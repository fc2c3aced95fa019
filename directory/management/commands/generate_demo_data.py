"""Fill the directory with national-scale demo data (or remove it): a thin command over directory.demo."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory.demo import DemoDataError, delete_demo_data, generate_demo_data


class TextProgress:
    """A plain-text progress bar on stderr, one line per step, redrawn in place when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, stream, enabled=True):
        self.stream = stream
        self.enabled = enabled
        self.interactive = enabled and stream.isatty()
        self.current = None

    def __call__(self, label, done, total):
        if not self.enabled:
            return
        finished = done >= total
        if not self.interactive and not finished:
            return
        filled = self.WIDTH if not total else self.WIDTH * done // total
        percent = 100 if not total else 100 * done // total
        line = f"{label:<28} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {percent:3d} % ({done}/{total})"
        self.stream.write(("\r" if self.interactive else "") + line + ("\n" if finished else ""), ending="")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Ajoute des données de démonstration à l’échelle nationale : des clusters publiés fictifs jusqu’à "
        "--clusters au total, --members organisations fictives et leurs adhésions, toutes marquées comme "
        "démonstration. --delete les supprime, et rien d’autre. Refuse de tourner sans DEBUG, sauf --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, default=400, help="Clusters publiés au total (réels compris).")
        parser.add_argument("--members", type=int, default=80_000, help="Organisations fictives à créer.")
        parser.add_argument(
            "--memberships", type=int, default=None, help="Adhésions à créer (par défaut 1,25 par organisation)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Graine du tirage : même graine, mêmes données.")
        parser.add_argument("--delete", action="store_true", help="Supprime les données de démonstration.")
        parser.add_argument("--force", action="store_true", help="Tourne même avec DEBUG désactivé.")

    def handle(self, *args, clusters, members, memberships, seed, delete, force, verbosity, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : ce serait peut-être la production. "
                "Ajoutez --force si vous voulez vraiment des données de démonstration ici."
            )
        if delete:
            counts = delete_demo_data()
            self.stdout.write(
                "Données de démonstration supprimées : "
                + ", ".join(f"{count} {name}" for name, count in counts.items())
            )
            return
        if clusters < 0 or members < 0 or (memberships is not None and memberships < 0):
            raise CommandError("Les nombres doivent être positifs.")
        started = time.monotonic()
        progress = TextProgress(self.stderr, verbosity >= 1)
        try:
            report = generate_demo_data(
                clusters=clusters, members=members, seed=seed, memberships=memberships, progress=progress
            )
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(f"Terminé en {time.monotonic() - started:.1f} s.")
