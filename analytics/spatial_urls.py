"""Maps: hotspots, near-repeat analysis and their evaluation (mounted at /analytics/map/)."""

app_name = "hotspots"
urlpatterns: list = []
