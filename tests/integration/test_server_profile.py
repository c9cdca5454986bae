"""An LSA signed in to the shared server prints the one-page profile of a pupil they support,
and only theirs (#13): the database's row-level security decides, not the app."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from sencodesk.errors import NotFound
from sencodesk.reports.profile import build_profile
from sencodesk.store import open_store
from tests.integration.server_seed import Server, server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def test_an_lsa_prints_the_profile_of_their_own_pupil_only(server: Server) -> None:
    lsa = open_store(server.url_for("amy"))
    try:
        buf = io.BytesIO()
        with lsa.read() as s:
            assert build_profile(s, server.ids["p1"], buf, today=dt.date.today()) == 1
        buf.seek(0)
        with pdfplumber.open(buf) as pdf:
            text = pdf.pages[0].extract_text() or ""
        assert "All about Ada" in text and "Asks for help" in text and "Amy Ash" in text
        assert "Asthma" in text
        with lsa.read() as s, pytest.raises(NotFound):
            build_profile(s, server.ids["p2"], io.BytesIO(), today=dt.date.today())
    finally:
        lsa.close()
