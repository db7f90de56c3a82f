"""Reports: CompStat, trends, rankings (mounted at /analytics/)."""

from django.urls import path

from analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("compstat/<slug:level>/<str:code>/", views.compstat, name="compstat"),
    path("compstat/<slug:level>/<str:code>/compstat.csv", views.compstat_csv, name="compstat_csv"),
    path("compstat/<slug:level>/<str:code>/compstat-<str:lang>.pdf", views.compstat_pdf, name="compstat_pdf"),
]
