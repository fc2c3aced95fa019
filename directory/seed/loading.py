"""Load the seed fixtures into a database staff may already have edited.

Each seeded object has a SeedRecord: its seed key, its row id, and the values the seed last
wrote. On a reload a field is refreshed only while its current value still equals that recorded
value; a field staff changed is theirs from then on (listed in the record's « staff » fields), and
an object staff deleted is not brought back. A cluster staff archived or unpublished therefore stays
so. Run twice, the second run writes nothing.
"""

import datetime
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django_countries.fields import CountryField

from directory.models import (
    Cluster,
    ClusterSource,
    Department,
    Label,
    Participation,
    Programme,
    Region,
    Sector,
    SeedRecord,
)
from directory.seed import FIXTURE_FILES, FIXTURES_DIR

# Timestamps belong to the database, not to the seed.
UNMANAGED_FIELDS = {"created_at", "updated_at"}


@dataclass
class ModelSpec:
    model: type
    label: str
    # Fields that identify the object in the fixture (the seed key) and in a database
    # that got it some other way (plain loaddata, or staff typing it in).
    key_fields: tuple
    # Fields written in a second pass, once every object of the model exists.
    deferred: tuple = ()


SPECS = {
    "directory.region": ModelSpec(Region, "Régions", ("insee_code",)),
    "directory.department": ModelSpec(Department, "Départements", ("insee_code",)),
    "directory.sector": ModelSpec(Sector, "Secteurs", ("slug",)),
    "directory.cluster": ModelSpec(Cluster, "Clusters", ("slug",), deferred=("successor",)),
    "directory.clustersource": ModelSpec(ClusterSource, "Sources de clusters", ("cluster", "url")),
    "directory.programme": ModelSpec(Programme, "Programmes", ("slug",)),
    "directory.participation": ModelSpec(Participation, "Participations", ("programme", "cluster")),
    "directory.label": ModelSpec(
        Label, "Labels", ("cluster", "name", "level", "awarded_on", "valid_until")
    ),
}


def check_cluster_geography(clusters):
    """What Cluster.save() enforces, for rows written in bulk: the département gives the region."""
    regions = dict(Department.objects.values_list("pk", "region_id"))
    for cluster in clusters:
        if cluster.department_id is None:
            continue
        if cluster.region_id is None:
            cluster.region_id = regions[cluster.department_id]
        elif cluster.region_id != regions[cluster.department_id]:
            raise ValidationError(f"{cluster.name} : le département n’appartient pas à la région du siège.")


class Unresolved(Exception):
    """A fixture refers to an object the database does not have (for instance, staff deleted it)."""


@dataclass
class LoadReport:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    unmatched: list = field(default_factory=list)
    details: list = field(default_factory=list)

    def count(self, spec, what, number=1):
        self.counts[spec.label][what] += number

    def total(self, what):
        return sum(counter[what] for counter in self.counts.values())

    def lines(self):
        lines = []
        for label, counter in self.counts.items():
            lines.append(
                f"{label} : {counter['created']} créés, {counter['updated']} mis à jour, "
                f"{counter['unchanged']} inchangés, {counter['skipped']} ignorés, "
                f"{counter['kept']} champs modifiés par l’équipe conservés"
            )
        if self.unmatched:
            lines.append(f"Non rapprochés ({len(self.unmatched)}) :")
            lines.extend(f"  - {message}" for message in self.unmatched)
        return lines


def comparable(model_field, value):
    """A JSON value that compares equal when the database holds the same thing."""
    if value is None:
        return None
    if isinstance(model_field, CountryField):
        return model_field.get_prep_value(value)
    if isinstance(model_field, models.DecimalField):
        quantum = Decimal(1).scaleb(-model_field.decimal_places)
        return str(Decimal(str(value)).quantize(quantum))
    if isinstance(model_field, models.DateField) and isinstance(value, datetime.date):
        return value.isoformat()
    return value


class SeedLoader:
    def __init__(self, fixtures_dir=FIXTURES_DIR):
        self.fixtures_dir = Path(fixtures_dir)
        self.report = LoadReport()
        # (model label, fixture pk) → seed key, and seed key → database pk, per model.
        self.fixture_keys = {}
        self.db_pks = defaultdict(dict)
        self.created = set()
        self.natural_pks = {}
        self.bulk_created = False

    def read_fixtures(self):
        objects = defaultdict(list)
        for name in FIXTURE_FILES:
            with open(self.fixtures_dir / name, encoding="utf-8") as handle:
                for item in json.load(handle):
                    objects[item["model"]].append(item)
        return objects

    # --- seed keys and references ---------------------------------------------------------

    def key_part(self, spec, name, raw):
        model_field = spec.model._meta.get_field(name)
        if model_field.is_relation:
            return self.fixture_keys[(model_field.related_model._meta.label_lower, raw)]
        return "" if raw is None else str(raw)

    def seed_key(self, spec, item):
        return " | ".join(self.key_part(spec, name, item["fields"][name]) for name in spec.key_fields)

    def resolve(self, model_field, raw):
        """The database pk a fixture reference designates: a natural key or a fixture pk."""
        if raw is None:
            return None
        related = model_field.related_model
        if isinstance(raw, list):
            cache_key = (related._meta.label_lower, tuple(raw))
            if cache_key not in self.natural_pks:
                try:
                    self.natural_pks[cache_key] = related._default_manager.get_by_natural_key(*raw).pk
                except related.DoesNotExist as error:
                    raise Unresolved(f"{related._meta.verbose_name} {raw[0]}") from error
            return self.natural_pks[cache_key]
        key = self.fixture_keys[(related._meta.label_lower, raw)]
        pk = self.db_pks[related._meta.label_lower].get(key)
        if pk is None:
            raise Unresolved(f"{related._meta.verbose_name} « {key} »")
        return pk

    def desired_values(self, spec, item, names):
        """{field: comparable value} and {m2m field: sorted pks} the fixture asks for."""
        values, many = {}, {}
        for name in names:
            raw = item["fields"][name]
            model_field = spec.model._meta.get_field(name)
            if model_field.many_to_many:
                many[name] = sorted(self.resolve(model_field, value) for value in raw)
            elif model_field.is_relation:
                values[name] = self.resolve(model_field, raw)
            else:
                values[name] = comparable(model_field, model_field.to_python(raw))
        return values, many

    @staticmethod
    def current_value(obj, name):
        model_field = obj._meta.get_field(name)
        if model_field.many_to_many:
            return sorted(getattr(obj, name).values_list("pk", flat=True))
        return comparable(model_field, getattr(obj, model_field.attname))

    @staticmethod
    def assign(obj, name, value):
        model_field = obj._meta.get_field(name)
        if isinstance(model_field, models.DateField) and value is not None:
            value = datetime.date.fromisoformat(value)
        elif isinstance(model_field, models.DecimalField) and value is not None:
            value = Decimal(value)
        setattr(obj, model_field.attname, value)

    # --- one object ----------------------------------------------------------------------

    def index_existing(self, spec):
        """{key field values: pk} of the rows already in the database, to adopt them in one query."""
        key_fields = [spec.model._meta.get_field(name) for name in spec.key_fields]
        rows = spec.model._default_manager.values_list(*(f.attname for f in key_fields), "pk")
        return {
            tuple(comparable(f, value) for f, value in zip(key_fields, row[:-1], strict=True)): row[-1] for row in rows
        }

    def adopt(self, spec, values, existing_index):
        """An object the seed never recorded but the database has: loaded by plain loaddata, or typed in."""
        pk = existing_index.get(tuple(values[name] for name in spec.key_fields))
        return spec.model._default_manager.get(pk=pk) if pk is not None else None

    def create_batch(self, spec, pending):
        """Create the objects the database lacks in a few bulk writes (no per-row signal: see load())."""
        if not pending:
            return
        model_label = spec.model._meta.label_lower
        objs = []
        for _key, values, _many in pending:
            obj = spec.model()
            for name, value in values.items():
                self.assign(obj, name, value)
            objs.append(obj)
        try:
            with transaction.atomic():
                if spec.model is Cluster:
                    check_cluster_geography(objs)
                spec.model._default_manager.bulk_create(objs)
                for name in pending[0][2]:
                    relation = spec.model._meta.get_field(name)
                    through = relation.remote_field.through
                    source, target = f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
                    through.objects.bulk_create(
                        [
                            through(**{source: obj.pk, target: pk})
                            for obj, (_key, _values, many) in zip(objs, pending, strict=True)
                            for pk in many[name]
                        ]
                    )
                SeedRecord.objects.bulk_create(
                    [
                        SeedRecord(
                            model=model_label, key=key, object_id=obj.pk, values={"fields": {**values, **many}, "staff": []}
                        )
                        for obj, (key, values, many) in zip(objs, pending, strict=True)
                    ]
                )
        except (ValidationError, IntegrityError):
            # One row is at fault: create them one by one, so only that one is reported and left out.
            for key, values, many in pending:
                pk = self.apply(spec, key, values, many, None, None, first_pass=True)
                if pk is not None:
                    self.db_pks[model_label][key] = pk
            return
        self.bulk_created = True
        for obj, (key, _values, _many) in zip(objs, pending, strict=True):
            self.db_pks[model_label][key] = obj.pk
            self.created.add((model_label, key))
            self.report.count(spec, "created")
            self.report.details.append(f"créé : {spec.label} « {key} »")

    def apply(self, spec, key, values, many, record, obj, first_pass):
        """Create or refresh one object; returns its pk, or None when it is left out."""
        model_label = spec.model._meta.label_lower
        if record is None and obj is None:
            if not first_pass:
                return None
            obj = spec.model()
            for name, value in values.items():
                self.assign(obj, name, value)
            if not self.save(spec, key, obj, None):
                return None
            for name, pks in many.items():
                getattr(obj, name).set(pks)
            SeedRecord.objects.create(
                model=model_label, key=key, object_id=obj.pk, values={"fields": {**values, **many}, "staff": []}
            )
            self.report.count(spec, "created")
            self.created.add((model_label, key))
            self.report.details.append(f"créé : {spec.label} « {key} »")
            return obj.pk

        adopted = record is None
        stored = record.values if record else {"fields": {}, "staff": []}
        seeded = stored.get("fields", {})
        staff = set(stored.get("staff", []))
        changed, changed_many = [], {}
        for name, wanted in {**values, **many}.items():
            current = self.current_value(obj, name)
            if current == wanted:
                continue
            # Staff own a field once they have changed it; a field the seed never wrote before is the seed's.
            if adopted or name in staff or (name in seeded and current != seeded[name]):
                staff.add(name)
                self.report.count(spec, "kept")
                continue
            if name in many:
                changed_many[name] = wanted
            else:
                self.assign(obj, name, wanted)
                changed.append(name)

        if (model_label, key) in self.created and changed and not changed_many:
            # Second pass over a row created by this run in bulk: finish it the same quiet way.
            spec.model._default_manager.filter(pk=obj.pk).update(
                **{obj._meta.get_field(name).attname: getattr(obj, obj._meta.get_field(name).attname) for name in changed}
            )
        elif changed or changed_many:
            timestamps = [f.name for f in obj._meta.concrete_fields if f.name == "updated_at"]
            if not self.save(spec, key, obj, changed + timestamps):
                return obj.pk
            for name, pks in changed_many.items():
                getattr(obj, name).set(pks)
            if (model_label, key) not in self.created:
                self.report.count(spec, "updated")
                self.report.details.append(
                    f"mis à jour : {spec.label} « {key} » ({', '.join(changed + list(changed_many))})"
                )
        elif first_pass:
            self.report.count(spec, "unchanged")

        new_values = {"fields": {**seeded, **values, **many}, "staff": sorted(staff)}
        if record is None:
            SeedRecord.objects.create(model=model_label, key=key, object_id=obj.pk, values=new_values)
        elif record.values != new_values or record.object_id != obj.pk:
            record.values = new_values
            record.object_id = obj.pk
            record.save()
        return obj.pk

    def save(self, spec, key, obj, update_fields):
        try:
            with transaction.atomic():
                obj.save(update_fields=update_fields)
        except (ValidationError, IntegrityError) as error:
            self.report.count(spec, "skipped")
            self.report.unmatched.append(f"{spec.label} « {key} » : non enregistré ({error})")
            return False
        return True

    # --- one model -----------------------------------------------------------------------

    def load_model(self, model_label, items):
        spec = SPECS[model_label]
        managed = [
            name
            for name in items[0]["fields"]
            if name not in UNMANAGED_FIELDS and name not in spec.deferred
        ] if items else []
        records = {
            record.key: record for record in SeedRecord.objects.filter(model=model_label)
        }
        keyed = []
        for item in items:
            try:
                key = self.seed_key(spec, item)
            except KeyError:
                self.report.count(spec, "skipped")
                self.report.unmatched.append(f"{spec.label} : référence absente des fixtures ({item.get('pk')})")
                continue
            if "pk" in item:
                self.fixture_keys[(model_label, item["pk"])] = key
            keyed.append((key, item))

        existing = spec.model._default_manager.in_bulk([r.object_id for r in records.values() if r.object_id])
        existing_index = self.index_existing(spec)
        pending = []
        for key, item in keyed:
            record = records.get(key)
            try:
                values, many = self.desired_values(spec, item, managed)
            except Unresolved as error:
                self.report.count(spec, "skipped")
                self.report.unmatched.append(f"{spec.label} « {key} » : {error} introuvable")
                continue
            if record is not None:
                obj = existing.get(record.object_id)
                if obj is None:
                    # Staff deleted it: the seed does not bring it back.
                    self.report.count(spec, "skipped")
                    self.report.details.append(f"ignoré (supprimé par l’équipe) : {spec.label} « {key} »")
                    continue
            else:
                obj = self.adopt(spec, values, existing_index)
                if obj is None:
                    pending.append((key, values, many))
                    continue
            pk = self.apply(spec, key, values, many, record, obj, first_pass=True)
            if pk is not None:
                self.db_pks[model_label][key] = pk
        self.create_batch(spec, pending)

        if spec.deferred:
            records = {record.key: record for record in SeedRecord.objects.filter(model=model_label)}
            existing = spec.model._default_manager.in_bulk(list(self.db_pks[model_label].values()))
            for key, item in keyed:
                pk = self.db_pks[model_label].get(key)
                if pk is None:
                    continue
                try:
                    values, many = self.desired_values(spec, item, spec.deferred)
                except Unresolved as error:
                    self.report.unmatched.append(f"{spec.label} « {key} » : {error} introuvable")
                    continue
                self.apply(spec, key, values, many, records.get(key), existing[pk], first_pass=False)

    def load(self):
        objects = self.read_fixtures()
        with transaction.atomic():
            for model_label in SPECS:
                self.load_model(model_label, objects.get(model_label, []))
            if self.bulk_created:
                # Bulk writes send no signal: the search columns are refreshed once, through their one path.
                Cluster.objects.all().refresh_search_text()
        return self.report


def load_seed_data(fixtures_dir=FIXTURES_DIR):
    return SeedLoader(fixtures_dir).load()
