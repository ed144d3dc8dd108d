from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("clients/", views.CaseloadView.as_view(), name="caseload"),
    path("clients/<int:pk>/", views.ClientFileView.as_view(), name="client_detail"),
    path(
        "clients/<int:pk>/edit/",
        views.RecordFormView.as_view(),
        {"kind": "client"},
        name="client_edit",
    ),
    # Before the record URLs: "documents" and "gpmi" are no kinds of record.
    path(
        "clients/<int:pk>/documents/new/",
        views.DocumentUploadView.as_view(),
        name="document_add",
    ),
    path(
        "clients/<int:pk>/documents/<int:document_pk>/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "clients/<int:pk>/documents/<int:document_pk>/delete/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path(
        "clients/<int:pk>/gpmi/<int:record_pk>/contract/",
        views.GpmiContractView.as_view(),
        name="gpmi_contract",
    ),
    path(
        "clients/<int:pk>/<slug:kind>/new/",
        views.RecordFormView.as_view(),
        name="record_add",
    ),
    path(
        "clients/<int:pk>/<slug:kind>/<int:record_pk>/",
        views.RecordFormView.as_view(),
        name="record_edit",
    ),
    path("queue/", views.WorkQueueView.as_view(), name="workqueue"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path(
        "agenda/appointments/<int:pk>/<slug:action>/",
        views.AppointmentStatusView.as_view(),
        name="appointment_status",
    ),
    path(
        "agenda/abonnement/",
        views.CalendarFeedSettingsView.as_view(),
        name="calendar_feed_settings",
    ),
    path("agenda/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("quality/", views.DataQualityView.as_view(), name="data_quality"),
    path("team/transfer/", views.TransferView.as_view(), name="transfer"),
    path("team/transfer/done/", views.TransferDoneView.as_view(), name="transfer_done"),
]
