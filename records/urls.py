from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<str:token>/", views.import_confirm, name="import_confirm"),
]
