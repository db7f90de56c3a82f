from django.urls import path

from khidmat import views

app_name = "khidmat"
urlpatterns = [
    path("", views.centre_list, name="centres"),
    path("centre/<str:code>/", views.counter, name="counter"),
    path("centre/<str:code>/tokens/", views.token_take_view, name="token_take"),
    path("centre/<str:code>/call/", views.token_call_view, name="token_call"),
    path("centre/<str:code>/new/<slug:service_code>/", views.application_new, name="new"),
    path("centre/<str:code>/applications/", views.application_list, name="list"),
    path("centre/<str:code>/dashboard/", views.dashboard, name="dashboard"),
    path("centre/<str:code>/fees.csv", views.fees_csv, name="fees_csv"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/photo/", views.application_photo, name="photo"),
    path("applications/<int:pk>/decide/", views.application_decide_view, name="decide"),
    path("applications/<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
    path("applications/<int:pk>/<str:kind>-<str:lang>.pdf", views.application_pdf, name="pdf"),
    path("verifications/", views.verification_inbox, name="verifications"),
    path("verifications/<int:pk>/", views.verification_detail, name="verification"),
    path("cro-reviews/", views.cro_review_list, name="cro_reviews"),
    path("cro-reviews/<int:pk>/", views.cro_review_detail, name="cro_review"),
    path("track/", views.track, name="track"),
    path("track/status/", views.status, name="status"),
    path("track/<str:kind>-<str:lang>.pdf", views.status_pdf, name="status_pdf"),
    path("verify/<str:key>/", views.verify, name="verify"),
]
