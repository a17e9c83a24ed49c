from articles.models import Quote


class SourcingReport(Quote):
    """No table of its own: the admin's entry for the sourcing report, which
    reads the quotes of published stories (``sourcing.report``)."""

    class Meta:
        proxy = True
        verbose_name = "sourcing report"
        verbose_name_plural = "sourcing report"
        default_permissions = ()


class UnattributedQuote(Quote):
    """No table of its own: the admin's entry for the queue of quotes whose
    speaker the desk has yet to settle (``sourcing.queue``)."""

    class Meta:
        proxy = True
        verbose_name = "unattributed quote"
        verbose_name_plural = "unattributed quotes"
        default_permissions = ()
