"""Read a CSV file as French offices produce them: `,` or `;`, UTF-8 (with or without BOM) or Windows-1252."""

import csv
import io
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

DELIMITERS = ";,\t"


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing in it is imported."""


@dataclass
class CsvFile:
    text: str
    encoding: str
    delimiter: str


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding that read it: UTF-8 first, then Windows-1252."""
    if not data.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        # The two magic numbers of spreadsheet files: .xlsx/.ods (a zip) and the old .xls.
        raise ImportFileError(
            _("C’est un classeur, pas un fichier CSV : dans le tableur, enregistrez-le au format "
              "« CSV (séparateur : point-virgule) », puis déposez ce fichier.")
        )  # fmt: skip
    if b"\x00" in data:
        raise ImportFileError(_("Ce fichier n’est pas un fichier texte CSV (il contient des octets nuls)."))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Excel « CSV (séparateur : point-virgule) » on a French Windows writes Windows-1252.
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8 ou Windows-1252.")
        ) from error


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: headers never contain quoted separators."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def normalise_header(name: str) -> str:
    """« Code département » and `code_departement` name the same column."""
    name = unicodedata.normalize("NFKD", name.strip().lstrip("\ufeff").lower())
    name = "".join(char for char in name if not unicodedata.combining(char))
    return "_".join(name.replace("-", " ").replace("’", " ").replace("'", " ").split())


def open_csv(data: bytes | str) -> CsvFile:
    """The file as uploaded (bytes), or as already decoded and kept for the confirmation (str)."""
    if isinstance(data, str):
        text, encoding = data, "utf-8"
        if not text.strip():
            raise ImportFileError(_("Le fichier est vide."))
    else:
        text, encoding = decode(data)
    return CsvFile(text=text, encoding=encoding, delimiter=sniff_delimiter(text))


def read_rows(csv_file: CsvFile, required_columns, known_columns):
    """Yield (line number, {column: stripped value}) for each non-blank row after the header.

    The line number is the file's line where the row starts, as a spreadsheet shows it
    (the header is line 1), even when a quoted cell spans several lines.
    """
    reader = csv.reader(io.StringIO(csv_file.text, newline=""), delimiter=csv_file.delimiter)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportFileError(_("La ligne d’en-tête est illisible : %(error)s") % {"error": error}) from error
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileError(_("Le fichier n’a pas de ligne d’en-tête."))
    columns = [normalise_header(cell) for cell in header]
    missing = [column for column in required_columns if column not in columns]
    if missing:
        raise ImportFileError(
            _("Colonnes manquantes dans l’en-tête : %(missing)s. Colonnes attendues : %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(known_columns)}
        )
    wanted = [(index, column) for index, column in enumerate(columns) if column in known_columns]
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(
                _("Ligne %(line)s : le CSV est mal formé (%(error)s).") % {"line": start, "error": error}
            ) from error
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row = {column: (cells[index].strip() if index < len(cells) else "") for index, column in wanted}
        yield start, row
