from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from intranet import views
from intranet.forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("notifications/", views.notifications, name="notifications"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", include("profiles.urls")),
    path("spaces/", include("spaces.urls")),
    path("blogs/", include("blog.urls")),
    path("search/", include("search.urls")),
    path("admin/", admin.site.urls),
]
