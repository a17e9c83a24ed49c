"""The desk's background tasks: a thin call into the module that does the work."""

from django_tasks import task

from . import notices


@task()
def mail_notice(notice_id):
    return notices.mail(notice_id)
