"""Adding a member of staff in one step: the account, its role and, for those
who write, the journalist profile their byline and author page come from.

``add_staff_member()`` is the one home of the rule; the desk's form
(``StaffMemberForm``, Admin › Journalists › “Add a staff member”) calls it.
Only superusers and accounts holding ``auth.add_user`` and
``auth.change_user`` may add staff: making an account an Editor grants every
permission the role has.
"""

from dataclasses import dataclass

import reversion
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from .models import Journalist

ROLES = ("Reporter", "Editor", "Photo editor")
ROLE_HELP = {
    "Reporter": "Writes stories and submits them for review.",
    "Editor": "Edits and publishes any story; manages sources and journalists.",
    "Photo editor": "Uploads and edits photos.",
}


def can_add_staff(user):
    return user.is_active and (
        user.is_superuser
        or (user.has_perm("auth.add_user") and user.has_perm("auth.change_user"))
    )


@dataclass(frozen=True)
class StaffMember:
    user: object
    journalist: Journalist | None
    role: str

    def summary(self):
        name = self.user.get_full_name() or self.user.get_username()
        profile = " with an author page" if self.journalist else ""
        return f"{name} can now sign in to the desk as {self.role}{profile}."


def _split(name):
    first, _, last = name.strip().partition(" ")
    return first, last


def _free_slug(name):
    base = slugify(name)[:190] or "journalist"
    slug, number = base, 2
    while Journalist.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def add_staff_member(
    *, name, email, username, password, role, journalist_title=None, by=None
):
    """Make the account (staff, in ``role``'s group) and, unless
    ``journalist_title`` is None, its journalist profile, linked to it."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    first, last = _split(name)
    user = get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first,
        last_name=last,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=role))
    journalist = None
    if journalist_title is not None:
        with reversion.create_revision():
            journalist = Journalist.objects.create(
                name=name.strip(),
                slug=_free_slug(name),
                role=journalist_title.strip(),
                email=email,
                user=user,
            )
            if by is not None:
                reversion.set_user(by)
            reversion.set_comment("Added with a new staff account")
    return StaffMember(user=user, journalist=journalist, role=role)


class StaffMemberForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 40}),
    )
    email = forms.EmailField(
        label="E-mail",
        help_text="Private: for the desk only.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "size": 40}),
    )
    username = forms.CharField(
        max_length=150,
        required=False,
        help_text="What they sign in with. Leave empty to use the part of the "
        "e-mail before the @.",
    )
    role = forms.ChoiceField(
        choices=[(role, f"{role} — {ROLE_HELP[role]}") for role in ROLES],
        widget=forms.RadioSelect,
        initial="Reporter",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    with_profile = forms.BooleanField(
        label="Give them a byline and an author page (a journalist profile)",
        required=False,
        initial=True,
    )
    journalist_title = forms.CharField(
        label="Title shown under their name",
        max_length=200,
        required=False,
        help_text="E.g. “Political correspondent”. Only with a journalist profile.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail already exists.")
        return email

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        username = (cleaned.get("username") or "").strip()
        if not username and email:
            username = email.split("@", 1)[0]
        if username:
            field = get_user_model()._meta.get_field("username")
            try:
                field.run_validators(username)
            except forms.ValidationError as error:
                self.add_error("username", error)
            if get_user_model().objects.filter(username__iexact=username).exists():
                self.add_error(
                    "username",
                    f"“{username}” is taken: choose another username.",
                )
            cleaned["username"] = username
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            user = get_user_model()(
                username=username, email=email or "", first_name=cleaned.get("name", "")
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, *, by):
        data = self.cleaned_data
        title = data["journalist_title"] if data["with_profile"] else None
        return add_staff_member(
            name=data["name"],
            email=data["email"],
            username=data["username"],
            password=data["password1"],
            role=data["role"],
            journalist_title=title,
            by=by,
        )
