"""Password change and reset forms: Django's, styled, and ending the forced change
(accounts.actions.choose_password)."""

from django.contrib.auth import forms as auth_forms

from accounts import actions
from core.forms import StyledForm


class PasswordChangeForm(StyledForm, auth_forms.PasswordChangeForm):
    def save(self, commit=True):
        return actions.choose_password(self.user, self.cleaned_data["new_password1"])


class SetPasswordForm(StyledForm, auth_forms.SetPasswordForm):
    """The new password after following a reset link."""

    def save(self, commit=True):
        return actions.choose_password(self.user, self.cleaned_data["new_password1"])


class PasswordResetForm(StyledForm, auth_forms.PasswordResetForm):
    pass
