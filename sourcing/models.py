from articles.models import Quote


class SourcingReport(Quote):
    """No table of its own: the admin's entry for the sourcing report, which
    reads the quotes of published stories (``sourcing.report``)."""

    class Meta:
        proxy = True
        verbose_name = "sourcing report"
        verbose_name_plural = "sourcing report"
        default_permissions = ()
