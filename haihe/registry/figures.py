"""The registry's headline figures."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from haihe.registry.models import District, Organisation, OrgKind, Person
from haihe.stats.figures import count_by_district, count_by_month, end_of, figure


def _people(as_of):
    return Person.objects.filter(created_at__lte=end_of(as_of))


def _people_by_district(as_of):
    return count_by_district(_people(as_of), "district__code")


def _people_by_month(as_of):
    return count_by_month(_people(as_of), "created_at", as_of)


figure(
    "people", _("登记人员"), by_district=_people_by_district, by_month=_people_by_month, order=10
)(lambda as_of: _people(as_of).count())


def _orgs_of(kind, as_of):
    return Organisation.objects.filter(
        Q(kinds__since__isnull=True) | Q(kinds__since__lte=as_of),
        kinds__kind=kind,
        created_at__lte=end_of(as_of),
    )


def _orgs_by_district(kind):
    def by_district(as_of):
        counts = dict(
            _orgs_of(kind, as_of)
            .values("district__code")
            .annotate(n=Count("id", distinct=True))
            .values_list("district__code", "n")
        )
        return {d.code: counts.get(d.code, 0) for d in District.objects.all()}

    return by_district


_ORG_FIGURES = [
    ("organisations_enterprise", OrgKind.ENTERPRISE, _("企业"), 20),
    ("organisations_training_institution", OrgKind.TRAINING_INSTITUTION, _("培训机构"), 21),
    ("organisations_technical_school", OrgKind.TECHNICAL_SCHOOL, _("技工院校"), 22),
    ("organisations_evaluation_body", OrgKind.EVALUATION_BODY, _("评价机构"), 23),
    ("online_training_platforms", OrgKind.ONLINE_TRAINING_PLATFORM, _("线上培训平台"), 24),
    ("supervision_platforms", OrgKind.SUPERVISION_PLATFORM, _("线上培训监管平台"), 25),
]

for _key, _kind, _label, _order in _ORG_FIGURES:
    figure(_key, _label, by_district=_orgs_by_district(_kind), order=_order)(
        lambda as_of, kind=_kind: _orgs_of(kind, as_of).distinct().count()
    )

figure("organisations", _("登记单位"), order=19)(
    lambda as_of: Organisation.objects.filter(created_at__lte=end_of(as_of)).count()
)
