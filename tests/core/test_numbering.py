"""Numbers are never handed out twice, including when two requests ask at the same moment."""

import threading

import pytest
from django.db import connection, connections

from haihe.core import numbering


@pytest.mark.django_db
def test_numbers_follow_each_other_per_period():
    assert numbering.issue("ZF", period="20201127", width=3) == "ZF20201127001"
    assert numbering.issue("ZF", period="20201127", width=3) == "ZF20201127002"
    assert numbering.issue("ZF", period="20201128", width=3) == "ZF20201128001"


@pytest.mark.django_db
def test_advance_continues_after_imported_history_and_never_goes_back():
    numbering.advance("BT", period="2020", to=41)
    assert numbering.issue("BT", period="2020", width=7) == "BT20200000042"
    numbering.advance("BT", period="2020", to=5)
    assert numbering.issue("BT", period="2020", width=7) == "BT20200000043"


@pytest.mark.django_db
def test_an_exhausted_range_is_refused_not_wrapped():
    numbering.advance("X", period="1", to=9)
    with pytest.raises(OverflowError):
        numbering.issue("X", period="1", width=1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_get_different_numbers():
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(name):
        # the in-memory test database locks whole tables across threads; a file database (as
        # deployed: one writer at a time, IMMEDIATE transactions) and PostgreSQL are tested
        pytest.skip("SQLite's shared in-memory test database locks tables, not rows")
    got, errors = [], []
    start = threading.Barrier(6)

    def worker():
        try:
            start.wait()
            for _ in range(5):
                got.append(numbering.issue("ZF", period="20201127", width=3))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(got) == 30 and len(set(got)) == 30
    assert sorted(got) == [f"ZF20201127{i:03d}" for i in range(1, 31)]
