from django.urls import path

from complaints import views

app_name = "complaints"
urlpatterns = [
    # Public portal (no login)
    path("new/", views.complaint_new, name="new"),
    path("new/done/", views.complaint_filed, name="filed"),
    path("track/", views.complaint_track, name="track"),
    path("track/status/", views.complaint_status, name="status"),
    path("track/status/info/", views.complaint_add_info, name="add_info"),
    path("track/status/feedback/", views.complaint_feedback, name="feedback"),
    path("track/status/reopen/", views.complaint_reopen_request, name="reopen"),
    # Officers
    path("", views.complaint_inbox, name="inbox"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/assign/", views.complaint_assign_view, name="assign"),
    path("<int:pk>/status/", views.complaint_status_view, name="change_status"),
    path("<int:pk>/note/", views.complaint_note_view, name="note"),
    path("<int:pk>/fir/", views.complaint_register_fir, name="register_fir"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.complaint_attachment, name="attachment"),
]
