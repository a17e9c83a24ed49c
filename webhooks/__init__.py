"""What happens when a story goes live, or changes, or goes away.

``articles.events`` says what happened to a story; this app listens
(``subscribers``) and does the work in background tasks (``tasks``), never
in the request: timers for the moments nobody saves anything (a scheduled
story going live, an embargo lifting), the page-cache purge, signed
webhooks to the endpoints editors configure, and the WebSub and IndexNow
pings. Nothing leaves the machine unless configured.
"""
