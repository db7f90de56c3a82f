"""CompStat pages: screen, CSV and PDF of one area's report; every run audited."""

from __future__ import annotations

import csv
import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.charts import bar_chart
from analytics.forms import PeriodForm
from analytics.periods import compstat_periods, custom_period, week_end, week_start
from analytics.selectors import Area, area_default_for_user, area_get_for_user, compstat_report, freshness
from casp import audit
from casp.decorators import role_required
from casp.pdf import html_to_pdf, pdf_context
from casp.replica import using_replica
from casp.roles import Role

READERS = (Role.SHO, Role.DISTRICT_OFFICER)


def _period_label(key: str) -> str:
    return {
        "week": _("Week to date"),
        "28d": _("Last 28 days"),
        "ytd": _("Year to date"),
        "custom": _("Period"),
    }[key]


@role_required(*READERS)
def index(request: HttpRequest) -> HttpResponse:
    """Open the user's own area: the country, their district or their station."""
    area = area_default_for_user(request.user)
    if area is None:
        raise Http404("No area in your jurisdiction.")
    return redirect("analytics:compstat", level=area[0], code=area[1])


def _run(request: HttpRequest, level: str, code: str, *, fmt: str) -> tuple[Area, PeriodForm, dict | None]:
    area = area_get_for_user(request.user, level=level, code=code)
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return area, form, None
    data = form.cleaned_data if request.GET else {}
    today = timezone.localdate()
    if data.get("start") and data.get("end"):
        periods = custom_period(data["start"], data["end"])
        as_of = data["end"]
        week = None
    else:
        week = week_start(data.get("week") or today)
        as_of = min(week_end(week), today)
        periods = compstat_periods(as_of, week=week)
    frozen = (data.get("basis") or "frozen") == "frozen"
    report = compstat_report(area, periods, frozen=frozen)
    report.update(
        {
            "as_of": as_of,
            "week": week,
            "week_end": week_end(week) if week else None,
            "complete": as_of < today,
            "frozen": frozen,
            "computed_at": timezone.now(),
            "fresh_at": freshness(),
        }
    )
    audit.record_read(
        actor=request.user,
        action="analytics.report_run",
        request=request,
        station_id=area.station_ids[0] if level == "station" else None,
        data={"area": f"{level} {code}", "as_of": as_of.isoformat(), "format": fmt},
    )
    return area, form, report


def _context(area: Area, report: dict, *, lang_rtl: bool) -> dict:
    periods = report["periods"]
    last = periods[-1]
    heads = [r for r in report["by_head"] if r["figures"][last.key].current or r["figures"][last.key].base]
    chart = bar_chart(
        title=_("FIRs by crime head, %(period)s, against a year earlier") % {"period": _period_label(last.key)},
        labels=[r["head"].display_name for r in heads],
        series=[
            (_("This year"), [r["figures"][last.key].current for r in heads]),
            (_("A year earlier"), [r["figures"][last.key].base for r in heads]),
        ],
    )
    for unit in report["units"]:
        unit["link"] = reverse("analytics:compstat", args=[unit["level"], unit["code"]])
        if unit["level"] == "station":
            # Drill-down: the FIR app's own list, scoped to the user's jurisdiction there.
            unit["fir_list"] = (
                f"{reverse('fir:list')}?station={unit['station_id']}&date_from={last.start}&date_to={last.end}"
            )
    rankings = None
    if len(report["units"]) > 1:
        rankings = [
            ("change", _("Change in crime (smallest rise first)"), report["rankings"]["change"]),
            ("detection", _("Detection rate"), report["rankings"]["detection"]),
            ("on_time", _("Complaint deadlines met"), report["rankings"]["on_time"]),
        ]
    return {
        "rankings": rankings,
        "area": area,
        "report": report,
        "periods": [(p, _period_label(p.key)) for p in periods],
        "chart": chart,
        "rtl": lang_rtl,
    }


@role_required(*READERS)
@using_replica
def compstat(request: HttpRequest, level: str, code: str) -> HttpResponse:
    area, form, report = _run(request, level, code, fmt="html")
    context = {"area": area, "form": form}
    if report is not None:
        context.update(_context(area, report, lang_rtl=translation.get_language_bidi()))
        context["query"] = request.GET.urlencode()
    return render(request, "analytics/compstat.html", context, status=200 if report is not None else 400)


def _errors_text(form: PeriodForm) -> str:
    return "\n".join(
        f"{form.fields[f].label if f in form.fields else f}: {' '.join(e)}" for f, e in form.errors.items()
    )


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}%"


@role_required(*READERS)
@using_replica
def compstat_csv(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """The report's figures as CSV: one row per period, measure and head, with the change and percent."""
    area, form, report = _run(request, level, code, fmt="csv")
    if report is None:
        return HttpResponse(_errors_text(form), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="compstat-{level}-{code}-{report["as_of"]}.csv"'
    writer = csv.writer(response)
    writer.writerow(["area", "as_of", "computed_at", "period", "from", "to", "measure", "head",
                     "current", "year_earlier", "change", "percent"])  # fmt: skip
    computed = report["computed_at"].isoformat(timespec="seconds")
    for p in report["periods"]:
        common = [f"{level} {code}", report["as_of"].isoformat(), computed, p.key, p.start, p.end]
        for row in report["summary"]:
            f = row["figures"][p.key]
            writer.writerow([*common, row["measure"], "", f.current, f.base, f.change, _pct(f.percent)])
        for row in report["by_head"]:
            f = row["figures"][p.key]
            writer.writerow([*common, "firs", row["head"].code, f.current, f.base, f.change, _pct(f.percent)])
    return response


@role_required(*READERS)
@using_replica
def compstat_pdf(request: HttpRequest, level: str, code: str, lang: str) -> HttpResponse:
    """The report as a PDF in English or Urdu (casp.pdf's fonts; the same SVG chart as the page)."""
    if lang not in ("en", "ur"):
        raise Http404("No such language.")
    area, form, report = _run(request, level, code, fmt=f"pdf-{lang}")
    if report is None:
        return HttpResponse(_errors_text(form), status=400, content_type="text/plain; charset=utf-8")
    with translation.override(lang):
        area = area_get_for_user(request.user, level=level, code=code)  # names in the PDF's language
        context = {**_context(area, report, lang_rtl=lang == "ur"), **pdf_context(lang=lang)}
        html = render_to_string("analytics/compstat_pdf.html", context)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="compstat-{level}-{code}-{report["as_of"]}-{lang}.pdf"'
    return response


def week_options(today: dt.date | None = None) -> list[dt.date]:
    """The Mondays of the last 12 weeks, newest first (the page's quick links)."""
    today = today or timezone.localdate()
    return [week_start(today) - dt.timedelta(days=7 * n) for n in range(12)]
