"""Adding a member of staff in one step (Admin › Journalists › Add a staff
member): the account, its role and the journalist profile together."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from people.models import Journalist
from tests.factories import JournalistFactory

ADD = reverse("admin:people_journalist_add_staff")
PASSWORD = "harbour-Lights-42"


def form(**changes):
    data = {
        "name": "Ana Ruiz",
        "email": "ana.ruiz@example.org",
        "username": "",
        "role": "Reporter",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "with_profile": "on",
        "journalist_title": "Courts reporter",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("chief", "chief@example.org", "s3cret-pass!")
    client.force_login(user)
    return user


def member(username, role):
    user = User.objects.create_user(username, password="s3cret-pass!", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.mark.django_db
def test_one_form_makes_the_account_the_role_and_the_byline(client, superuser):
    response = client.post(ADD, form(), follow=True)
    user = User.objects.get(username="ana.ruiz")  # from the e-mail
    assert user.is_staff and not user.is_superuser
    assert (user.first_name, user.last_name) == ("Ana", "Ruiz")
    assert list(user.groups.values_list("name", flat=True)) == ["Reporter"]
    assert user.check_password(PASSWORD)
    journalist = Journalist.objects.get(user=user)
    assert (journalist.name, journalist.slug, journalist.role, journalist.email) == (
        "Ana Ruiz",
        "ana-ruiz",
        "Courts reporter",
        "ana.ruiz@example.org",
    )
    page = response.content.decode()
    assert (
        "Ana Ruiz can now sign in to the desk as Reporter with an author page." in page
    )
    assert response.redirect_chain[-1][0] == reverse(
        "admin:people_journalist_change", args=[journalist.pk]
    )
    # The new reporter can sign in and reach the desk.
    client.logout()
    assert client.login(username="ana.ruiz", password=PASSWORD)
    assert client.get(reverse("admin:articles_article_add")).status_code == 200


@pytest.mark.django_db
def test_a_photo_editor_without_a_byline(client, superuser):
    client.post(ADD, form(role="Photo editor", with_profile=None, username="pix"))
    user = User.objects.get(username="pix")
    assert list(user.groups.values_list("name", flat=True)) == ["Photo editor"]
    assert not Journalist.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_taken_name_gets_a_numbered_author_address(client, superuser):
    JournalistFactory(name="Ana Ruiz", slug="ana-ruiz")
    client.post(ADD, form())
    assert Journalist.objects.get(user__username="ana.ruiz").slug == "ana-ruiz-2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"password2": "something-else-9"}, "password2", "The two passwords differ."),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
        ({"email": "not an address"}, "email", "valid email"),
        ({"role": "Owner"}, "role", "Select a valid choice"),
        ({"name": ""}, "name", "This field is required"),
        ({"username": "bad name!"}, "username", "valid username"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_is_made(
    client, superuser, changes, field, message
):
    response = client.post(ADD, form(**changes))
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert message.lower() in " ".join(response.context["form"].errors[field]).lower()
    assert not User.objects.exclude(pk=superuser.pk).exists()
    assert not Journalist.objects.exists()


@pytest.mark.django_db
def test_an_e_mail_or_username_already_in_use_is_refused(client, superuser):
    User.objects.create_user("ana", email="Ana.Ruiz@example.org")
    page = client.post(ADD, form(username="ana")).content.decode()
    assert "An account with this e-mail already exists." in page
    assert "is taken: choose another username." in page
    assert User.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Reporter", "Editor", "Photo editor"])
def test_desk_roles_may_not_add_staff(client, role):
    client.force_login(member("someone", role))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form()).status_code == 403
    assert not User.objects.filter(username="ana.ruiz").exists()
    page = client.get(reverse("admin:people_journalist_changelist"))
    if page.status_code == 200:
        assert ADD not in page.content.decode()


@pytest.mark.django_db
def test_an_account_with_the_user_permissions_may_add_staff(client):
    user = member("hr", "Editor")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="auth", codename__in=["add_user", "change_user"]
        )
    )
    client.force_login(user)
    assert (
        ADD
        in client.get(reverse("admin:people_journalist_changelist")).content.decode()
    )
    client.post(ADD, form(role="Editor"))
    assert User.objects.get(username="ana.ruiz").groups.get().name == "Editor"


@pytest.mark.django_db
def test_the_users_list_links_to_the_form(client, superuser):
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert ADD in page
