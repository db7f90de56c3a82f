from django.contrib import admin

from casp.admin import ReadOnlyInline, ReadOnlyModelAdmin
from registrations.models import RegisteredPerson, Registration


class PersonInline(ReadOnlyInline):
    model = RegisteredPerson


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyModelAdmin):
    list_display = ["tracking_number", "kind", "station", "start_date", "is_late", "ended_at"]
    list_filter = ["kind", "is_late"]
    search_fields = ["tracking_number"]
    inlines = [PersonInline]
