"""Behaviour of the rule modules that the mutation run (``make mutation``) found
no test checking: each test here fails with at least one surviving mutant put
back (README, "Mutation testing", lists them)."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from .factories import JournalistFactory

pytestmark = pytest.mark.django_db

PRIVATE_EMAIL = "lena.private@newsroom.example"


def desk_user(username, role):
    user = User.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


# people/permissions.py --------------------------------------------------------


@pytest.mark.parametrize(("role", "sees"), [("Editor", True), ("Reporter", False)])
def test_only_those_who_may_edit_journalists_see_their_email_and_account(
    client, role, sees
):
    """An editor (not a superuser, who may do anything) sees a journalist's
    e-mail and linked account, and finds them by e-mail; a reporter does not."""
    account = User.objects.create_user("lena", is_staff=True)
    lena = JournalistFactory(name="Lena Fairweather", email=PRIVATE_EMAIL, user=account)
    JournalistFactory(name="Tom Abbot")
    client.force_login(desk_user("viewer", role))

    form = client.get(reverse("admin:people_journalist_change", args=[lena.pk]))
    assert form.status_code == 200
    assert (PRIVATE_EMAIL in form.content.decode()) is sees
    assert ('name="user"' in form.content.decode()) is sees

    listing = reverse("admin:people_journalist_changelist")
    found = client.get(listing, {"q": "lena.private"})
    assert found.status_code == 200
    names = [j.name for j in found.context["cl"].result_list]
    assert names == (["Lena Fairweather"] if sees else [])
    # The linked-account column is for the same people only.
    assert ("column-user" in client.get(listing).content.decode()) is sees
