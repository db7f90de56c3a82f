"""Pages of /analytics/map/: the hotspot map, near-repeat analysis and trends of a station or district."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from analytics.charts import Line, line_chart
from analytics.spatial_forms import HotspotForm, NearRepeatForm
from analytics.spatial_reports import TooFewEvents, hotspot_map, near_repeat
from analytics.spatial_selectors import DISTRICT, READERS, STATION, Area, area_get_for_user, districts_for_user
from analytics.trends import MONTH, WEEK, Series, trend_series
from casp import audit
from casp.decorators import role_required
from casp.formats import date_text
from casp.geo import map_data
from casp.replica import using_replica
from stations.selectors import stations_for_user


def _audit(request: HttpRequest, action: str, area: Area, **data: Any) -> None:
    audit.record_read(
        actor=request.user,
        action=action,
        target=area.target,
        request=request,
        data={"area": f"{area.kind} {area.code}", **{k: str(v) for k, v in data.items()}},
    )


def _context(area: Area, page: str, form: Any) -> dict[str, Any]:
    return {"area": area, "page": page, "form": form, "kinds": {"station": STATION, "district": DISTRICT}}


@role_required(*READERS)
def index(request: HttpRequest) -> HttpResponse:
    """The areas the user may analyse: their stations and districts."""
    stations = stations_for_user(request.user, roles=READERS).select_related("district").order_by("name")
    districts = districts_for_user(request.user)
    return render(request, "analytics/map/index.html", {"stations": stations, "districts": districts})


@role_required(*READERS)
@using_replica
def area_map(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    area = area_get_for_user(request.user, kind=kind, code=code)
    form = HotspotForm(request.GET)
    context = _context(area, "map", form)
    if not form.is_bound or form.is_valid():
        date_from, date_to = form.period()
        offences = form.offences()
        result = hotspot_map(area, offences, date_from, date_to)
        evaluation = result.evaluation
        context.update(
            result=result,
            evaluation=evaluation,
            pai=None if evaluation is None or evaluation.pai is None else f"{evaluation.pai:.2f}",
            hit_rate=None if evaluation is None or evaluation.hit_rate is None else f"{evaluation.hit_rate:.1%}",
            area_share=None if evaluation is None or evaluation.area_share is None else f"{evaluation.area_share:.2%}",
            period=(date_text(date_from), date_text(date_to)),
            next_period=tuple(date_text(d) for d in result.next_period),
            hotspot_map=map_data(stations=area.stations(), points=result.points, cells=_cell_titles(result.cells)),
        )
        _audit(request, "analytics.hotspot_map_viewed", area, period=f"{date_from}..{date_to}", offence=offences.key())
    return render(request, "analytics/map/area.html", context)


def _cell_titles(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    text = _("%(n)s offences in the cell; Gi* z = %(z)s, p = %(p)s")
    return [{"b": c["b"], "cls": c["cls"], "title": text % {"n": c["n"], "z": c["z"], "p": c["p"]}} for c in cells]


@role_required(*READERS)
@using_replica
def area_near_repeat(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    area = area_get_for_user(request.user, kind=kind, code=code)
    form = NearRepeatForm(request.GET)
    context = _context(area, "near_repeat", form)
    if not form.is_bound or form.is_valid():
        choices = form.choices()
        date_from, date_to = form.period()
        try:
            result = near_repeat(
                area,
                choices["offences"],
                date_from,
                date_to,
                distance_bands=choices["distance_bands"],
                day_bands=choices["day_bands"],
                shuffles=choices["shuffles"],
            )
        except TooFewEvents as exc:
            context["no_events"] = _(
                "The Knox test needs at least two mapped offences of this kind in the area and period; "
                "it found %(n)s. Choose a longer period (from, to) or another offence."
            ) % {"n": exc.args[0]}
        else:
            context.update(result=result, offence_label=choices["offences"].label)
        _audit(request, "analytics.near_repeat_run", area, period=f"{date_from}..{date_to}", offence=choices["offence"])
    return render(request, "analytics/map/near_repeat.html", context)


class TrendsForm(HotspotForm):
    default_days = 3 * 365


@role_required(*READERS)
@using_replica
def area_trends(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    area = area_get_for_user(request.user, kind=kind, code=code)
    form = TrendsForm(request.GET)
    context = _context(area, "trends", form)
    if not form.is_bound or form.is_valid():
        date_from, date_to = form.period()
        offences = form.offences()
        charts = []
        for step, title in ((WEEK, _("FIRs reported per week")), (MONTH, _("FIRs reported per month"))):
            series = trend_series(area, offences, date_from, date_to, step)
            charts.append(_chart(series, title))
        context["charts"] = charts
        _audit(request, "analytics.trends_viewed", area, period=f"{date_from}..{date_to}", offence=offences.key())
    return render(request, "analytics/map/trends.html", context)


def _chart(series: Series, title: str) -> dict[str, Any]:
    labels = [date_text(p.start) for p in series.points]
    svg = line_chart(
        title=title,
        x_labels=labels,
        lines=[
            Line(_("FIRs"), [p.count for p in series.points], "chart-observed"),
            Line(_("expected"), [round(p.expected, 1) for p in series.points], "chart-expected"),
        ],
        marks=[i for i, p in enumerate(series.points) if p.flagged],
    )
    rows = [(label, p.count, f"{p.expected:.1f}", p.reason) for label, p in zip(labels, series.points, strict=True)]
    return {"title": title, "svg": svg, "series": series, "rows": rows}
