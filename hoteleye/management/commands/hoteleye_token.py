from django.core.management.base import BaseCommand, CommandError

from casp.models import User
from hoteleye.models import Hotel
from hoteleye.services import token_rotate


class Command(BaseCommand):
    help = (
        "Create or rotate a hotel's API token and print it (the old one stops working). "
        "Without an argument, list the hotels, one per line, code first. "
        "With --user USERNAME, do the same for an officer's token (for GET /api/v1/alerts/)."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("hotel_code", nargs="?", help="the hotel's code, e.g. ISB-H001")
        parser.add_argument("--user", help="make a token for this officer instead of a hotel")

    def handle(self, *args: object, hotel_code: str | None = None, user: str | None = None, **options: object) -> None:
        if user:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"No active user {user!r}.")
            self.stdout.write(token_rotate(acting_user=None, user=account))
            return
        if not hotel_code:
            for hotel in Hotel.objects.select_related("station").order_by("code"):
                active = "" if hotel.is_active else "  (inactive)"
                self.stdout.write(f"{hotel.code}\t{hotel.name}\tPS {hotel.station.name}{active}")
            return
        hotel = Hotel.objects.filter(code=hotel_code.strip().upper()).first()
        if hotel is None:
            raise CommandError(f"No hotel with code {hotel_code!r}; run without an argument to list them.")
        self.stdout.write(token_rotate(acting_user=None, hotel=hotel))
