from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("<int:alert_id>/close/", views.alert_close, name="alert_close"),
    path("vehicles/check/", views.vehicle_check_view, name="vehicle_check"),
]
