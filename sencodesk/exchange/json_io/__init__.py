"""Everything in the database as one versioned JSON file, and back (``docs/json-format.md``).

``export_json(store, path)`` writes every table of the model (``Base.metadata.sorted_tables``,
parents before children, so a new table is never forgotten), the audit log included, with
rows sorted by id, keys sorted and every value in one fixed form: the same database always
gives the same file apart from ``exported_at``. With ``pupil_id`` it writes the subset about
one pupil (the JSON half of a subject access request).

``import_json(store, path)`` reads such a file into an EMPTY database, all or nothing, in one
transaction. The whole file is checked first: JSON syntax, format and version, every table,
column and value, then every row against the same rules as the editors (``checks``: a UPN's
check letter, end dates after start dates, a meeting on a school day...), then unique keys and
links. Every bad row is reported (an ``ImportRejected`` listing table, row, field and why) and
nothing is written. Rows go in with Core inserts on a connection, which the session's audit
listener never sees: the audit log is kept as history, each entry marked ``imported`` (made
elsewhere, never shown as a change made here), and no new entry is made.

Both ways the file is streamed (#17): the export is written row by row, and the import reads
the file as it goes (``ijson``), checking its rows a chunk at a time and keeping only what
is checked across rows (ids, unique keys); the rows are then read from the file again to
insert them. A 100,000-pupil file is never in memory whole (``benchmarks/bench_json_io.py``:
peak RSS 181 MB, from 903 MB). A file not in an export's shape (a syntax error to place,
tables in another order) is read whole with ``json``: the same checks and messages.
"""

# The package: fileformat (kinds, encoding) <- export; values <- stream; problems (the checks)
# <- reading (read_json) <- importing (insert_export, import_json).

from .export import export_json, pupil_selection
from .fileformat import (
    FORMAT,
    FORMAT_VERSION,
    app_version,
    column_kind,
    database_name,
    model_tables,
)
from .importing import import_json, insert_export
from .problems import CHECKED, ImportRejected, Problem, checks_rules
from .reading import JsonExport, read_json

__all__ = [
    "CHECKED",
    "FORMAT",
    "FORMAT_VERSION",
    "ImportRejected",
    "JsonExport",
    "Problem",
    "app_version",
    "checks_rules",
    "column_kind",
    "database_name",
    "export_json",
    "import_json",
    "insert_export",
    "model_tables",
    "pupil_selection",
    "read_json",
]
