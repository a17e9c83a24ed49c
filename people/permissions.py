"""Who may see what the desk keeps private about people.

A source's contact details and notes, and the real name of an anonymous
source, are for those who may edit sources; a journalist's e-mail and linked
account for those who may edit journalists. Everyone else at the desk sees a
source as readers do (``Source.public_name``).
"""


def can_see_private_source_fields(user):
    return user.is_active and user.is_staff and user.has_perm("people.change_source")


def can_see_private_journalist_fields(user):
    return (
        user.is_active and user.is_staff and user.has_perm("people.change_journalist")
    )


def source_label(user, source):
    """How ``source`` is named to ``user``: the real name only if they may know it."""
    if source is None:
        return ""
    return source.name if can_see_private_source_fields(user) else source.public_name
