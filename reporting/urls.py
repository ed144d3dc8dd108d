from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("reports/council/", views.council_report, name="council_report"),
    path("api/reports/council/", views.council_report_api, name="council_report_api"),
]
