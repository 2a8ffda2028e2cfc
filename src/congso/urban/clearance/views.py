"""HTML pages of site clearance (/do-thi/gpmb/): projects, their parties and steps, obstacles,
forced measures, the XLSX import and the portfolio. Thin: parse, call one service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.kernel.errors import DomainError
from congso.kernel.errors import PermissionDenied as DomainPermissionDenied
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.selectors import visible_unit_ids
from congso.urban import geo
from congso.urban.clearance import forms, rules, selectors, services
from congso.urban.clearance.models import (
    AffectedParty,
    ClearanceObstacle,
    ClearanceProject,
    ProjectStatus,
    Step,
)

T = "urban/clearance"


def _current_unit(request: HttpRequest) -> AdminUnit | None:
    position = getattr(request, "position", None)
    return position.unit if position is not None else None


def _project(request: HttpRequest, pk: int) -> ClearanceProject:
    try:
        project = ClearanceProject.objects.select_related("unit").get(pk=pk)
    except ClearanceProject.DoesNotExist as exc:
        raise Http404("Không tìm thấy dự án.") from exc
    if not rules.can_view(request.user, project.unit_id):
        raise Http404("Không tìm thấy dự án.")
    return project


def _party(request: HttpRequest, project_pk: int, pk: int) -> AffectedParty:
    project = _project(request, project_pk)
    try:
        party = AffectedParty.objects.get(pk=pk, project=project)
    except AffectedParty.DoesNotExist as exc:
        raise Http404("Không tìm thấy hộ.") from exc
    party.project = project
    return party


def _denied(exc: DomainPermissionDenied) -> DjangoPermissionDenied:
    return DjangoPermissionDenied(exc.message)


# --- list, portfolio ---------------------------------------------------------------------------


@require_GET
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    if not visible_unit_ids(request.user):
        raise DjangoPermissionDenied("Trang này dành cho cán bộ phường.")
    form = forms.ProjectFilterForm(request.GET or None)
    filters = selectors.ProjectFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.ProjectFilters(
            q=d.get("q") or "",
            status=d.get("status") or "",
            year_from=d.get("year_from"),
            year_to=d.get("year_to"),
        )
    page = Paginator(selectors.project_list(request.user, filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    unit = _current_unit(request)
    return render(
        request,
        f"{T}/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_create": unit is not None and rules.can_edit(request.user, unit),
        },
    )


def _year(value: Any, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1990 <= year <= 2100 else default


@require_GET
@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    units = visible_unit_ids(request.user)
    if not units:
        raise DjangoPermissionDenied("Trang này dành cho cán bộ phường.")
    today = timezone.localdate()
    first = _year(request.GET.get("from"), 2016)
    last = max(first, _year(request.GET.get("to"), 2020))
    served = list(
        AdminUnit.objects.filter(pk__in=units, clearance_projects__isnull=False)
        .distinct()
        .order_by("name")
    )
    unit_id = request.GET.get("unit")
    chosen = [u for u in served if str(u.pk) == unit_id]
    scope = {chosen[0].pk} if chosen else {u.pk for u in served}
    start, end = dt.date(first, 1, 1), min(dt.date(last, 12, 31), max(today, dt.date(last, 1, 1)))
    result = selectors.portfolio(scope, start, dt.date(last, 12, 31))
    return render(
        request,
        f"{T}/portfolio.html",
        {
            "portfolio": result,
            "first": first,
            "last": last,
            "end": end,
            "units": served,
            "unit_id": chosen[0].pk if chosen else None,
            "years": list(range(2010, today.year + 2)),
        },
    )


# --- project ------------------------------------------------------------------------------------


def _location_context(unit: AdminUnit | None, lat: Any = "", lon: Any = "") -> dict[str, Any]:
    return {
        "picker_lat": lat,
        "picker_lon": lon,
        "picker_boundaries": geo.boundaries_geojson([unit.pk]) if unit else None,
    }


@require_http_methods(["GET", "POST"])
@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    unit = _current_unit(request)
    if unit is None or not rules.can_edit(request.user, unit):
        raise DjangoPermissionDenied("Chỉ chuyên viên, lãnh đạo phường được lập dự án GPMB.")
    form = forms.ProjectForm(request.POST or None)
    lat, lon = request.POST.get("lat", ""), request.POST.get("lon", "")
    location_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                unit=unit, actor=request.user, data=form.data_for(lat, lon)
            )
        except DomainError as exc:
            if exc.code.startswith("location_"):
                location_errors.append(exc.message)
            else:
                forms.add_domain_error(form, exc)
        else:
            messages.success(request, f"Đã lập dự án {project.code}.")
            return HttpResponseRedirect(services.project_url(project))
    context = {"form": form, "unit": unit, "editing": None, "picker_errors": location_errors}
    context.update(_location_context(unit, lat, lon))
    return render(request, f"{T}/project_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    import json

    project = _project(request, pk)
    if not rules.can_edit(request.user, project.unit_id):
        raise DjangoPermissionDenied("Bạn không có quyền sửa dự án này.")
    initial = {
        "name": project.name,
        "investor": project.investor,
        "purpose": project.purpose,
        "area_m2": f"{project.area_m2:f}".replace(".", ","),
        "address": project.address,
        "start_date": project.start_date,
        "target_date": project.target_date,
        "boundary": json.dumps(project.boundary) if project.boundary else "",
    }
    form = forms.ProjectForm(request.POST or None, initial=initial)
    lat = request.POST.get("lat", "") if request.method == "POST" else (project.lat or "")
    lon = request.POST.get("lon", "") if request.method == "POST" else (project.lon or "")
    location_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                project=project, actor=request.user, data=form.data_for(lat, lon)
            )
        except DomainError as exc:
            if exc.code.startswith("location_"):
                location_errors.append(exc.message)
            else:
                forms.add_domain_error(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin dự án.")
            return HttpResponseRedirect(services.project_url(project))
    context = {
        "form": form,
        "unit": project.unit,
        "editing": project,
        "picker_errors": location_errors,
    }
    context.update(_location_context(project.unit, lat, lon))
    return render(request, f"{T}/project_form.html", context)


@require_GET
@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    progress = selectors.project_progress(project)
    parties = list(selectors.parties_with_obstacles(project).order_by("code")[:1000])
    today = timezone.localdate()
    features: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    if project.lat is not None and project.lon is not None:
        features["features"].append(
            geo.map_feature(
                layer="project",
                id=project.pk,
                lat=project.lat,
                lon=project.lon,
                title=f"{project.code} {project.name}",
                status=project.status,
                status_label=project.get_status_display(),
            )
        )
    boundaries = geo.boundaries_geojson([project.unit_id])
    if project.boundary:
        boundaries["features"].append(
            {"type": "Feature", "geometry": project.boundary, "properties": {"name": project.name}}
        )
    can_edit = rules.can_edit(request.user, project.unit_id)
    can_decide = rules.can_decide(request.user, project.unit_id)
    return render(
        request,
        f"{T}/detail.html",
        {
            "project": project,
            "progress": progress,
            "parties": parties,
            "timeline": selectors.project_timeline(project, limit=100),
            "today": today,
            "can_edit": can_edit
            and project.status in (ProjectStatus.PLANNING, ProjectStatus.IN_PROGRESS),
            "can_decide": can_decide,
            "party_form": forms.PartyForm(),
            "status_form": forms.StatusForm(initial={"on": today}),
            "map_features": features,
            "map_boundaries": boundaries,
            "overdue": bool(
                project.target_date and project.target_date < today and project.is_open
            ),
        },
    )


@require_POST
@login_required
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.project_set_status(
                project=project,
                status=form.cleaned_data["status"],
                on=form.cleaned_data.get("on"),
                note=form.cleaned_data.get("note", ""),
                actor=request.user,
            )
        except DomainPermissionDenied as exc:
            raise _denied(exc) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã đổi trạng thái dự án.")
    else:
        messages.error(request, "Dữ liệu không hợp lệ: " + _errors(form))
    return HttpResponseRedirect(services.project_url(project))


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@login_required
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not rules.can_edit(request.user, project.unit_id):
        raise DjangoPermissionDenied("Bạn không có quyền thêm hộ vào dự án này.")
    form = forms.PartyForm(request.POST)
    if form.is_valid():
        try:
            party = services.party_add(project=project, actor=request.user, data=form.party_data())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã thêm {party.code} {party.name}.")
            return HttpResponseRedirect(services.party_url(party))
    else:
        messages.error(request, "Chưa thêm được hộ: " + _errors(form))
    return HttpResponseRedirect(services.project_url(project) + "#them-ho")


# --- import -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def parties_import(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not rules.can_edit(request.user, project.unit_id):
        raise DjangoPermissionDenied("Bạn không có quyền nhập danh sách hộ.")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            added = services.parties_import(
                project=project, actor=request.user, content=form.cleaned_data["file"].read()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            if exc.code == "import_invalid" and isinstance(exc.details, dict):
                report = exc.details["rows"]
        else:
            messages.success(request, f"Đã nhập {added} hộ/tổ chức.")
            return HttpResponseRedirect(services.project_url(project))
    return render(
        request,
        f"{T}/import.html",
        {"project": project, "form": form, "report": report, "columns": services.IMPORT_COLUMNS},
    )


@require_GET
@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not visible_unit_ids(request.user):
        raise DjangoPermissionDenied("Trang này dành cho cán bộ phường.")
    response = HttpResponse(
        services.import_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-ho-gpmb.xlsx"'
    return response


# --- party ----------------------------------------------------------------------------------------


@require_GET
@login_required
def party_detail(request: HttpRequest, project_pk: int, pk: int) -> HttpResponse:
    party = _party(request, project_pk, pk)
    project = party.project
    today = timezone.localdate()
    next_step = Step(party.step + 1) if party.step < Step.HANDED_OVER else None
    open_project = project.status in (ProjectStatus.PLANNING, ProjectStatus.IN_PROGRESS)
    obstacles = list(party.obstacles.all())
    has_open = any(o.is_open for o in obstacles)
    can_decide = rules.can_decide(request.user, project.unit_id)
    steps = [
        (s, getattr(party, f) if (f := selectors.STEP_DATE_FIELDS.get(s)) else None) for s in Step
    ]
    return render(
        request,
        f"{T}/party.html",
        {
            "project": project,
            "party": party,
            "steps": steps,
            "next_step": next_step,
            "can_step": bool(
                next_step
                and open_project
                and rules.can_record_step(request.user, project.unit_id, next_step)
            ),
            "needs_amount": next_step in (Step.PLAN_DRAFTED, Step.PLAN_APPROVED, Step.PAID),
            "needs_decision": next_step == Step.DECIDED,
            "can_edit": open_project and rules.can_edit(request.user, project.unit_id),
            "can_force_inventory": open_project
            and can_decide
            and has_open
            and party.step == Step.NOTIFIED,
            "can_force_recovery": open_project
            and can_decide
            and has_open
            and party.step in (Step.DECIDED, Step.PAID),
            "step_form": forms.StepForm(initial={"on": today}),
            "forced_form": forms.ForcedForm(initial={"on": today}),
            "obstacle_form": forms.ObstacleForm(initial={"on": today}),
            "resolve_form": forms.ResolveForm(initial={"on": today}),
            "obstacles": obstacles,
            "events": list(party.events.select_related("actor").order_by("-on", "-pk")[:100]),
            "payment_overdue": selectors.payment_overdue(party, today),
            "today": today,
        },
    )


def _back(party: AffectedParty) -> HttpResponse:
    return HttpResponseRedirect(services.party_url(party))


@require_POST
@login_required
def party_step(request: HttpRequest, project_pk: int, pk: int) -> HttpResponse:
    party = _party(request, project_pk, pk)
    form = forms.StepForm(request.POST)
    try:
        step = int(request.POST.get("step", ""))
    except ValueError:
        step = -1
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.party_advance(
                party=party,
                step=step,
                on=d["on"],
                amount=d.get("amount") or None,
                decision_number=d.get("decision_number", ""),
                note=d.get("note", ""),
                actor=request.user,
            )
        except DomainPermissionDenied as exc:
            raise _denied(exc) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã ghi nhận: {Step(step).label}.")
    else:
        messages.error(request, "Chưa ghi nhận được: " + _errors(form))
    return _back(party)


@require_POST
@login_required
def party_force(request: HttpRequest, project_pk: int, pk: int, what: str) -> HttpResponse:
    party = _party(request, project_pk, pk)
    form = forms.ForcedForm(request.POST)
    service = {
        "kiem-dem": services.party_force_inventory,
        "cuong-che": services.party_force_recovery,
    }.get(what)
    if service is None:
        raise Http404
    if form.is_valid():
        try:
            service(
                party=party,
                on=form.cleaned_data["on"],
                note=form.cleaned_data.get("note", ""),
                actor=request.user,
            )
        except DomainPermissionDenied as exc:
            raise _denied(exc) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã ghi nhận.")
    else:
        messages.error(request, "Chưa ghi nhận được: " + _errors(form))
    return _back(party)


@require_POST
@login_required
def obstacle_open(request: HttpRequest, project_pk: int, pk: int) -> HttpResponse:
    party = _party(request, project_pk, pk)
    form = forms.ObstacleForm(request.POST)
    if form.is_valid():
        try:
            services.obstacle_open(
                party=party,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                description=form.cleaned_data.get("description", ""),
                actor=request.user,
            )
        except DomainPermissionDenied as exc:
            raise _denied(exc) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã ghi nhận vướng mắc.")
    else:
        messages.error(request, "Chưa ghi nhận được: " + _errors(form))
    return _back(party)


@require_POST
@login_required
def obstacle_resolve(
    request: HttpRequest, project_pk: int, pk: int, obstacle_pk: int
) -> HttpResponse:
    party = _party(request, project_pk, pk)
    try:
        obstacle = ClearanceObstacle.objects.get(pk=obstacle_pk, party=party)
    except ClearanceObstacle.DoesNotExist as exc:
        raise Http404 from exc
    obstacle.party = party
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.obstacle_resolve(
                obstacle=obstacle,
                on=form.cleaned_data["on"],
                resolution=form.cleaned_data["resolution"],
                actor=request.user,
            )
        except DomainPermissionDenied as exc:
            raise _denied(exc) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã ghi nhận cách giải quyết.")
    else:
        messages.error(request, "Chưa ghi nhận được: " + _errors(form))
    return _back(party)


def list_url() -> str:
    return reverse("urban_clearance:project_list")
