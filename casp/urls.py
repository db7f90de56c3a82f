from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from casp import probes, views
from stations import views as station_views

handler403 = "casp.views.error_403"
handler404 = "casp.views.error_404"
handler500 = "casp.views.error_500"

urlpatterns = [
    path("", station_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", probes.livez, name="livez"),
    path("readyz", probes.readyz, name="readyz"),
    path("metrics", probes.metrics, name="metrics"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("stations/", include("stations.urls")),
    path("cro/", include("cro.urls")),
    path("complaints/", include("complaints.urls")),
    path("alerts/", include("alerts.urls")),
    path("hoteleye/", include("hoteleye.urls")),
    path("registrations/", include("registrations.urls")),
    path("api/v1/", include("hoteleye.api_urls")),
    path("fir/", include("fir.urls")),
    path("khidmat/", include("khidmat.urls")),
    path("analytics/map/", include("analytics.spatial_urls")),
    path("analytics/", include("analytics.urls")),
]
