"""Training's headline figures, as of a date, by district (of the class) and by month."""

from django.utils.translation import gettext_lazy as _

from haihe.core.figures import end_of
from haihe.registry.figures import count_figure
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


count_figure(
    "training_classes_approved",
    _("已备案培训班"),
    _approved,
    district_path="district__code",
    moment_field="reviewed_at",
    order=200,
)
count_figure(
    "training_enrolments",
    _("培训报名人次"),
    _enrolments,
    district_path="training_class__district__code",
    moment_field="enrolled_at",
    order=201,
)
count_figure(
    "training_enrolments_refused",
    _("资格审查未通过人次"),
    _refusals,
    district_path="training_class__district__code",
    moment_field="enrolled_at",
    order=202,
)
count_figure(
    "training_completions",
    _("培训结业人次"),
    _completions,
    district_path="training_class__district__code",
    moment_field="completed_at",
    order=203,
)
count_figure(
    "training_outcomes",
    _("培训成果（证书）"),
    _outcomes,
    district_path="enrolment__training_class__district__code",
    moment_field="issued_on",
    is_date=True,
    order=204,
)
