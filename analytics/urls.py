"""Reports: CompStat, trends, rankings (mounted at /analytics/)."""

app_name = "analytics"
urlpatterns: list = []
