from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stations.selectors import station_get_for_user, stations_for_user


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    stations = stations_for_user(request.user).select_related("district__province").order_by("district__name", "name")
    page = Paginator(stations, 50).get_page(request.GET.get("page"))
    return render(request, "stations/list.html", {"page": page})


@login_required
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    postings = station.postings.active().select_related("user").order_by("role")
    return render(request, "stations/detail.html", {"station": station, "postings": postings})
