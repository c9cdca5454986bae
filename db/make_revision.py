"""Developer tool: autogenerate a migration from the model against a scratch database.

    python db/make_revision.py "add pupil ethnicity" 0002

Review the generated file: replace app types (``sencodesk.types.ScaledDecimal()``) with
``sa.BigInteger()`` so migrations never depend on code that may change.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sencodesk.schema import MIGRATIONS  # noqa: E402
from sencodesk.store import make_engine, open_store  # noqa: E402


def main() -> None:
    message, rev_id = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/scratch.db"
        open_store(url).close()  # at the current head
        with make_engine(url).begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main()
