from django.urls import path

from hoteleye import views

app_name = "hoteleye"
urlpatterns = [
    path("", views.occupancy, name="occupancy"),
    path("guests/", views.guest_history, name="history"),
    path("guests/new/", views.checkin_new, name="checkin_new"),
    path("guests/import/", views.checkin_import, name="checkin_import"),
    path("guests/import/template.csv", views.checkin_import_template, name="checkin_import_template"),
    path("guests/<int:checkin_id>/", views.checkin_detail, name="checkin_detail"),
    path("guests/<int:checkin_id>/checkout/", views.checkin_checkout, name="checkin_checkout"),
    path("guests/<int:checkin_id>/photo/", views.checkin_photo, name="checkin_photo"),
    path("guests/<int:checkin_id>/thumb/", views.checkin_photo, {"thumb": True}, name="checkin_thumb"),
    path("hotels/", views.hotel_list, name="hotel_list"),
    path("hotels/new/", views.hotel_new, name="hotel_new"),
    path("hotels/<str:code>/", views.hotel_detail, name="hotel_detail"),
    path("hotels/<str:code>/staff/new/", views.hotel_staff_new, name="hotel_staff_new"),
    path("alerts/", views.alert_inbox, name="alert_inbox"),
    path("alerts/poll/", views.alert_inbox_poll, name="alert_poll"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:alert_id>/record-photo/", views.alert_record_photo, name="alert_record_photo"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/close/", views.alert_close, name="alert_close"),
]
