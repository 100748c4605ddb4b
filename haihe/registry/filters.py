"""The filters of the registry lists, declared once for the API and the pages' filter bars."""

from typing import Annotated, ClassVar, Literal

from django.db.models import Q
from ninja import Field, FilterLookup

from haihe.core.apischema import ListFilter, Text, choice, optional
from haihe.core.identifiers import normalise_ric
from haihe.registry.models import District, KeyGroup, OrgKind, SizeClass

DistrictCode = Annotated[str, Field(max_length=6)]


class OccupationFilter(ListFilter):
    q: Text = Field(None, description="the start of the code, or part of the name")
    active: bool | Literal["all"] = Field(True, description="true (default), false, or all")

    def filter_q(self, value):
        if not value:
            return Q()
        return Q(code__startswith=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value)

    def filter_active(self, value):
        return Q() if value == "all" else Q(active=value)


class PersonFilter(ListFilter):
    codes: ClassVar[dict] = {"district": District}

    q: Text = Field(None, description="a full RIC, or part of the name")
    district: optional(DistrictCode, FilterLookup("district__code")) = Field(
        None, description="district code of residence, e.g. 120101"
    )
    key_group: choice(KeyGroup) = None

    def filter_q(self, value):
        if not value:
            return Q()
        ric = normalise_ric(value)
        return Q(ric=ric) if len(ric) == 18 else Q(name__icontains=value)

    def filter_key_group(self, value):
        if not value:
            return Q()
        return Q(key_groups__group=value, key_groups__voided_at__isnull=True)

    def filter(self, queryset):
        rows = super().filter(queryset)
        return rows.distinct() if self.key_group else rows


class OrganisationFilter(ListFilter):
    codes: ClassVar[dict] = {"district": District}

    q: Text = Field(None, description="part of the name, or the full USCC")
    kind: choice(OrgKind, FilterLookup("kinds__kind")) = None
    district: optional(DistrictCode, FilterLookup("district__code")) = Field(
        None, description="district code, e.g. 120101"
    )
    size: choice(SizeClass, FilterLookup("size_class")) = None

    def filter_q(self, value):
        return Q(name__icontains=value) | Q(uscc=value.upper()) if value else Q()

    def filter(self, queryset):
        return super().filter(queryset).distinct()
