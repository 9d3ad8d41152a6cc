from django.contrib.auth.forms import AuthenticationForm

from intranet.errors import ServiceError


class ServiceErrorsMixin:
    """Puts a service's refusal on a form as GOV.UK shows errors: next to the
    field it names when the form has that field, else next to `fallback_field`
    (the control that caused it, on a form with one), else above the form.

    Every form that is sent to a service uses it, so a forged value that slips
    past the form is still refused by the service, in the same place on the page.
    """

    fallback_field: str = ""

    def service_error_field(self, error: ServiceError) -> str | None:
        """The field `error` is shown next to; None for above the form."""
        if error.field in self.fields:
            return error.field
        return self.fallback_field or None

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(self.service_error_field(error), error.message)


class SignInForm(AuthenticationForm):
    """Django's sign-in form with error messages in the GOV.UK style."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # Deactivated accounts get the same message: no hint that the name exists.
        "invalid_login": "Enter a correct username and password",
        "inactive": "Enter a correct username and password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
