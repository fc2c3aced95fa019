"""The member import service: reading French CSV files, checking every row, all or nothing, idempotence."""

import pytest

from directory.imports.members import COLUMNS, apply_plan, plan_import
from directory.imports.reader import ImportFileError
from directory.models import Membership, Organisation
from tests import factories

HEADER = ";".join(COLUMNS)
# siren;nom;type;taille;commune;code_departement;site_web;cluster;role;annee_adhesion;diffusible
GOOD_ROWS = [
    "732829320;Forge Imaginaire;Entreprise;PME;Chartres;28;www.forge-imaginaire.fr;pole-essai;Membre fondateur;2015;oui",
    "732829320;Forge Imaginaire;Entreprise;PME;Chartres;28;www.forge-imaginaire.fr;grappe-essai;membre;;oui",
    ";Laboratoire Factice;laboratoire de recherche;;Évry-Courcouronnes;91;;pole-essai;;2020;non",
]


def csv_bytes(rows, header=HEADER, delimiter=";", encoding="utf-8"):
    lines = [header, *rows]
    if delimiter != ";":
        lines = [line.replace(";", delimiter) for line in lines]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def row_with(**cells):
    values = dict(zip(COLUMNS, GOOD_ROWS[0].split(";"), strict=True))
    values.update(cells)
    return ";".join(values[column] for column in COLUMNS)


@pytest.fixture
def clusters(eure_et_loir, essonne):
    return (
        factories.ClusterFactory(name="Pôle d’essai", slug="pole-essai"),
        factories.ClusterFactory(name="Grappe d’essai", slug="grappe-essai"),
    )


def test_good_file_is_previewed_then_imported(clusters):
    pole, grappe = clusters
    plan = plan_import(csv_bytes(GOOD_ROWS))

    assert plan.is_valid, plan.errors
    assert plan.row_count == 3
    assert plan.counts() == {
        "organisations_created": 2,
        "organisations_updated": 0,
        "organisations_unchanged": 0,
        "memberships_created": 3,
        "memberships_updated": 0,
        "memberships_unchanged": 0,
    }
    assert not Organisation.objects.exists(), "the preview writes nothing"

    apply_plan(plan)

    forge = Organisation.objects.get(siren="732829320")
    assert (forge.name, forge.kind, forge.size, forge.city, forge.department.insee_code) == (
        "Forge Imaginaire", "entreprise", "pme", "Chartres", "28",
    )  # fmt: skip
    assert forge.website == "https://www.forge-imaginaire.fr"
    assert forge.publicly_named is True
    assert forge.slug == "forge-imaginaire"
    assert {(m.cluster, m.role, m.year_joined) for m in forge.memberships.all()} == {
        (pole, "fondateur", 2015),
        (grappe, "membre", None),
    }
    laboratory = Organisation.objects.get(name="Laboratoire Factice")
    assert (laboratory.siren, laboratory.kind, laboratory.size, laboratory.department.insee_code) == (
        "", "laboratoire", "", "91",
    )  # fmt: skip
    assert laboratory.publicly_named is False
    assert Membership.objects.get(organisation=laboratory).year_joined == 2020


def test_importing_the_same_file_twice_changes_nothing_the_second_time(clusters):
    data = csv_bytes(GOOD_ROWS)
    apply_plan(plan_import(data))
    before = list(Organisation.objects.values_list("pk", "slug", "updated_at").order_by("pk"))

    second = apply_plan(plan_import(data))

    assert second == {
        "organisations_created": 0,
        "organisations_updated": 0,
        "organisations_unchanged": 2,
        "memberships_created": 0,
        "memberships_updated": 0,
        "memberships_unchanged": 3,
    }
    assert list(Organisation.objects.values_list("pk", "slug", "updated_at").order_by("pk")) == before
    assert Membership.objects.count() == 3


def test_changed_values_update_and_blank_cells_erase_nothing(clusters):
    pole, _grappe = clusters
    forge = factories.OrganisationFactory(
        siren="732829320", name="Forge Imaginaire", city="Dreux", website="https://ancien.example.org", size="micro"
    )
    factories.MembershipFactory(organisation=forge, cluster=pole, role="membre", year_joined=2010)

    plan = plan_import(csv_bytes([row_with(commune="Chartres", site_web="", taille="", role="conseil", annee_adhesion="")]))
    assert plan.counts()["organisations_updated"] == 1
    assert plan.counts()["memberships_updated"] == 1
    apply_plan(plan)

    forge.refresh_from_db()
    assert forge.city == "Chartres"
    assert forge.website == "https://ancien.example.org"
    assert forge.size == "micro"
    membership = forge.memberships.get()
    assert (membership.role, membership.year_joined) == ("conseil", 2010)


def test_an_organisation_without_siren_is_found_by_its_name_and_departement(clusters, eure_et_loir, essonne):
    existing = factories.OrganisationFactory(siren="", name="Atelier Fictif", department=eure_et_loir, city="Chartres")
    rows = [
        ";atelier  FICTIF;;;Chartres;28;;;;;",  # same name (case and spaces aside), same département
        ";Atelier Fictif;;;Évry;91;;;;;",  # same name elsewhere: another organisation
    ]
    plan = plan_import(csv_bytes(rows))
    assert plan.is_valid, plan.errors
    apply_plan(plan)

    assert Organisation.objects.filter(pk=existing.pk, name="atelier  FICTIF").exists()
    assert Organisation.objects.filter(name="Atelier Fictif", department=essonne).count() == 1
    assert Organisation.objects.count() == 2


def test_a_siren_given_later_completes_the_organisation_listed_without_it(clusters, eure_et_loir):
    existing = factories.OrganisationFactory(siren="", name="Forge Imaginaire", department=eure_et_loir)
    apply_plan(plan_import(csv_bytes([GOOD_ROWS[0]])))
    existing.refresh_from_db()
    assert existing.siren == "732829320"
    assert Organisation.objects.count() == 1


def test_new_organisations_get_unique_slugs_without_a_query_each(clusters, django_assert_max_num_queries):
    factories.OrganisationFactory(name="Studio Démo", slug="studio-demo")
    rows = [f";Studio Démo;;;;{code};;;;;" for code in ("28", "91")] + [
        ";Studio   Démo;;;;28;;;;;",  # the same as the first row once spaces are folded: a duplicate
    ]
    plan = plan_import(csv_bytes(rows[:2]))
    with django_assert_max_num_queries(10):
        apply_plan(plan)
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"studio-demo", "studio-demo-2", "studio-demo-3"}
    assert not plan_import(csv_bytes(rows)).is_valid


BAD_CELLS = [
    ({"siren": "73282932"}, "siren", "neuf chiffres"),
    ({"siren": "732829321"}, "siren", "clé de contrôle"),
    ({"code_departement": "99"}, "code_departement", "Département inconnu"),
    ({"cluster": "pole-inconnu"}, "cluster", "Cluster inconnu"),
    ({"type": "multinationale"}, "type", "Type d’organisation inconnu"),
    ({"taille": "énorme"}, "taille", "Taille inconnue"),
    ({"role": "président"}, "role", "Rôle inconnu"),
    ({"annee_adhesion": "2999"}, "annee_adhesion", "Année impossible"),
    ({"annee_adhesion": "1700"}, "annee_adhesion", "Année impossible"),
    ({"annee_adhesion": "deux mille"}, "annee_adhesion", "Année impossible"),
    ({"diffusible": "peut-être"}, "diffusible", "oui ou non"),
    ({"nom": ""}, "nom", "obligatoire"),
    ({"site_web": "pas un site"}, "site_web", "site web invalide"),
    ({"nom": "N" * 201}, "nom", "Trop long"),
]


@pytest.mark.parametrize(("cells", "column", "reason"), BAD_CELLS, ids=[case[2] for case in BAD_CELLS])
def test_each_bad_row_is_reported_with_its_line_and_reason(clusters, cells, column, reason):
    rows = [GOOD_ROWS[2], row_with(**cells)]
    plan = plan_import(csv_bytes(rows))

    assert not plan.is_valid
    assert [(error.line, error.column) for error in plan.errors] == [(3, column)]
    assert reason in plan.errors[0].message


def test_a_duplicate_row_names_the_line_it_repeats(clusters):
    plan = plan_import(csv_bytes([GOOD_ROWS[0], GOOD_ROWS[2], GOOD_ROWS[0]]))
    assert [(error.line, error.message) for error in plan.errors] == [(4, "Doublon de la ligne 2.")]


def test_contradictory_rows_for_one_organisation_are_refused(clusters):
    plan = plan_import(csv_bytes([GOOD_ROWS[0], GOOD_ROWS[1].replace("Chartres", "Dreux")]))
    assert [error.line for error in plan.errors] == [3]
    assert "ligne 2" in plan.errors[0].message


def test_one_bad_row_and_nothing_is_written(clusters):
    plan = plan_import(csv_bytes([*GOOD_ROWS, row_with(siren="111111111", cluster="pole-inconnu")]))
    assert not plan.is_valid
    assert plan.error_count == 2  # both reasons of line 5
    assert {error.line for error in plan.errors} == {5}
    with pytest.raises(ValueError):
        apply_plan(plan)
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_line_numbers_count_a_quoted_cell_spanning_two_lines(clusters):
    rows = [GOOD_ROWS[2].replace("Évry-Courcouronnes", '"Évry-\nCourcouronnes"'), row_with(cluster="inconnu")]
    plan = plan_import(csv_bytes(rows))
    assert [error.line for error in plan.errors] == [4]


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_both_separators_and_the_encodings_of_french_offices(clusters, delimiter, encoding):
    name = "Société Générale d’Électricité"
    rows = [f"732829320;{name};Société;Grande entreprise;Épernon;28;;pole-essai;Membre du conseil d'administration;1998;OUI"]
    apply_plan(plan_import(csv_bytes(rows, delimiter=delimiter, encoding=encoding)))

    organisation = Organisation.objects.get()
    assert organisation.name == name
    assert organisation.city == "Épernon"
    assert (organisation.kind, organisation.size) == ("entreprise", "grande")
    assert organisation.memberships.get().role == "conseil"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("ENTREPRISE", "entreprise"), ("université ou école", "enseignement"), ("Organisme Public", "organisme-public"),
     ("organisme-public", "organisme-public"), ("Laboratoire de recherche", "laboratoire")],
)  # fmt: skip
def test_kinds_are_read_from_labels_or_stored_values_whatever_the_case_and_accents(clusters, cell, expected):
    apply_plan(plan_import(csv_bytes([row_with(type=cell)])))
    assert Organisation.objects.get().kind == expected


@pytest.mark.parametrize(("cell", "expected"), [("oui", True), ("Non", False), ("1", True), ("0", False),
                                                 ("VRAI", True), ("faux", False)])  # fmt: skip
def test_diffusible_reads_french_yes_and_no(clusters, cell, expected):
    apply_plan(plan_import(csv_bytes([row_with(diffusible=cell)])))
    assert Organisation.objects.get().publicly_named is expected


def test_a_departement_code_that_lost_its_leading_zero_is_understood(clusters):
    factories.DepartmentFactory(insee_code="01", name="Ain", slug="ain")
    apply_plan(plan_import(csv_bytes([row_with(code_departement="1")])))
    assert Organisation.objects.get().department.insee_code == "01"


def test_headers_are_read_whatever_their_case_and_accents(clusters):
    header = "SIREN;Nom;Type;Taille;Commune;Code département;Site web;Cluster;Rôle;Année adhésion;Diffusible"
    plan = plan_import(csv_bytes([GOOD_ROWS[0]], header=header))
    assert plan.is_valid, plan.errors
    assert plan.counts()["memberships_created"] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"   \r\n", "vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "octets nuls"),
        (HEADER.encode() + b"\r\n732829320;Forge\x00;;;;28;;;;;\r\n", "octets nuls"),
        (b"nom;commune\r\nForge;Chartres\r\n", "Colonnes manquantes"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "C’est un classeur"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "C’est un classeur"),
    ],
    ids=["empty", "blank", "binary", "nul-byte", "missing-columns", "xlsx", "xls"],
)
def test_files_that_cannot_be_read_are_refused_as_a_whole(db, data, message):
    with pytest.raises(ImportFileError, match=message):
        plan_import(data)


def test_a_header_without_rows_is_an_error(clusters):
    plan = plan_import(csv_bytes([]))
    assert not plan.is_valid
    assert "aucune ligne" in plan.errors[0].message


def test_a_ten_thousand_character_cell_is_a_row_error(clusters):
    plan = plan_import(csv_bytes([row_with(nom="A" * 10_000)]))
    assert [(error.line, error.column) for error in plan.errors] == [(2, "nom")]
    assert len(plan.errors[0].value) <= 80


def test_a_file_longer_than_the_limit_is_refused_as_a_whole(clusters, monkeypatch):
    monkeypatch.setattr("directory.imports.members.MAX_ROWS", 2)
    assert plan_import(csv_bytes(GOOD_ROWS[:2])).is_valid
    with pytest.raises(ImportFileError, match="plus de 2 lignes"):
        plan_import(csv_bytes(GOOD_ROWS))


@pytest.mark.parametrize(
    ("cell", "stored"),
    [("www.forge.fr", "https://www.forge.fr"), ("HTTP://Forge.FR/accueil", "HTTP://Forge.FR/accueil"),
     ("https://société-fictive.fr", "https://société-fictive.fr"), ("https://forge_fictive.fr", None),
     ("https://localhost", None), ("javascript:alert(1)", None)],
)  # fmt: skip
def test_websites_without_a_scheme_get_https_and_bad_ones_are_refused(clusters, cell, stored):
    plan = plan_import(csv_bytes([row_with(site_web=cell)]))
    if stored is None:
        assert [error.column for error in plan.errors] == ["site_web"]
    else:
        apply_plan(plan)
        assert Organisation.objects.get().website == stored


def test_the_fast_siren_check_agrees_with_python_stdnum():
    import random

    from stdnum.fr import siren

    from directory.imports.members import is_valid_siren

    rng = random.Random(2026)
    numbers = [f"{rng.randrange(10**9):09d}" for _ in range(20_000)] + ["", "12345678", "1234567890", "٣" * 9]
    assert [is_valid_siren(number) for number in numbers] == [siren.is_valid(number) for number in numbers]


def test_an_import_that_writes_makes_cached_public_pages_stale(clusters):
    from directory.caching import current_version

    before = current_version()
    apply_plan(plan_import(csv_bytes(GOOD_ROWS)))
    after_first = current_version()
    apply_plan(plan_import(csv_bytes(GOOD_ROWS)))

    assert after_first > before
    assert current_version() == after_first, "a second import of the same file writes nothing"
