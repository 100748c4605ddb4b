from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core.audit import log_action
from haihe.core.identifiers import mask_mobile, mask_ric, normalise_ric
from haihe.core.pagination import csv_download, paginate
from haihe.core.views import object_trail
from haihe.registry import perms, services
from haihe.registry.forms import KeyGroupForm, OccupationUploadForm, PersonForm, RevealForm
from haihe.registry.models import (
    District,
    KeyGroup,
    KeyGroupMembership,
    Occupation,
    Organisation,
    OrgKind,
    Person,
    RevealPurpose,
)


def _registry_user(request):
    if not perms.can_view_registry(request.user):
        raise PermissionDenied


def _people_filtered(request):
    people = Person.objects.visible_to(request.user).select_related("district")
    q = request.GET.get("q", "").strip()
    if q:
        ric = normalise_ric(q)
        if len(ric) == 18:
            people = people.filter(ric=ric)
        else:
            people = people.filter(name__icontains=q)
    district = request.GET.get("district", "")
    if district:
        people = people.filter(district__code=district)
    group = request.GET.get("key_group", "")
    if group:  # through the memberships the user may see (an organisation sees none)
        members = KeyGroupMembership.objects.visible_to(request.user).filter(
            group=group, voided_at__isnull=True
        )
        people = people.filter(pk__in=members.values("person_id"))
    return people


@login_required
def people(request):
    _registry_user(request)
    return render(
        request,
        "registry/people.html",
        {
            "page": paginate(request, _people_filtered(request)),
            "districts": District.objects.all(),
            "key_groups": KeyGroup.choices,
            "filters": request.GET,
            "can_register": perms.can_register_person(request.user),
            "can_export_full": perms.can_export_full_pii(request.user),
            "can_filter_key_groups": perms.can_filter_by_key_group(request.user),
            "purposes": [(v, lbl) for v, lbl in RevealPurpose.choices if v != "own_record"],
        },
    )


@login_required
def people_export(request):
    _registry_user(request)
    full = request.GET.get("full") == "1"
    if full and not perms.can_export_full_pii(request.user):
        raise PermissionDenied
    rows = _people_filtered(request)
    if full:
        try:
            reason = services.reveal_reason(
                actor=request.user,
                purpose=request.GET.get("purpose", ""),
                note=request.GET.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            query = request.GET.copy()
            for key in ("full", "purpose", "note"):
                query.pop(key, None)
            return redirect(f"{reverse('registry:people')}?{query.urlencode()}")
        filters = {k: v for k, v in request.GET.items() if k not in ("purpose", "note")}
        log_action(
            actor=request.user,
            action="person.pii_exported",
            data={"filters": filters, "rows": rows.count(), **reason},
        )
    response, writer = csv_download("people.csv")
    writer.writerow(
        [_("居民身份证号码"), _("姓名"), _("性别"), _("出生日期"), _("手机号码"), _("居住区")]
    )
    for person in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                person.ric if full else mask_ric(person.ric),
                person.name,
                person.get_sex_display(),
                person.birth_date.isoformat(),
                person.mobile if full else mask_mobile(person.mobile),
                person.district.name,
            ]
        )
    return response


@login_required
def person_detail(request, pk):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("district"), pk=pk
    )
    return _person_page(request, person)


def _person_page(request, person, revealed=None, key_group_form=None, reveal_form=None):
    memberships = KeyGroupMembership.objects.visible_to(request.user).filter(person=person)
    affiliations = person.affiliations.select_related("organisation")
    if request.user.is_org_user:
        affiliations = affiliations.filter(organisation_id=request.user.organisation_id)
    can_reveal = perms.can_view_full_pii(request.user, person)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "revealed": revealed,
            "memberships": memberships,
            "can_view_key_groups": perms.can_view_key_groups(request.user, person),
            "affiliations": affiliations,
            "can_reveal": can_reveal,
            "reveal_form": reveal_form
            or (
                RevealForm(purposes=services.reveal_purposes(request.user, person))
                if can_reveal
                else None
            ),
            "can_manage_key_groups": perms.can_manage_key_groups(request.user, person),
            "key_group_form": key_group_form or KeyGroupForm(),
            "trail": object_trail(request.user, person),
        },
        status=400 if reveal_form is not None and reveal_form.errors else 200,
    )


@login_required
@require_POST
def person_reveal(request, pk):
    """The full RIC and phone of a person the user is handling, for a stated purpose."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("district"), pk=pk
    )
    if not perms.can_view_full_pii(request.user, person):
        raise PermissionDenied
    form = RevealForm(request.POST, purposes=services.reveal_purposes(request.user, person))
    if form.is_valid():
        try:
            revealed = services.person_reveal(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _person_page(request, person, revealed=revealed)
    return _person_page(request, person, reveal_form=form)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def person_key_group_add(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    form = KeyGroupForm(request.POST)
    if form.is_valid():
        try:
            services.key_group_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记重点群体身份。"))
            return redirect("registry:person", pk=person.pk)
    return _person_page(request, person, key_group_form=form)


@login_required
@require_POST
def person_key_group_void(request, pk, membership_pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    membership = get_object_or_404(person.key_groups.all(), pk=membership_pk)
    try:
        services.key_group_void(
            actor=request.user, membership=membership, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已作废。"))
    return redirect("registry:person", pk=person.pk)


@login_required
def person_register(request):
    """Register a person. The bureau goes to the person's page. An organisation is told that the
    registration was received, the same for a new RIC, a known one and a known one under
    another name (services.person_register)."""
    if not perms.can_register_person(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.person_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if registration.person is not None:
                messages.success(request, _("已登记。"))
                return redirect("registry:person", pk=registration.person.pk)
            messages.success(
                request,
                _(
                    "登记已受理：%(name)s（%(ric)s）。登记不会使本单位看到该人员；"
                    "本单位通过报名、录用等关系办理相关业务。"
                )
                % {"name": registration.name, "ric": registration.ric},
            )
            return redirect("registry:person_register")
    return render(request, "registry/person_form.html", {"form": form})


@login_required
def me(request):
    if request.user.person_id is None:
        raise PermissionDenied
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=request.user.person_id)
    return _person_page(request, person)


def _orgs_filtered(request):
    orgs = (
        Organisation.objects.visible_to(request.user)
        .select_related("district")
        .prefetch_related("kinds")
    )
    q = request.GET.get("q", "").strip()
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(uscc=q.upper()))
    kind = request.GET.get("kind", "")
    if kind:
        orgs = orgs.filter(kinds__kind=kind)
    district = request.GET.get("district", "")
    if district:
        orgs = orgs.filter(district__code=district)
    size = request.GET.get("size", "")
    if size:
        orgs = orgs.filter(size_class=size)
    return orgs.distinct()


@login_required
def organisations(request):
    _registry_user(request)
    from haihe.registry.models import SizeClass

    return render(
        request,
        "registry/organisations.html",
        {
            "page": paginate(request, _orgs_filtered(request)),
            "districts": District.objects.all(),
            "kinds": OrgKind.choices,
            "sizes": SizeClass.choices,
            "filters": request.GET,
            "can_import": perms.can_import_organisations(request.user),
        },
    )


@login_required
def organisations_export(request):
    _registry_user(request)
    response, writer = csv_download("organisations.csv")
    writer.writerow([_("统一社会信用代码"), _("名称"), _("单位类型"), _("所在区"), _("企业规模")])
    for org in _orgs_filtered(request):
        writer.writerow(
            [
                org.uscc,
                org.name,
                "、".join(str(k.get_kind_display()) for k in org.kinds.all()),
                org.district.name,
                org.get_size_class_display(),
            ]
        )
    return response


@login_required
def organisation_detail(request, pk):
    org = get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("district"), pk=pk
    )
    people_count = (
        Person.objects.visible_to(request.user)
        .filter(affiliations__organisation=org)
        .distinct()
        .count()
    )
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "org": org,
            "kinds": org.kinds.all(),
            "insurance": org.insurance_periods.all(),
            "people_count": people_count,
            "users": org.users.all() if perms.can_edit_organisation(request.user, org) else [],
            "trail": object_trail(request.user, org),
        },
    )


@login_required
def districts(request):
    _registry_user(request)
    rows = District.objects.annotate(
        people=Count("residents", distinct=True), orgs=Count("organisations", distinct=True)
    )
    return render(request, "registry/districts.html", {"districts": rows})


@login_required
def occupations(request):
    _registry_user(request)
    rows = Occupation.objects.all()
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(
            Q(code__startswith=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q)
        )
    if request.GET.get("inactive") != "1":
        rows = rows.filter(active=True)
    form, errors = None, None
    if perms.can_manage_occupations(request.user):
        form = OccupationUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("gb18030", errors="replace")
            _rows, errors = services.parse_occupation_rows(text)
            if not errors:
                summary = services.occupations_replace(actor=request.user, text=text)
                messages.success(
                    request,
                    _("职业目录已更新：新增 %(created)d，更新 %(updated)d，停用 %(deactivated)d。")
                    % summary,
                )
                return redirect("registry:occupations")
    return render(
        request,
        "registry/occupations.html",
        {
            "page": paginate(request, rows, 50),
            "filters": request.GET,
            "form": form,
            "errors": errors,
        },
    )
