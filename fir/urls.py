from django.urls import path

from fir import views

app_name = "fir"
urlpatterns = [
    path("", views.fir_list, name="list"),
    path("sections/", views.section_list, name="sections"),
    path("new/<str:code>/", views.fir_register_view, name="register"),
    path("<int:pk>/", views.fir_detail, name="detail"),
    path("<int:pk>/status/", views.fir_status_view, name="status"),
    path("<int:pk>/notes/", views.fir_note_view, name="note"),
    path("<int:pk>/accused/", views.fir_accused_view, name="accused"),
    path("<int:pk>/arrests/", views.fir_arrest_view, name="arrest"),
    path("<int:pk>/arrests/<int:arrest_pk>/custody-end/", views.arrest_custody_end_view, name="custody_end"),
    path("<int:pk>/vehicles/", views.fir_vehicle_view, name="vehicle_add"),
    path("<int:pk>/vehicles/<int:vehicle_pk>/recovered/", views.fir_vehicle_recovered_view, name="vehicle_recovered"),
    path("<int:pk>/investigating-officer/", views.fir_assign_io_view, name="assign_io"),
    path("<int:pk>/copy-<str:lang>.pdf", views.fir_copy, name="copy"),
    path("verify/<str:token>/", views.fir_verify, name="verify"),
]
