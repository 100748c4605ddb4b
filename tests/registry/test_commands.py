import io

import pytest
from django.core.management import CommandError, call_command

from haihe.registry.models import District, Occupation

pytestmark = pytest.mark.django_db


def test_load_districts_and_occupations_commands(tmp_path):
    out = io.StringIO()
    call_command("load-districts", "120000", stdout=out)
    assert District.objects.count() == 16
    call_command("load-occupations", stdout=out)
    assert Occupation.objects.filter(active=True).count() == 40
    path = tmp_path / "catalogue.csv"
    path.write_text("code,name_zh,name_en,levels\n6-31-01-03,电工,Electrician,5;4;3;2;1\n")
    call_command("load-occupations", str(path), stdout=out)
    assert list(Occupation.objects.filter(active=True).values_list("code", flat=True)) == [
        "6-31-01-03"
    ]
    path.write_text("code,name_zh,name_en,levels\nbad,坏,Bad,5\n")
    with pytest.raises(CommandError):
        call_command("load-occupations", str(path), stdout=out)
    assert Occupation.objects.filter(active=True).count() == 1


def test_load_policy_command():
    out = io.StringIO()
    call_command("load-policy", stdout=out)
    assert "new values" in out.getvalue()
