from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("", views.start, name="start"),
    path("new/<str:kind>/", views.new, name="new"),
    path("filed/", views.filed, name="filed"),
    path("batch/", views.batch, name="batch"),
    path("station/", views.registration_list, name="list"),
    path("station/<int:pk>/", views.registration_detail, name="detail"),
    path("station/<int:pk>/end/", views.registration_end, name="end"),
]
