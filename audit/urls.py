from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log_list, name="log"),
    path("export/", views.audit_log_export, name="log_export"),
    path("clients/", views.client_search, name="client_search"),
    path("clients/<int:pk>/export/", views.client_export, name="client_export"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
]
