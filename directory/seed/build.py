"""Compile `fixtures/sources/*.csv` into the directory's JSON fixtures.

The output depends only on the CSV files: same files, byte-identical fixtures (sorted keys,
objects in slug order, primary keys numbered in that order, fixed timestamps).

Rules (from `fixtures/sources/README.md`):
- one cluster per real cluster, even when several files list it, with every source kept;
- the founding article's clusters (seed_clusters.csv) are published; pôles `high`/`medium` are
  published and `low` are drafts; regional clusters `actif` with `high`/`medium` are published,
  `inconnu` or `low` are drafts, `fusionné dans X` and `dissous` are archived, a merged cluster
  pointing to X (or to X's own last successor) when X is in the directory;
- an empty cell stays empty: a cluster without a known city has no city and no coordinates.
"""

import csv
import datetime
import json
import re
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from directory.models.choices import (
    ClusterKind,
    Confidence,
    DatePrecision,
    Framework,
    LabelKind,
    ParticipationRole,
    PositionPrecision,
    Status,
)
from directory.seed import COMPILED_ON, FIXTURE_TIMESTAMP, SOURCES_DIR
from directory.seed.text import commune_key, name_key, split_cell

SEED, POLE, REGIONAL = "seed", "pole", "regional"
SOURCE_FILES = {
    SEED: "seed_clusters.csv",
    POLE: "poles_de_competitivite.csv",
    REGIONAL: "clusters_regionaux.csv",
}
SOURCE_NOTES = {
    SEED: "Clusters de l’article fondateur (seed_clusters.csv, compilation de novembre 2026)",
    POLE: "Pôles de compétitivité (poles_de_competitivite.csv, compilation de novembre 2026)",
    REGIONAL: "Clusters régionaux (clusters_regionaux.csv, compilation de novembre 2026)",
}
# Which file wins when two files give the same fact: the founding article's rows were checked most closely.
FACT_ORDER = [SEED, POLE, REGIONAL]
# The kind of a pôle is « pôle de compétitivité » whatever another file calls it.
KIND_ORDER = [POLE, SEED, REGIONAL]
# The pôles' and regional files' `theme` is a sentence; the seed's `sectors` is a list of words.
SUMMARY_ORDER = [POLE, REGIONAL, SEED]

CONFIDENCE_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}
PARTICIPATION_ROLES = {
    "coordinator": ParticipationRole.COORDINATOR,
    "co-coordinator": ParticipationRole.CO_COORDINATOR,
    "partner": ParticipationRole.PARTNER,
    "": ParticipationRole.NOT_STATED,
}
# Aliases that name the same structure; a `fusion` alias names another structure that merged into it.
SAME_CLUSTER_RELATIONS = {"graphie", "ancien-nom"}
ALIAS_RELATIONS = SAME_CLUSTER_RELATIONS | {"fusion"}
MERGED_PREFIX = "fusionné dans "


@dataclass
class BuildReport:
    """What the build could not match or had to leave out, grouped for staff."""

    sections: dict = field(default_factory=lambda: defaultdict(list))
    counts: dict = field(default_factory=dict)

    def add(self, section, message):
        self.sections[section].append(message)

    def lines(self):
        lines = [f"{label}: {count}" for label, count in self.counts.items()]
        for section in sorted(self.sections):
            messages = self.sections[section]
            lines.append(f"{section} ({len(messages)}):")
            lines.extend(f"  - {message}" for message in messages)
        return lines


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def partial_date(text, end_of_period=False):
    """« 2019 », « 2019-02 » or « 2019-02-06 » → (date, precision).

    The precision says how much the source gave; the day shown is never invented. An end date
    is stored as the last day of its period, so « valid until 2019 » still holds in December 2019
    and is never before an award in February 2019.
    """
    text = (text or "").strip()
    if not text:
        return None, ""
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        day = datetime.date(parts[0], 12, 31) if end_of_period else datetime.date(parts[0], 1, 1)
        return day, DatePrecision.YEAR
    if len(parts) == 2:
        last = monthrange(parts[0], parts[1])[1] if end_of_period else 1
        return datetime.date(parts[0], parts[1], last), DatePrecision.MONTH
    return datetime.date(*parts), DatePrecision.DAY


def declared_size(text):
    """« ~20 PME (2019) » → (20, 2019). Anything less clear-cut gives (None, None): nothing is guessed.

    « ~1 500 entreprises (2018-2019) » gives 1500 and no year (a range is not one year);
    « 96 entreprises et 16 laboratoires académiques (2019) » gives nothing (two figures).
    """
    match = re.fullmatch(r"~?\s*(\d{1,3}(?:[\s\u00a0\u202f]\d{3})*|\d+)\s+([^\d()]+?)\s*\(([^)]*)\)", (text or "").strip())
    if not match:
        return None, None
    members = int(re.sub(r"\D", "", match.group(1)))
    year = int(match.group(3)) if re.fullmatch(r"\d{4}", match.group(3)) else None
    return members, year


def sentence(text):
    """The source's short French text as a sentence: capital first letter, final full stop."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def decimal5(value):
    return f"{float(value):.5f}"


def dump(objects):
    return json.dumps(objects, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class FixtureBuilder:
    def __init__(self, sources_dir=SOURCES_DIR):
        self.sources_dir = Path(sources_dir)
        self.report = BuildReport()

    def read(self, name):
        return read_csv(self.sources_dir / name)

    # --- editorial tables -------------------------------------------------------------------

    def load_editorial_tables(self):
        self.sectors = self.read("sectors.csv")
        sector_slugs = {row["slug"] for row in self.sectors}
        self.theme_sectors = {}
        for row in self.read("theme_sectors.csv"):
            slugs = split_cell(row["sectors"])
            for slug in slugs:
                if slug not in sector_slugs:
                    raise ValueError(f"theme_sectors.csv: unknown sector « {slug} » for « {row['theme']} »")
            self.theme_sectors[row["theme"].strip()] = slugs
        self.kinds = {row["source_kind"].strip(): row["kind"] for row in self.read("cluster_kinds.csv")}
        for kind in self.kinds.values():
            if kind not in ClusterKind.values:
                raise ValueError(f"cluster_kinds.csv: unknown kind « {kind} »")
        self.frameworks = {row["framework_text"].strip(): row["framework"] for row in self.read("programme_frameworks.csv")}
        for framework in self.frameworks.values():
            if framework not in Framework.values:
                raise ValueError(f"programme_frameworks.csv: unknown framework « {framework} »")
        self.aliases = {}
        for row in self.read("cluster_aliases.csv"):
            if row["relation"] not in ALIAS_RELATIONS:
                raise ValueError(f"cluster_aliases.csv: unknown relation « {row['relation']} »")
            self.aliases[name_key(row["alias"])] = (row["cluster"].strip(), row["relation"])

    # --- geography --------------------------------------------------------------------------

    def build_geography(self):
        regions = self.read("regions.csv")
        departments = self.read("departements.csv")
        self.region_codes = {row["insee_code"] for row in regions}
        self.department_region = {}
        objects = []
        for row in sorted(regions, key=lambda row: row["insee_code"]):
            objects.append(
                {
                    "model": "directory.region",
                    "fields": {"insee_code": row["insee_code"], "name": row["name"], "slug": slugify(row["name"])},
                }
            )
        for row in sorted(departments, key=lambda row: row["insee_code"]):
            if row["region_insee_code"] not in self.region_codes:
                raise ValueError(f"departements.csv: unknown region {row['region_insee_code']} for {row['insee_code']}")
            self.department_region[row["insee_code"]] = row["region_insee_code"]
            objects.append(
                {
                    "model": "directory.department",
                    "fields": {
                        "insee_code": row["insee_code"],
                        "name": row["name"],
                        "slug": slugify(row["name"]),
                        "region": [row["region_insee_code"]],
                    },
                }
            )
        self.report.counts["Régions"] = len(regions)
        self.report.counts["Départements"] = len(departments)
        return objects

    def index_communes(self):
        self.communes = defaultdict(list)
        for row in self.read("communes.csv"):
            region = self.department_region.get(row["departement_code"])
            self.communes[(region, commune_key(row["name"]))].append(row)

    def find_commune(self, city, region_code, cluster_name):
        candidates = self.communes.get((region_code, commune_key(city)), [])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            self.report.add("Villes du siège introuvables", f"{cluster_name} : « {city} » (région {region_code or '?'})")
        else:
            codes = ", ".join(row["insee_code"] for row in candidates)
            self.report.add(
                "Villes du siège ambiguës (non devinées)", f"{cluster_name} : « {city} » ({codes})"
            )
        return None

    def build_sectors(self):
        return [
            {
                "model": "directory.sector",
                "fields": {"name": row["name"], "name_en": row["name_en"], "slug": row["slug"]},
            }
            for row in sorted(self.sectors, key=lambda row: row["slug"])
        ]

    # --- clusters ---------------------------------------------------------------------------

    def group_cluster_rows(self):
        """One group of source rows per real cluster, keyed by its folded name."""
        self.groups = {}
        for origin in FACT_ORDER:
            for row in self.read(SOURCE_FILES[origin]):
                key = name_key(row["name"])
                target, relation = self.aliases.get(key, (None, None))
                if relation in SAME_CLUSTER_RELATIONS:
                    key = name_key(target)
                self.groups.setdefault(key, {}).setdefault(origin, []).append(row)
        for key, rows in self.groups.items():
            for origin, origin_rows in rows.items():
                if len(origin_rows) > 1:
                    raise ValueError(f"{SOURCE_FILES[origin]}: « {origin_rows[0]['name']} » appears twice")

    def resolve(self, name, follow_mergers):
        """The group key of the directory cluster a source name designates, and through which alias."""
        key = name_key(name)
        if key in self.groups:
            return key, ""
        target, relation = self.aliases.get(key, (None, None))
        if relation is None or (relation == "fusion" and not follow_mergers):
            return None, relation or ""
        target_key = name_key(target)
        if target_key not in self.groups:
            raise ValueError(f"cluster_aliases.csv: « {target} » (for « {name} ») is not a cluster of the sources")
        return target_key, relation

    @staticmethod
    def first(rows, origins, column):
        for origin in origins:
            for row in rows.get(origin, []):
                column_name = column(origin) if callable(column) else column
                value = (row.get(column_name) or "").strip()
                if value:
                    return value, origin, row
        return "", None, None

    def cluster_status(self, rows):
        if SEED in rows:
            return Status.PUBLISHED
        if POLE in rows:
            row = rows[POLE][0]
            return Status.DRAFT if row["confidence"] == Confidence.LOW else Status.PUBLISHED
        row = rows[REGIONAL][0]
        state = row["status"].strip()
        if state.startswith(MERGED_PREFIX) or state == "dissous":
            return Status.ARCHIVED
        if state == "actif" and row["confidence"] in (Confidence.HIGH, Confidence.MEDIUM):
            return Status.PUBLISHED
        if state not in ("actif", "inconnu"):
            self.report.add("Statuts inconnus (laissés en brouillon)", f"{row['name']} : « {state} »")
        return Status.DRAFT

    def build_cluster(self, key, rows):
        name, _origin, _row = self.first(rows, FACT_ORDER, "name")
        kind_text, origin, _row = self.first(
            rows, KIND_ORDER, lambda origin: {SEED: "type", REGIONAL: "kind", POLE: "name"}[origin]
        )
        kind = ClusterKind.POLE if origin == POLE else self.kinds.get(kind_text)
        if kind is None:
            self.report.add("Types de cluster inconnus (classés « autre »)", f"{name} : « {kind_text} »")
            kind = ClusterKind.OTHER
        confidences = [row["confidence"] for origin_rows in rows.values() for row in origin_rows]
        confidence = max(confidences, key=lambda value: CONFIDENCE_RANK[value])
        theme, _origin, _row = self.first(rows, SUMMARY_ORDER, lambda origin: "sectors" if origin == SEED else "theme")

        sector_slugs = set()
        for origin, origin_rows in rows.items():
            for row in origin_rows:
                cell = (row["sectors"] if origin == SEED else row["theme"]).strip()
                if not cell:
                    continue
                if cell not in self.theme_sectors:
                    self.report.add("Thèmes sans secteur (theme_sectors.csv)", f"{name} : « {cell} »")
                sector_slugs.update(self.theme_sectors.get(cell, []))

        founded = self.agreed_value(name, rows, "founded_year")
        website = self.agreed_value(name, rows, "website")

        description = []
        declared_members = declared_year = None
        for origin in FACT_ORDER:
            for row in rows.get(origin, []):
                if row["notes"].strip():
                    description.append(sentence(row["notes"]))
                if origin == SEED and row["size"].strip():
                    declared_members, declared_year = declared_size(row["size"])
                    description.append(f"Taille indiquée par la source : {row['size'].strip()}.")

        city, city_origin, city_row = self.first(rows, FACT_ORDER, "hq_city")
        region_code, _origin, _row = self.first(rows, FACT_ORDER, "region_insee_code")
        if region_code and region_code not in self.region_codes:
            raise ValueError(f"{name}: unknown region {region_code}")
        place = {
            "hq_city": "",
            "hq_commune_code": "",
            "department": None,
            "region": [region_code] if region_code else None,
            "latitude": None,
            "longitude": None,
            "position_precision": "",
        }
        if city:
            commune = self.find_commune(city, city_row["region_insee_code"], name)
            place["hq_city"] = city
            if commune:
                department_code = commune["departement_code"]
                place.update(
                    hq_commune_code=commune["insee_code"],
                    department=[department_code],
                    region=[self.department_region[department_code]],
                    latitude=decimal5(commune["latitude"]),
                    longitude=decimal5(commune["longitude"]),
                    position_precision=PositionPrecision.COMMUNE,
                )
                for row in rows.get(SEED, []):
                    stated = row["hq_commune_insee_code"].strip()
                    if stated and stated != commune["insee_code"]:
                        self.report.add(
                            "Conflits entre sources",
                            f"{name} : commune {stated} dans seed_clusters.csv, {commune['insee_code']} trouvée pour « {city} »",
                        )
        postcode, _origin, _row = self.first(rows, [SEED], "hq_postcode")

        sources = {}
        for origin in FACT_ORDER:
            for row in rows.get(origin, []):
                for url in split_cell(row["source_url"]):
                    sources.setdefault(url, [])
                    if SOURCE_NOTES[origin] not in sources[url]:
                        sources[url].append(SOURCE_NOTES[origin])

        return {
            "key": key,
            "rows": rows,
            "fields": {
                "name": name,
                "slug": slugify(name),
                "kind": kind,
                "status": self.cluster_status(rows),
                "confidence": confidence,
                "summary": sentence(theme),
                "summary_en": "",
                "description": "\n\n".join(description),
                "description_en": "",
                "founded_year": int(founded) if founded else None,
                "website": website,
                "email": "",
                "phone": "",
                "address": "",
                "postcode": postcode,
                **place,
                "regions_covered": [],
                "sectors": [[slug] for slug in sorted(sector_slugs)],
                "declared_members": declared_members,
                "declared_employees": None,
                "declared_year": declared_year,
                "successor": None,
                "created_at": FIXTURE_TIMESTAMP,
                "updated_at": FIXTURE_TIMESTAMP,
            },
            "sources": sources,
        }

    def agreed_value(self, name, rows, column):
        """The first value in FACT_ORDER; a disagreement between files is reported, not settled silently."""
        values = {}
        for origin in FACT_ORDER:
            for row in rows.get(origin, []):
                value = (row.get(column) or "").strip()
                if value:
                    values.setdefault(value, origin)
        if len(values) > 1:
            listed = ", ".join(f"{value} ({SOURCE_FILES[origin]})" for value, origin in values.items())
            self.report.add("Conflits entre sources", f"{name} : {column} {listed}")
        return next(iter(values), "")

    def build_clusters(self):
        self.group_cluster_rows()
        clusters = {key: self.build_cluster(key, rows) for key, rows in self.groups.items()}
        slugs = [cluster["fields"]["slug"] for cluster in clusters.values()]
        duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if duplicates:
            raise ValueError(f"two clusters share a slug: {', '.join(duplicates)}")
        ordered = sorted(clusters.values(), key=lambda cluster: cluster["fields"]["slug"])
        for pk, cluster in enumerate(ordered, start=1):
            cluster["pk"] = pk
        self.clusters = clusters
        self.link_successors()

        objects, sources = [], []
        for cluster in ordered:
            objects.append({"model": "directory.cluster", "pk": cluster["pk"], "fields": cluster["fields"]})
            for url in sorted(cluster["sources"]):
                sources.append(
                    {
                        "model": "directory.clustersource",
                        "fields": {
                            "cluster": cluster["pk"],
                            "url": url,
                            "read_on": COMPILED_ON.isoformat(),
                            "note": " ; ".join(cluster["sources"][url]),
                        },
                    }
                )
        for pk, source in enumerate(sources, start=1):
            source["pk"] = pk

        fields = [cluster["fields"] for cluster in ordered]
        self.report.counts["Clusters distincts"] = len(ordered)
        for status, label in [(Status.PUBLISHED, "publiés"), (Status.DRAFT, "en brouillon"), (Status.ARCHIVED, "archivés")]:
            self.report.counts[f"Clusters {label}"] = sum(1 for f in fields if f["status"] == status)
        self.report.counts["Clusters placés sur la carte"] = sum(1 for f in fields if f["latitude"] is not None)
        self.report.counts["Sources de clusters"] = len(sources)
        return objects + sources

    def link_successors(self):
        direct = {}
        for key, cluster in self.clusters.items():
            for row in cluster["rows"].get(REGIONAL, []):
                state = row["status"].strip()
                if not state.startswith(MERGED_PREFIX):
                    continue
                target_name = state[len(MERGED_PREFIX) :].strip()
                target, _relation = self.resolve(target_name, follow_mergers=True)
                if target is None:
                    self.report.add(
                        "Successeurs absents de l’annuaire", f"{cluster['fields']['name']} : fusionné dans « {target_name} »"
                    )
                elif target != key:
                    direct[key] = target
        for key, target in direct.items():
            seen = {key}
            # A chain of mergers points to the last successor.
            while target in direct and target not in seen:
                seen.add(target)
                target = direct[target]
            self.clusters[key]["fields"]["successor"] = self.clusters[target]["pk"]

    # --- programmes and labels --------------------------------------------------------------

    def unmatched(self, section, context, source_name):
        key = name_key(source_name)
        target, relation = self.aliases.get(key, (None, None))
        why = f" (fusionné dans {target} : non rattaché)" if relation == "fusion" else ""
        self.report.add(section, f"{context} : « {source_name} »{why}")

    def build_programmes(self):
        rows = self.read("programmes.csv")
        programmes = []
        for row in rows:
            framework_text = row["framework"].strip()
            if framework_text not in self.frameworks:
                self.report.add("Cadres de programme inconnus (classés « autre »)", f"{row['acronym']} : « {framework_text} »")
            countries = sorted(set(row["partner_countries"].split()))
            programmes.append(
                {
                    "row": row,
                    "fields": {
                        "name": row["name"].strip(),
                        "acronym": row["acronym"].strip(),
                        "slug": slugify(row["acronym"] or row["name"]),
                        "framework": self.frameworks.get(framework_text, Framework.OTHER),
                        "framework_detail": framework_text,
                        "description": "",
                        "description_en": row["notes"].strip(),
                        "start_year": int(row["start_year"]) if row["start_year"].strip() else None,
                        "end_year": int(row["end_year"]) if row["end_year"].strip() else None,
                        "website": row["website"].strip(),
                        "partner_countries": ",".join(countries),
                        "source_urls": "\n".join(split_cell(row["source_url"])),
                        "created_at": FIXTURE_TIMESTAMP,
                        "updated_at": FIXTURE_TIMESTAMP,
                    },
                }
            )
        programmes.sort(key=lambda programme: programme["fields"]["slug"])
        slugs = [programme["fields"]["slug"] for programme in programmes]
        if len(set(slugs)) != len(slugs):
            raise ValueError("two programmes share a slug")

        objects, participations = [], []
        for pk, programme in enumerate(programmes, start=1):
            objects.append({"model": "directory.programme", "pk": pk, "fields": programme["fields"]})
            row = programme["row"]
            names = split_cell(row["french_clusters"])
            roles = [role.strip() for role in row["french_roles"].split("|")] if row["french_roles"].strip() else []
            seen = set()
            for index, participant in enumerate(names):
                role_text = roles[index] if index < len(roles) else ""
                target, _relation = self.resolve(participant, follow_mergers=False)
                if target is None:
                    self.unmatched("Participants de programme introuvables", row["acronym"], participant)
                    continue
                if target in seen:
                    continue
                seen.add(target)
                if role_text not in PARTICIPATION_ROLES:
                    self.report.add("Rôles inconnus (non précisés)", f"{row['acronym']} : « {role_text} »")
                participations.append(
                    (
                        programme["fields"]["slug"],
                        self.clusters[target]["fields"]["slug"],
                        {
                            "programme": pk,
                            "cluster": self.clusters[target]["pk"],
                            "role": PARTICIPATION_ROLES.get(role_text, ParticipationRole.NOT_STATED),
                        },
                    )
                )
        participations.sort(key=lambda item: (item[0], item[1]))
        for pk, (_programme, _cluster, fields) in enumerate(participations, start=1):
            objects.append({"model": "directory.participation", "pk": pk, "fields": fields})
        self.report.counts["Programmes"] = len(programmes)
        self.report.counts["Participations"] = len(participations)
        return objects

    def build_labels(self):
        labels = []
        for row in self.read("labels.csv"):
            holder = row["cluster_name"].strip()
            target, relation = self.resolve(holder, follow_mergers=False)
            if target is None:
                self.unmatched("Titulaires de label introuvables", f"{row['label']} {row['awarded_date'] or row['valid_until']}".strip(), holder)
                continue
            cluster = self.clusters[target]
            label_text = row["label"].strip()
            awarded_on, awarded_precision = partial_date(row["awarded_date"])
            valid_until, valid_until_precision = partial_date(row["valid_until"], end_of_period=True)
            urls = split_cell(row["source_url"])
            notes = row["notes"].strip()
            if len(urls) > 1:
                notes = "\n".join(filter(None, [notes, "Autres sources : " + " ; ".join(urls[1:])]))
            fields = {
                "cluster": cluster["pk"],
                "kind": LabelKind.POLE_PHASE if label_text.startswith("pôle de compétitivité") else LabelKind.CLUSTER_EXCELLENCE,
                "name": label_text,
                "level": row["level"].strip(),
                "awarded_on": awarded_on.isoformat() if awarded_on else None,
                "awarded_precision": awarded_precision,
                "valid_until": valid_until.isoformat() if valid_until else None,
                "valid_until_precision": valid_until_precision,
                # A label granted under a former name stays with the cluster that held it, and says so.
                "awarded_under_name": holder if relation == "ancien-nom" else "",
                "source_url": urls[0] if urls else "",
                "notes": notes,
            }
            sort_key = (cluster["fields"]["slug"], label_text, fields["awarded_on"] or "", fields["valid_until"] or "", fields["level"])
            labels.append((sort_key, fields))
        labels.sort(key=lambda item: item[0])
        keys = [key for key, _fields in labels]
        if len(set(keys)) != len(keys):
            raise ValueError("labels.csv: two identical labels for one cluster")
        self.report.counts["Labels"] = len(labels)
        return [
            {"model": "directory.label", "pk": pk, "fields": fields} for pk, (_key, fields) in enumerate(labels, start=1)
        ]

    def build(self):
        """{file name: JSON text} for every fixture file."""
        self.load_editorial_tables()
        geography = self.build_geography()
        self.index_communes()
        sectors = self.build_sectors()
        clusters = self.build_clusters()
        programmes = self.build_programmes()
        labels = self.build_labels()
        return {
            "geography.json": dump(geography),
            "sectors.json": dump(sectors),
            "clusters.json": dump(clusters),
            "programmes.json": dump(programmes),
            "labels.json": dump(labels),
        }


def build_fixtures(sources_dir=SOURCES_DIR):
    builder = FixtureBuilder(sources_dir)
    files = builder.build()
    return files, builder.report
