"""Maps: hotspots, near-repeat analysis and their evaluation, and trends (mounted at /analytics/map/)."""

from django.urls import path

from analytics import spatial_views as views
from analytics.spatial_selectors import DISTRICT, STATION

app_name = "hotspots"
urlpatterns = [
    path("", views.index, name="index"),
    path("station/<str:code>/", views.area_map, {"kind": STATION}, name="station"),
    path("district/<str:code>/", views.area_map, {"kind": DISTRICT}, name="district"),
    path("station/<str:code>/near-repeat/", views.area_near_repeat, {"kind": STATION}, name="station_near_repeat"),
    path("district/<str:code>/near-repeat/", views.area_near_repeat, {"kind": DISTRICT}, name="district_near_repeat"),
    path("trends/station/<str:code>/", views.area_trends, {"kind": STATION}, name="station_trends"),
    path("trends/district/<str:code>/", views.area_trends, {"kind": DISTRICT}, name="district_trends"),
]
