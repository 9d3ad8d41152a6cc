from django.urls import path

from spaces import views

app_name = "spaces"
urlpatterns = [path("", views.directory, name="directory")]
