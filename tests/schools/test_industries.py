"""The industry list is shipped data, loaded like the other reference data."""

import io

import pytest
from django.core.management import CommandError, call_command

from haihe.schools.models import Industry

pytestmark = pytest.mark.django_db


def test_the_shipped_list_loads_and_a_file_replaces_it(tmp_path):
    out = io.StringIO()
    call_command("load-industries", stdout=out)
    assert "13 added" in out.getvalue()
    assert Industry.objects.get(code="intelligent_technology").name_zh == "智能科技"
    assert set(Industry.objects.values_list("category", flat=True)) == {
        "strategic_emerging",
        "pillar",
    }
    path = tmp_path / "industries.csv"
    path.write_text(
        "code,category,name_zh,name_en,sort_order\nbiomedicine,strategic_emerging,生物医药,"
        "Biomedicine,1\n",
        encoding="utf-8",
    )
    call_command("load-industries", str(path), stdout=out)
    assert list(Industry.objects.filter(active=True).values_list("code", flat=True)) == [
        "biomedicine"
    ]
    assert Industry.objects.count() == 13  # deactivated, never deleted


def test_a_bad_file_changes_nothing(tmp_path):
    call_command("load-industries", stdout=io.StringIO())
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,category,name_zh,name_en,sort_order\nx,unknown,某产业,,1\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("load-industries", str(path), stdout=io.StringIO())
    assert Industry.objects.filter(active=True).count() == 13
