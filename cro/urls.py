from django.urls import path

from cro import views

app_name = "cro"
urlpatterns = [
    path("", views.record_search, name="search"),
    path("new/", views.record_create, name="create"),
    path("face-search/", views.face_search, name="face_search"),
    path("search-log/", views.search_log, name="search_log"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/edit/", views.record_edit, name="edit"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/fingerprints/", views.fingerprint_upload, name="fingerprint_upload"),
    path("<int:pk>/merge/", views.record_merge, name="merge"),
    path("photos/<int:pk>/<str:size>/", views.photo_file, name="photo"),
    path("fingerprints/<int:pk>/<str:size>/", views.fingerprint_file, name="fingerprint"),
]
