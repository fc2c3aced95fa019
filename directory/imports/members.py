"""Import organisations and their memberships from a CSV file: check every row, preview, then write.

`plan_import()` reads the whole file, checks each row against the database (loaded once into
dicts: a few queries whatever the size of the file) and returns an `ImportPlan`: what would be
created, updated or left unchanged, and every bad row with its line number and reason.
`apply_plan()` writes a valid plan with bulk queries in one transaction. Importing the same file
twice changes nothing the second time: unchanged rows are counted, not written.

A blank optional cell means « not given »: it never erases what the directory already holds.
"""

import datetime
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.caching import bump_site_version
from directory.imports.reader import ImportFileError, open_csv, read_rows
from directory.models import (
    Cluster,
    Department,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    OrganisationSize,
)
from directory.validators import MIN_YEAR, validate_past_year, validate_siren

COLUMNS = [
    "siren",
    "nom",
    "type",
    "taille",
    "commune",
    "code_departement",
    "site_web",
    "cluster",
    "role",
    "annee_adhesion",
    "diffusible",
]
REQUIRED_COLUMNS = ["siren", "nom", "code_departement", "cluster"]

# Beyond this a preview page is unreadable anyway; the count of errors stays exact.
MAX_ERRORS_KEPT = 1000
# Keeps the preview and the confirmation each well inside a web server's 30-second timeout
# (80,000 rows take about 10 s on two cores: see benchmarks/import_members.py).
MAX_ROWS = 100_000
BATCH_SIZE = 2000

# Organisation fields the file can set, with their value when a new organisation leaves them blank.
ORGANISATION_DEFAULTS = {
    "name": "",
    "kind": OrganisationKind.COMPANY,
    "size": "",
    "city": "",
    "department_id": None,
    "website": "",
    "publicly_named": True,
}
MEMBERSHIP_DEFAULTS = {"role": MembershipRole.MEMBER, "year_joined": None}

BOOLEANS = {
    "oui": True, "o": True, "vrai": True, "1": True, "true": True, "yes": True, "x": True,
    "non": False, "n": False, "faux": False, "0": False, "false": False, "no": False,
}  # fmt: skip

# Words offices write that are neither the stored value nor the label.
ALIASES = {
    OrganisationKind: {
        "societe": "entreprise", "universite": "enseignement", "ecole": "enseignement",
        "labo": "laboratoire", "laboratoire": "laboratoire",
    },
    OrganisationSize: {"tpe": "micro", "microentreprise": "micro", "ge": "grande", "grand groupe": "grande"},
    MembershipRole: {"membre fondateur": "fondateur", "administrateur": "conseil", "ca": "conseil"},
}  # fmt: skip

# A subset of what Django's URLValidator accepts, a hundred times faster on 80,000 rows.
WEBSITE_REGEX = re.compile(
    r"^https?://(?:[^\W_](?:(?:[^\W_]|-)*[^\W_])?\.)+[^\W\d_]{2,63}(?::\d{1,5})?(?:[/?#]\S*)?$", re.IGNORECASE
)

NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length
CITY_MAX_LENGTH = Organisation._meta.get_field("city").max_length
WEBSITE_MAX_LENGTH = Organisation._meta.get_field("website").max_length

UNKNOWN_KIND = gettext_lazy("Type d’organisation inconnu : « %(value)s » (attendu : %(expected)s).")
UNKNOWN_SIZE = gettext_lazy("Taille inconnue : « %(value)s » (attendu : %(expected)s).")
UNKNOWN_ROLE = gettext_lazy("Rôle inconnu : « %(value)s » (attendu : %(expected)s).")


def is_valid_siren(siren):
    """The common case, fast: nine digits and a Luhn check digit. Errors are worded by validate_siren."""
    if len(siren) != 9 or not siren.isascii() or not siren.isdigit():
        return False
    # Luhn from the right: odd positions as they are, even positions doubled (digits summed).
    total = sum(map(int, siren[::-2])) + sum(LUHN_DOUBLED[digit] for digit in siren[-2::-2])
    return total % 10 == 0


LUHN_DOUBLED = {str(digit): (2 * digit) % 9 if digit != 9 else 9 for digit in range(10)}


@functools.lru_cache(maxsize=4096)
def simplify(text):
    """Case, accents, apostrophes and hyphens aside: « Membre du conseil d’administration »."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    for char in "’'-_.":
        text = text.replace(char, " ")
    return " ".join(text.split())


def choice_lookup(choices):
    """{simplified stored value or French or English label: stored value}."""
    lookup = {}
    for language in ("en", "fr"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[simplify(str(label))] = value
    for value in choices.values:
        lookup[simplify(value)] = value
    for alias, value in ALIASES.get(choices, {}).items():
        lookup[simplify(alias)] = value
    return lookup


def name_key(name):
    return " ".join(name.casefold().split())


@dataclass
class RowError:
    line: int
    column: str
    value: str
    message: str

    def as_dict(self):
        return {"line": self.line, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class ImportPlan:
    row_count: int = 0
    text: str = ""
    encoding: str = ""
    delimiter: str = ""
    errors: list = field(default_factory=list)
    error_count: int = 0
    organisations_to_create: list = field(default_factory=list)
    organisations_to_update: list = field(default_factory=list)
    organisation_fields_to_update: set = field(default_factory=set)
    organisations_unchanged: int = 0
    memberships_to_create: list = field(default_factory=list)
    memberships_to_update: list = field(default_factory=list)
    membership_fields_to_update: set = field(default_factory=set)
    memberships_unchanged: int = 0

    @property
    def is_valid(self):
        return self.error_count == 0

    def add_error(self, line, column, value, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(line, column, str(value)[:80], str(message)))

    def counts(self):
        return {
            "organisations_created": len(self.organisations_to_create),
            "organisations_updated": len(self.organisations_to_update),
            "organisations_unchanged": self.organisations_unchanged,
            "memberships_created": len(self.memberships_to_create),
            "memberships_updated": len(self.memberships_to_update),
            "memberships_unchanged": self.memberships_unchanged,
        }


@dataclass
class FileOrganisation:
    """One organisation of the file, however many rows name it."""

    line: int
    values: dict
    siren: str = ""
    pk: int | None = None  # known once the organisation exists in the database
    slug: str = ""


class RowParser:
    """Turns a row of cells into checked model values, recording each bad cell in the plan."""

    def __init__(self, plan):
        self.this_year = datetime.date.today().year
        self.plan = plan
        self.departments = dict(Department.objects.values_list("insee_code", "id"))
        self.clusters = dict(Cluster.objects.values_list("slug", "id"))
        self.kinds = choice_lookup(OrganisationKind)
        self.sizes = choice_lookup(OrganisationSize)
        self.roles = choice_lookup(MembershipRole)

    def error(self, line, column, value, message):
        self.plan.add_error(line, column, value, message)

    def choice(self, line, row, column, lookup, choices, message):
        value = row.get(column, "")
        if not value:
            return None
        stored = lookup.get(simplify(value))
        if stored is None:
            with translation.override("fr"):
                expected = ", ".join(str(label) for label in choices.labels)
            self.error(line, column, value, str(message) % {"value": value, "expected": expected})
        return stored

    def text(self, line, row, column, max_length):
        value = row.get(column, "")
        if len(value) > max_length:
            self.error(
                line, column, value,
                _("Trop long : %(length)s caractères (au plus %(max)s).") % {"length": len(value), "max": max_length},
            )  # fmt: skip
            return None
        return value

    def parse(self, line, row):
        """(siren, organisation values given, cluster id or None, membership values given), or None if bad."""
        errors_before = self.plan.error_count
        organisation, membership = {}, {}

        siren = "".join(row.get("siren", "").replace("\u00a0", " ").split())
        if siren and not is_valid_siren(siren):
            try:
                validate_siren(siren)
            except ValidationError as error:
                self.error(line, "siren", row.get("siren", ""), error.messages[0])

        name = self.text(line, row, "nom", NAME_MAX_LENGTH)
        if name == "":
            self.error(line, "nom", "", _("Le nom de l’organisation est obligatoire."))
        elif name:
            organisation["name"] = name

        kind = self.choice(line, row, "type", self.kinds, OrganisationKind, UNKNOWN_KIND)
        if kind:
            organisation["kind"] = kind
        size = self.choice(line, row, "taille", self.sizes, OrganisationSize, UNKNOWN_SIZE)
        if size:
            organisation["size"] = size

        city = self.text(line, row, "commune", CITY_MAX_LENGTH)
        if city:
            organisation["city"] = city

        code = row.get("code_departement", "").upper()
        if code:
            if code.isdigit() and len(code) == 1:
                code = code.zfill(2)  # a spreadsheet drops the leading zero of « 01 »
            if code in self.departments:
                organisation["department_id"] = self.departments[code]
            else:
                self.error(
                    line, "code_departement", row["code_departement"],
                    _("Département inconnu : « %(value)s » (code INSEE attendu : 01, 2A, 971…).")
                    % {"value": row["code_departement"]},
                )  # fmt: skip

        website = self.text(line, row, "site_web", WEBSITE_MAX_LENGTH)
        if website:
            if "://" not in website:
                website = f"https://{website}"
            if WEBSITE_REGEX.match(website):
                organisation["website"] = website
            else:
                self.error(line, "site_web", row["site_web"], _("Adresse de site web invalide."))

        publicly_named = row.get("diffusible", "")
        if publicly_named:
            if simplify(publicly_named) in BOOLEANS:
                organisation["publicly_named"] = BOOLEANS[simplify(publicly_named)]
            else:
                self.error(
                    line, "diffusible", publicly_named,
                    _("Valeur inconnue : « %(value)s » (attendu : oui ou non).") % {"value": publicly_named},
                )  # fmt: skip

        cluster_id = None
        slug = row.get("cluster", "")
        if slug:
            cluster_id = self.clusters.get(slug, self.clusters.get(slug.lower()))
            if cluster_id is None:
                self.error(line, "cluster", slug, _("Cluster inconnu : « %(value)s » (slug attendu).") % {"value": slug})

        role = self.choice(line, row, "role", self.roles, MembershipRole, UNKNOWN_ROLE)
        if role:
            membership["role"] = role
        year = row.get("annee_adhesion", "")
        if year:
            try:
                membership["year_joined"] = int(year)
                if not MIN_YEAR <= membership["year_joined"] <= self.this_year:
                    validate_past_year(membership["year_joined"])
            except ValueError:
                self.error(line, "annee_adhesion", year, _("Année impossible : « %(value)s ».") % {"value": year})
            except ValidationError as error:
                self.error(line, "annee_adhesion", year, error.messages[0])
        if membership and not slug:
            self.error(
                line, "cluster", "", _("Un rôle ou une année d’adhésion est donné sans cluster.")
            )

        if self.plan.error_count > errors_before:
            return None
        return siren, organisation, cluster_id, membership


class ExistingOrganisations:
    """Every organisation of the directory, loaded once, found by SIREN or by name and département."""

    FIELDS = ["id", "slug", "siren", *ORGANISATION_DEFAULTS]

    def __init__(self):
        self.by_id = {}
        self.by_siren = {}
        self.by_name = defaultdict(list)
        self.slugs = set()
        self.claimed = set()
        for values in Organisation.objects.values(*self.FIELDS).iterator(chunk_size=BATCH_SIZE):
            self.by_id[values["id"]] = values
            self.slugs.add(values["slug"])
            if values["siren"]:
                self.by_siren[values["siren"]] = values
            self.by_name[(name_key(values["name"]), values["department_id"])].append(values)

    def find(self, siren, name, department_id):
        """(existing values or None, error message or None)."""
        if siren and siren in self.by_siren:
            return self.by_siren[siren], None
        same_name = self.by_name.get((name_key(name), department_id), [])
        if siren:
            # A member first listed without its SIREN gains it instead of being listed twice.
            candidates = [values for values in same_name if not values["siren"] and values["id"] not in self.claimed]
            if len(candidates) == 1:
                self.claimed.add(candidates[0]["id"])
                return candidates[0], None
            return None, None
        if len(same_name) > 1:
            return None, _(
                "Plusieurs organisations portent ce nom dans ce département : donnez son SIREN pour la désigner."
            )
        return (same_name[0] if same_name else None), None

    def unique_slug(self, name):
        base = slugify(name)[:200].strip("-") or "organisation"
        slug, number = base, 2
        while slug in self.slugs:
            slug = f"{base}-{number}"
            number += 1
        self.slugs.add(slug)
        return slug


def plan_import(data: bytes | str) -> ImportPlan:
    """Check the whole file and work out what importing it would change. Writes nothing.

    Raises ImportFileError when the file as a whole cannot be read (encoding, header).
    """
    csv_file = open_csv(data)
    plan = ImportPlan(text=csv_file.text, encoding=csv_file.encoding, delimiter=csv_file.delimiter)
    parser = RowParser(plan)
    file_organisations = {}  # identity key -> FileOrganisation
    file_memberships = {}  # (identity key, cluster id) -> (line, membership values)
    for line, row in read_rows(csv_file, REQUIRED_COLUMNS, COLUMNS):
        plan.row_count += 1
        if plan.row_count > MAX_ROWS:
            raise ImportFileError(
                _("Le fichier compte plus de %(max)s lignes : découpez-le en plusieurs fichiers.")
                % {"max": f"{MAX_ROWS:,}".replace(",", "\u202f")}
            )
        parsed = parser.parse(line, row)
        if parsed is None:
            continue
        siren, values, cluster_id, membership = parsed
        key = ("siren", siren) if siren else ("name", name_key(values["name"]), values.get("department_id"))
        known = file_organisations.get(key)
        if known is None:
            file_organisations[key] = FileOrganisation(line=line, values=values, siren=siren)
        else:
            differing = [name for name, value in values.items() if known.values.get(name, value) != value]
            if differing:
                plan.add_error(
                    line, "nom", values["name"],
                    _("Cette organisation figure déjà ligne %(line)s avec d’autres informations (%(fields)s).")
                    % {"line": known.line, "fields": ", ".join(differing)},
                )  # fmt: skip
                continue
            known.values.update(values)
        membership_key = (key, cluster_id)
        if membership_key in file_memberships:
            first_line = file_memberships[membership_key][0]
            plan.add_error(
                line, "cluster" if cluster_id else "nom", row.get("cluster") or values["name"],
                _("Doublon de la ligne %(line)s.") % {"line": first_line},
            )  # fmt: skip
            continue
        file_memberships[membership_key] = (line, membership)

    if plan.row_count == 0:
        plan.add_error(1, "", "", _("Le fichier ne contient aucune ligne de données."))
    if not plan.is_valid:
        return plan

    existing = ExistingOrganisations()
    for item in file_organisations.values():
        found, problem = existing.find(item.siren, item.values["name"], item.values.get("department_id"))
        if problem:
            plan.add_error(item.line, "nom", item.values["name"], problem)
            continue
        if found is None:
            item.slug = existing.unique_slug(item.values["name"])
            plan.organisations_to_create.append(item)
            continue
        item.pk = found["id"]
        wanted = {**item.values, "siren": item.siren} if item.siren else item.values
        changed = {name: value for name, value in wanted.items() if found[name] != value}
        if changed:
            plan.organisations_to_update.append({**found, **changed})
            plan.organisation_fields_to_update.update(changed)
        else:
            plan.organisations_unchanged += 1
    if not plan.is_valid:
        return plan

    cluster_ids = {cluster_id for _key, cluster_id in file_memberships if cluster_id}
    existing_memberships = {
        (values["cluster_id"], values["organisation_id"]): values
        for values in Membership.objects.filter(cluster_id__in=cluster_ids)
        .values("id", "cluster_id", "organisation_id", "role", "year_joined")
        .iterator(chunk_size=BATCH_SIZE)
    }
    for (key, cluster_id), (_line, values) in file_memberships.items():
        if cluster_id is None:
            continue
        organisation = file_organisations[key]
        found = existing_memberships.get((cluster_id, organisation.pk)) if organisation.pk else None
        if found is None:
            plan.memberships_to_create.append((organisation, cluster_id, values))
            continue
        changed = {name: value for name, value in values.items() if found[name] != value}
        if changed:
            plan.memberships_to_update.append({**found, **changed})
            plan.membership_fields_to_update.update(changed)
        else:
            plan.memberships_unchanged += 1
    return plan


def insert_rows(model, values_list, key=None):
    """Insert new rows, given as dicts of field attnames: COPY on PostgreSQL, bulk_create elsewhere.

    Returns the new primary keys in order when `key` names a unique field to find them by.
    Django's bulk_create spends most of an 80,000-row import preparing each value in Python;
    COPY lets psycopg send them as they are. Fields the import does not set get their default,
    prepared once for all rows, so a field added to the model later is still filled in.
    """
    if not values_list:
        return []
    if connection.vendor != "postgresql":
        instances = model.objects.bulk_create([model(**values) for values in values_list], batch_size=BATCH_SIZE)
        return [instance.pk for instance in instances]
    now = timezone.now()
    given = set(values_list[0])
    columns, constants = [], {}
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.generated:
            continue
        if model_field.attname not in given:
            if model_field.db_default is not NOT_PROVIDED:
                continue  # the database fills it in
            timestamp = getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
            default = now if timestamp else model_field.get_default()
            constants[model_field.attname] = model_field.get_db_prep_save(default, connection)
        columns.append(model_field)
    names = [model_field.attname for model_field in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    copy_sql = f"COPY {table} ({', '.join(quote(model_field.column) for model_field in columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        with cursor.cursor.copy(copy_sql) as copy:
            for values in values_list:
                copy.write_row([values[name] if name in values else constants[name] for name in names])
        if key is None:
            return []
        column = quote(model._meta.get_field(key).column)
        keys = [values[key] for values in values_list]
        cursor.execute(f"SELECT {column}, {quote(model._meta.pk.column)} FROM {table} WHERE {column} = ANY(%s)", [keys])
        ids = dict(cursor.fetchall())
    return [ids[value] for value in keys]


WRITTEN_COUNTS = ("organisations_created", "organisations_updated", "memberships_created", "memberships_updated")


def apply_plan(plan: ImportPlan) -> dict:
    """Write a valid plan in one transaction; returns the counts written."""
    if not plan.is_valid:
        raise ValueError("An import plan with errors is never applied.")
    now = timezone.now()
    with transaction.atomic():
        new_ids = insert_rows(
            Organisation,
            [
                {**ORGANISATION_DEFAULTS, **item.values, "siren": item.siren, "slug": item.slug}
                for item in plan.organisations_to_create
            ],
            key="slug",
        )
        for item, pk in zip(plan.organisations_to_create, new_ids, strict=True):
            item.pk = pk
        if plan.organisations_to_update:
            Organisation.objects.bulk_update(
                [Organisation(**values, updated_at=now) for values in plan.organisations_to_update],
                [*sorted(plan.organisation_fields_to_update), "updated_at"],
                batch_size=BATCH_SIZE,
            )
        insert_rows(
            Membership,
            [
                {**MEMBERSHIP_DEFAULTS, **values, "cluster_id": cluster_id, "organisation_id": item.pk}
                for item, cluster_id, values in plan.memberships_to_create
            ],
        )
        if plan.memberships_to_update:
            Membership.objects.bulk_update(
                [Membership(**values) for values in plan.memberships_to_update],
                sorted(plan.membership_fields_to_update),
                batch_size=BATCH_SIZE,
            )
        # COPY and bulk writes send no signal: the names the cluster pages list are copied here.
        renamed = {values["id"] for values in plan.organisations_to_update}
        joined = {item.pk for item, _cluster_id, _values in plan.memberships_to_create}
        organisation_ids = sorted(renamed | joined)
        for start in range(0, len(organisation_ids), BATCH_SIZE):
            batch = organisation_ids[start : start + BATCH_SIZE]
            Membership.objects.filter(organisation_id__in=batch).refresh_listed_names()
        if any(plan.counts()[name] for name in WRITTEN_COUNTS):
            # COPY and bulk writes send no signal: cached public pages must learn of them here.
            bump_site_version()
    return plan.counts()
