"""build_seed_fixtures: the compiled sources become byte-identical, committed fixtures."""

import datetime
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from directory.models import DatePrecision
from directory.seed import FIXTURE_FILES, FIXTURES_DIR, SOURCES_DIR
from directory.seed.build import FixtureBuilder, declared_size, partial_date
from directory.seed.text import commune_key, name_key


@pytest.fixture(scope="module")
def built():
    builder = FixtureBuilder(SOURCES_DIR)
    files = builder.build()
    return {name: json.loads(text) for name, text in files.items()}, builder.report


def clusters_by_name(built):
    files, _report = built
    return {o["fields"]["name"]: o for o in files["clusters.json"] if o["model"] == "directory.cluster"}


def test_two_builds_are_byte_identical_and_equal_the_committed_fixtures(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("build_seed_fixtures", output=first, verbosity=0)
    call_command("build_seed_fixtures", output=second, verbosity=0)
    for name in FIXTURE_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert (first / name).read_bytes() == (FIXTURES_DIR / name).read_bytes(), f"{name} is stale"


def test_check_passes_on_committed_fixtures_and_fails_on_stale_ones(tmp_path, capsys):
    call_command("build_seed_fixtures", check=True)
    assert "à jour" in capsys.readouterr().out

    for name in FIXTURE_FILES:
        shutil.copy(FIXTURES_DIR / name, tmp_path / name)
    (tmp_path / "labels.json").write_text("[]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="labels.json"):
        call_command("build_seed_fixtures", check=True, output=tmp_path)
    # --check writes nothing.
    assert (tmp_path / "labels.json").read_text(encoding="utf-8") == "[]\n"


def test_output_has_no_varying_timestamp(built):
    files, _report = built
    for obj in files["clusters.json"] + files["programmes.json"]:
        for name in ("created_at", "updated_at"):
            if name in obj["fields"]:
                assert obj["fields"][name] == "2026-11-01T00:00:00Z"


def test_counts(built):
    files, report = built
    models = [o["model"] for name in FIXTURE_FILES for o in files[name]]
    assert models.count("directory.region") == 18
    assert models.count("directory.department") == 101
    assert 20 <= models.count("directory.sector") <= 30
    # 56 pôles + 3 seed + 132 regional rows, minus the 3 clusters found in two files.
    assert models.count("directory.cluster") == 188
    assert models.count("directory.programme") == 28
    assert models.count("directory.label") + len(report.sections["Titulaires de label introuvables"]) == 80


def test_one_cluster_per_real_cluster_with_every_source(built):
    clusters = clusters_by_name(built)
    files, _report = built
    sources = [o["fields"] for o in files["clusters.json"] if o["model"] == "directory.clustersource"]
    cosmetic = clusters["Cosmetic Valley"]
    urls = {s["url"] for s in sources if s["cluster"] == cosmetic["pk"]}
    # The pôles file's premiumbeautynews page and the seed file's actt4cosmetics page both stay.
    assert "https://actt4cosmetics.eu/mission" in urls
    assert "https://www.premiumbeautynews.com/fr/labellisation-renouvelee-pour-le,21780" in urls
    assert all(s["read_on"] == "2026-11-01" for s in sources)
    assert sum(1 for name in clusters if name_key(name) == name_key("Genopole")) == 1


def test_commune_matching_gives_department_region_and_commune_centre(built):
    chartres = clusters_by_name(built)["Cosmetic Valley"]["fields"]
    assert (chartres["hq_commune_code"], chartres["department"], chartres["region"]) == ("28085", ["28"], ["24"])
    assert (chartres["latitude"], chartres["longitude"], chartres["position_precision"]) == (
        "48.44810",
        "1.50460",
        "commune",
    )
    hossegor = clusters_by_name(built)["Eurosima"]["fields"]
    assert hossegor["hq_commune_code"] and hossegor["department"] == ["40"]


def test_every_known_city_is_placed_and_unknown_cities_stay_empty(built):
    clusters = clusters_by_name(built)
    _files, report = built
    assert not report.sections.get("Villes du siège introuvables")
    for cluster in clusters.values():
        fields = cluster["fields"]
        if fields["hq_city"]:
            assert fields["latitude"] is not None
        else:
            assert fields["latitude"] is None and fields["hq_commune_code"] == "" and fields["department"] is None


def test_ambiguous_city_is_not_guessed():
    builder = FixtureBuilder(SOURCES_DIR)
    builder.department_region = {"01": "84", "38": "84"}
    builder.communes = {("84", "villette"): [{"insee_code": "01001"}, {"insee_code": "38001"}]}
    assert builder.find_commune("Villette", "84", "Exemple") is None
    assert "Exemple" in builder.report.sections["Villes du siège ambiguës (non devinées)"][0]


def test_text_keys():
    assert commune_key("Saint-Étienne-du-Rouvray") == commune_key("St Etienne du Rouvray")
    assert commune_key("Villenave-d'Ornon") == commune_key("villenave d’ornon")
    assert name_key("AQUI O Thermes") == name_key("Aqui-O-Thermes")


def test_partial_dates_keep_their_precision():
    assert partial_date("2014-03-07") == (datetime.date(2014, 3, 7), DatePrecision.DAY)
    assert partial_date("2012-07") == (datetime.date(2012, 7, 1), DatePrecision.MONTH)
    assert partial_date("2019", end_of_period=True) == (datetime.date(2019, 12, 31), DatePrecision.YEAR)
    assert partial_date("2025-09", end_of_period=True) == (datetime.date(2025, 9, 30), DatePrecision.MONTH)
    assert partial_date("") == (None, "")


def test_declared_size_only_when_unambiguous():
    assert declared_size("~20 PME (2019)") == (20, 2019)
    assert declared_size("~1 500 entreprises (2018-2019)") == (1500, None)
    assert declared_size("96 entreprises et 16 laboratoires académiques (2019)") == (None, None)


def test_labels_keep_former_names_and_unmatched_are_reported(built):
    files, report = built
    clusters = {o["pk"]: o["fields"]["name"] for o in files["clusters.json"] if o["model"] == "directory.cluster"}
    labels = [o["fields"] for o in files["labels.json"]]
    id4car = [l for l in labels if l["awarded_under_name"] == "iD4CAR"]
    assert {clusters[l["cluster"]] for l in id4car} == {"ID4Mobility"}
    gold = next(l for l in id4car if l["level"] == "gold")
    assert (gold["awarded_on"], gold["awarded_precision"]) == ("2016-01-01", "year")
    # A spelling of the same name is not a former name.
    cara = [l for l in labels if clusters[l["cluster"]] == "CARA"]
    assert cara and all(l["awarded_under_name"] == "" for l in cara)
    unmatched = "\n".join(report.sections["Titulaires de label introuvables"])
    assert "NOV@LOG" in unmatched and "Plastipolis" in unmatched


def test_programme_participants_and_unmatched(built):
    files, report = built
    clusters = {o["pk"]: o["fields"]["name"] for o in files["clusters.json"] if o["model"] == "directory.cluster"}
    programmes = {o["pk"]: o["fields"] for o in files["programmes.json"] if o["model"] == "directory.programme"}
    participations = [o["fields"] for o in files["programmes.json"] if o["model"] == "directory.participation"]
    actt = next(pk for pk, p in programmes.items() if p["acronym"] == "ACTT4Cosmetics")
    assert programmes[actt]["framework"] == "horizon-europe"
    assert programmes[actt]["framework_detail"] == "Horizon Europe (CORDIS project 101112710)"
    assert programmes[actt]["partner_countries"] == "FR,IT,PL,PT,RO,UA"
    assert [(clusters[p["cluster"]], p["role"]) for p in participations if p["programme"] == actt] == [
        ("Cosmetic Valley", "coordinateur")
    ]
    unmatched = "\n".join(report.sections["Participants de programme introuvables"])
    assert "Eurasanté" in unmatched and "France Clusters" in unmatched
