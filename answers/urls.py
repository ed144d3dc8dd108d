from django.urls import path

from answers import views

app_name = "answers"

urlpatterns = [
    path("", views.question_list, name="question_list"),
    path("new/", views.question_create_view, name="question_create"),
    path("<int:pk>/", views.question_detail, name="question_detail"),
    path("<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("<int:pk>/draft.docx", views.draft_docx, name="draft_docx"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("answers/<int:pk>/", views.answer_detail, name="answer_detail"),
    path("answers/<int:pk>/verify/", views.answer_verify, name="answer_verify"),
    path("answers/<int:pk>/document.docx", views.answer_docx, name="answer_docx"),
    path("answers/<int:pk>/correct/", views.answer_correct, name="answer_correct"),
]
