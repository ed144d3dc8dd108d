from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<str:token>/", views.import_job, name="import_job"),
    path("import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<str:token>/cancel/", views.import_cancel, name="import_cancel"),
]
