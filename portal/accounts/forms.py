"""Forms of the accounts app."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Note that after %(limit)s failed attempts the account is locked."
        ),
        "inactive": _("This account is disabled. Contact your unit's administrator."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"class": "form-control"})
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")

    def get_invalid_login_error(self) -> forms.ValidationError:
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class CodeForm(forms.Form):
    """The second step: a code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
