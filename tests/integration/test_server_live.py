"""Changes seen live: a write committed by one login is announced to another's listener (as
the app's change kinds); a rolled-back one is not."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk import commands
from sencodesk.server.live import Listener
from sencodesk.store import open_store
from tests.integration.server_seed import server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _incident(store, server, text="Threw a chair"):
    with store.session() as s:
        return commands.save_record(
            s,
            {
                "pupil_id": server.ids["p1"],
                "author_id": server.ids["amy"],
                "occurred_at": dt.datetime.now().replace(microsecond=0),
                "kind": "incident",
                "behaviour": text,
            },
        )


def test_a_committed_write_is_announced_and_a_rolled_back_one_is_not(server):
    listener = Listener(server.url_for("senco"))
    lsa = open_store(server.url_for("amy"))
    try:
        assert listener.wait(0.2) == set()
        _incident(lsa, server)
        assert listener.wait(2.0) == {"record"}
        with pytest.raises(RuntimeError), lsa.session() as s:
            commands.save_record(
                s,
                {
                    "pupil_id": server.ids["p1"],
                    "author_id": server.ids["amy"],
                    "occurred_at": dt.datetime(2025, 11, 3, 9),
                    "kind": "support",
                    "text": "Rolled back",
                },
            )
            raise RuntimeError("the save fails after the insert")
        assert listener.wait(0.5) == set()
    finally:
        lsa.close()
        listener.close()
