from django.urls import path

from stations import views

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="list"),
    path("audit-log/", views.audit_log, name="audit_log"),
    path("<str:code>/", views.station_detail, name="detail"),
    path("<str:code>/dashboard/", views.station_dashboard, name="dashboard"),
    path("<str:code>/registers/", views.register_catalogue, name="registers"),
    path("<str:code>/registers/<str:register_code>/", views.register_list, name="register_list"),
    path("<str:code>/registers/<str:register_code>/add/", views.register_add, name="register_add"),
    path("<str:code>/registers/<str:register_code>/<int:pk>/", views.register_entry_detail, name="register_entry"),
    path(
        "<str:code>/registers/<str:register_code>/<int:pk>/correct/",
        views.register_entry_correct_view,
        name="register_entry_correct",
    ),
    path(
        "<str:code>/registers/<str:register_code>/<int:pk>/void/",
        views.register_entry_void_view,
        name="register_entry_void",
    ),
]
