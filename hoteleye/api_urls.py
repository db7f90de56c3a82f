from django.urls import path

from hoteleye import api

app_name = "hoteleye_api"
urlpatterns = [
    path("hoteleye/checkins/", api.checkin_create, name="checkin_create"),
    path("hoteleye/checkins/<int:checkin_id>/checkout/", api.checkin_checkout, name="checkin_checkout"),
    path("alerts/", api.alert_list, name="alert_list"),
]
