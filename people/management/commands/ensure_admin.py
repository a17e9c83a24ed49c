import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists. The first time, it is created with a "
        "generated password, which is printed once; later runs change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username",
            default="admin",
            help="Username of the admin account (default: admin).",
        )
        parser.add_argument(
            "--email", default="", help="Email address for a newly created account."
        )

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            if not (user.is_staff and user.is_superuser):
                raise CommandError(
                    f"User “{username}” exists but is not an admin. Choose another "
                    "--username or promote it in the admin."
                )
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"Admin account “{username}” already exists. Change its "
                    f"password with: python manage.py changepassword {username}"
                )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Created admin account “{username}”.")
            + f"\n  username: {username}\n  password: {password}\n"
            + "  Sign in at http://127.0.0.1:8000/admin/ and change the password "
            + f"there, or with: python manage.py changepassword {username}"
        )
