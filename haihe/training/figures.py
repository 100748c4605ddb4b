"""Training's headline figures, as of a date, by district (of the class) and by month."""

from django.utils.translation import gettext_lazy as _

from haihe.stats.figures import count_by_district, count_by_month, end_of, figure
from haihe.training.models import Enrolment, Outcome, TrainingClass


def _approved(as_of):
    return TrainingClass.objects.filter(status__in=("approved",), reviewed_at__lte=end_of(as_of))


def _enrolments(as_of):
    return Enrolment.objects.filter(
        status__in=("enrolled", "completed", "withdrawn"), enrolled_at__lte=end_of(as_of)
    )


def _refusals(as_of):
    return Enrolment.objects.filter(status="refused", enrolled_at__lte=end_of(as_of))


def _completions(as_of):
    return Enrolment.objects.filter(status="completed", completed_at__lte=end_of(as_of))


def _outcomes(as_of):
    return Outcome.objects.current().filter(issued_on__lte=as_of)


figure(
    "training_classes_approved",
    _("已备案培训班"),
    by_district=lambda d: count_by_district(_approved(d), "district__code"),
    by_month=lambda d: count_by_month(_approved(d), "reviewed_at", d),
    order=200,
)(lambda as_of: _approved(as_of).count())

figure(
    "training_enrolments",
    _("培训报名人次"),
    by_district=lambda d: count_by_district(_enrolments(d), "training_class__district__code"),
    by_month=lambda d: count_by_month(_enrolments(d), "enrolled_at", d),
    order=201,
)(lambda as_of: _enrolments(as_of).count())

figure(
    "training_enrolments_refused",
    _("资格审查未通过人次"),
    by_district=lambda d: count_by_district(_refusals(d), "training_class__district__code"),
    by_month=lambda d: count_by_month(_refusals(d), "enrolled_at", d),
    order=202,
)(lambda as_of: _refusals(as_of).count())

figure(
    "training_completions",
    _("培训结业人次"),
    by_district=lambda d: count_by_district(_completions(d), "training_class__district__code"),
    by_month=lambda d: count_by_month(_completions(d), "completed_at", d),
    order=203,
)(lambda as_of: _completions(as_of).count())

figure(
    "training_outcomes",
    _("培训成果（证书）"),
    by_district=lambda d: count_by_district(
        _outcomes(d), "enrolment__training_class__district__code"
    ),
    by_month=lambda d: count_by_month(_outcomes(d), "issued_on", d, is_date=True),
    order=204,
)(lambda as_of: _outcomes(as_of).count())
