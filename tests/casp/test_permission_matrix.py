"""The permission matrix, as a test (issue 11).

Every URL pattern of the project is taken from the URL resolver, so a new page
cannot be forgotten: a pattern without an entry in MATRIX fails
``test_every_url_pattern_has_a_matrix_entry``, naming it. Each entry says which
object the URL takes, how it is called (GET, or an empty POST for a write), and
the status each role gets. ``test_permission_matrix`` then calls every URL as
every role plus anonymous, against an object of the user's own station (A),
one of another station in another district (B), and an id that does not
exist, and checks the status and that no foreign data appears in any answer.

The people: a system administrator, and at station A / district A one user of
each role (district officer and CRO officer posted to district A, hotel staff
of a hotel at station A, Khidmat staff and in-charge working at the Khidmat
Markaz of district A). Nobody but the system administrator has B in
jurisdiction. The Django admin (``admin:`` namespace) is one family: staff
only (test_admin_family_is_refused_to_everyone_but_staff).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from casp.roles import Role, roles_sync
from khidmat.models import CentreStaff, KhidmatCentre
from tests.factories import (
    DistrictFactory,
    HotelFactory,
    PoliceStationFactory,
    UserFactory,
    hotel_staff_user,
    posted_user,
)

ANON = "anonymous"
ADM, DPO, SHO, CLK, IO = (
    Role.SYSTEM_ADMIN,
    Role.DISTRICT_OFFICER,
    Role.SHO,
    Role.STATION_CLERK,
    Role.INVESTIGATING_OFFICER,
)
CRO, KHD, KHI, HTL = Role.CRO_OFFICER, Role.KHIDMAT_STAFF, Role.KHIDMAT_INCHARGE, Role.HOTEL_STAFF
ROLES = [ADM, DPO, SHO, CLK, IO, CRO, KHD, KHI, HTL]
PEOPLE = [ANON, *ROLES]

# Role groups as the views declare them.
STATION_POLICE = (SHO, CLK, IO)
READERS = (SHO, CLK, IO, DPO)  # FIRs, registers, dashboard, complaints
OFFICERS = (SHO, CLK, IO, DPO, CRO)  # Hotel Eye officers' pages
CRO_VIEW = (CRO, DPO, SHO)
POLICE_POSTED_A = (SHO, CLK, IO, DPO, CRO)  # police postings holding station A
CENTRE = (KHD, KHI, DPO)  # Khidmat Markaz pages: the centre's staff, and the district officer supervising it
COUNTER = (KHD, KHI)  # the counter: tokens and new applications

# What each kind of object is called with: own (station A), other (station B), missing (no such id).
NO_OBJECT = "none"


@dataclass(frozen=True)
class Entry:
    """The expected answers of one URL.

    ``ok``: status for each role allowed on its own object (the system
    administrator is allowed everywhere unless listed in ``deny_roles``).
    Roles not in ``ok`` get ``deny``. Anonymous gets ``anon``. An allowed role
    gets ``other`` on station B's object (None: the same as on its own: the CRO
    is national), and ``missing`` for an id that does not exist.
    """

    target: str = NO_OBJECT
    ok: dict = field(default_factory=dict)
    deny: int = 403
    anon: int = 302
    other: int | None = 404
    missing: int = 404
    post: bool = False
    deny_roles: tuple = ()

    def expected(self, person: str, which: str) -> int:
        if person == ANON:
            # A public page (anon 200) still has nothing to show for an id that does not exist.
            return self.missing if which == "missing" and self.anon == 200 else self.anon
        allowed = dict(self.ok)
        if ADM not in allowed and ADM not in self.deny_roles and allowed:
            allowed[ADM] = next(iter(allowed.values()))
        if person not in allowed:
            return self.deny
        if which == "missing":
            return self.missing
        if which == "other" and person != ADM and self.other is not None:
            return self.other
        return allowed[person]


def every(status: int, roles: tuple = tuple(ROLES)) -> dict:
    return dict.fromkeys(roles, status)


EVERYONE_SIGNED_IN = every(200)
PUBLIC = {"ok": every(200), "anon": 200}

MATRIX: dict[str, Entry] = {
    # --- kernel -------------------------------------------------------------------------------------------------
    # Hotel staff are sent to their hotel's guests, district officers to their district's CompStat.
    "home": Entry(ok={**EVERYONE_SIGNED_IN, HTL: 302, DPO: 302}),
    "healthz": Entry(**PUBLIC),
    "livez": Entry(**PUBLIC),
    "readyz": Entry(**PUBLIC),
    "metrics": Entry(**PUBLIC),  # the test client is the loopback; others need METRICS_TOKEN
    "login": Entry(ok=every(302), anon=200),  # a signed-in user is sent on
    "logout": Entry(ok=every(405), anon=405),  # POST only (GET would log out on a link)
    "password_change": Entry(ok=EVERYONE_SIGNED_IN),
    "password_change_done": Entry(ok=EVERYONE_SIGNED_IN),
    "set_language": Entry(ok=every(302), anon=302),
    # --- analytics: aggregates only; an area with a station outside the jurisdiction is a 404 ----------------
    "analytics:index": Entry(ok={**every(302, (SHO, DPO))}),
    "analytics:compstat": Entry("area_station", ok=every(200, (SHO, DPO))),
    "analytics:compstat_csv": Entry("area_station", ok=every(200, (SHO, DPO))),
    "analytics:compstat_pdf": Entry("area_station_pdf", ok=every(200, (SHO, DPO))),
    # --- stations -----------------------------------------------------------------------------------------------
    "stations:list": Entry(ok=EVERYONE_SIGNED_IN),
    "stations:detail": Entry("station", ok=every(200, (*POLICE_POSTED_A, KHD)), deny=404),
    "stations:dashboard": Entry("station", ok=every(200, READERS)),
    "stations:registers": Entry("station", ok=every(200, READERS)),
    "stations:register_list": Entry("register", ok=every(200, READERS)),
    "stations:register_add": Entry("register", ok=every(200, STATION_POLICE)),
    "stations:register_entry": Entry("register_entry", ok=every(200, READERS)),
    "stations:register_entry_correct": Entry("register_entry", ok=every(200, STATION_POLICE)),
    "stations:register_entry_void": Entry("register_entry", ok=every(302, (SHO,)), post=True),
    "stations:audit_log": Entry(ok=every(200, (SHO, DPO))),
    # --- FIR ----------------------------------------------------------------------------------------------------
    "fir:list": Entry(ok=every(200, READERS)),
    "fir:sections": Entry(ok=every(200, READERS)),
    "fir:register": Entry("station", ok=every(200, (SHO, CLK))),
    "fir:detail": Entry("fir", ok=every(200, READERS)),
    "fir:status": Entry("fir", ok=every(302, STATION_POLICE), post=True),
    "fir:note": Entry("fir", ok=every(302, STATION_POLICE), post=True),
    "fir:accused": Entry("fir", ok=every(302, STATION_POLICE), post=True),
    "fir:arrest": Entry("fir", ok=every(302, STATION_POLICE), post=True),
    "fir:custody_end": Entry("arrest", ok=every(302, STATION_POLICE), post=True),
    "fir:assign_io": Entry("fir", ok=every(302, (SHO,)), post=True),
    "fir:copy": Entry("fir_copy", ok=every(200, READERS)),
    "fir:vehicle_add": Entry("fir", ok=every(302, STATION_POLICE), post=True),
    "fir:vehicle_recovered": Entry("stolen_vehicle", ok=every(302, STATION_POLICE), post=True),
    "fir:verify": Entry("fir_token", ok=every(200), anon=200, other=None),  # public, shows nothing private
    # --- CRO (national: a record belongs to no station) --------------------------------------------------------
    "cro:search": Entry(ok=every(200, CRO_VIEW)),
    "cro:create": Entry(ok=every(200, (CRO,))),
    "cro:face_search": Entry(ok=every(200, CRO_VIEW)),
    "cro:search_log": Entry(ok=every(200, (CRO,))),
    "cro:detail": Entry("cro_record", ok=every(200, CRO_VIEW), deny=404, other=None),
    "cro:edit": Entry("cro_record", ok=every(200, (CRO,)), other=None),
    "cro:photo_upload": Entry("cro_record", ok=every(302, (CRO,)), other=None, post=True),
    "cro:fingerprint_upload": Entry("cro_record", ok=every(302, (CRO,)), other=None, post=True),
    "cro:merge": Entry("cro_record", ok=every(302, (CRO,)), other=None, post=True),
    "cro:photo": Entry("cro_photo", ok=every(200, CRO_VIEW), deny=404, other=None),
    "cro:fingerprint": Entry("cro_fingerprint", ok=every(200, CRO_VIEW), deny=404, other=None),
    # --- complaints: the public portal (session-bound, no login) ------------------------------------------------
    "complaints:new": Entry(**PUBLIC),
    "complaints:filed": Entry(ok=every(302), anon=302),  # nothing filed in this session: back to the form
    "complaints:track": Entry(**PUBLIC),
    "complaints:status": Entry(ok=every(302), anon=302),  # nothing tracked in this session: to the look-up
    "complaints:add_info": Entry(ok=every(302), anon=302, post=True),
    "complaints:feedback": Entry(ok=every(302), anon=302, post=True),
    "complaints:reopen": Entry(ok=every(302), anon=302, post=True),
    # --- complaints: officers -------------------------------------------------------------------------------------
    "complaints:inbox": Entry(ok=every(200, READERS)),
    "complaints:detail": Entry("complaint", ok=every(200, READERS)),
    "complaints:assign": Entry("complaint", ok=every(400, READERS), post=True),
    "complaints:change_status": Entry("complaint", ok=every(400, READERS), post=True),
    "complaints:note": Entry("complaint", ok=every(400, READERS), post=True),
    # Visible but not writable: the district officer reads a station's complaint but registers no FIR there.
    "complaints:register_fir": Entry("complaint", ok={**every(200, STATION_POLICE), DPO: 403}),
    "complaints:attachment": Entry("attachment", ok=every(200, READERS)),
    # --- Hotel Eye: hotel staff (their one hotel) -------------------------------------------------------------------
    "hoteleye:occupancy": Entry(ok={HTL: 200}, deny_roles=(ADM,)),
    "hoteleye:history": Entry(ok={HTL: 200}, deny_roles=(ADM,)),
    "hoteleye:checkin_new": Entry(ok={HTL: 200}, deny_roles=(ADM,)),
    "hoteleye:checkin_import": Entry(ok={HTL: 200}, deny_roles=(ADM,)),
    "hoteleye:checkin_import_template": Entry(ok={HTL: 200}, deny_roles=(ADM,)),
    "hoteleye:checkin_detail": Entry("checkin", ok={HTL: 200}, deny_roles=(ADM,)),
    "hoteleye:checkin_checkout": Entry("checkin", ok={HTL: 302}, deny_roles=(ADM,), post=True),  # now, by default
    # Guest photos: the hotel's staff, and police postings holding the station (never Khidmat staff).
    "hoteleye:checkin_photo": Entry("checkin", ok=every(200, (HTL, *POLICE_POSTED_A)), deny=404),
    "hoteleye:checkin_thumb": Entry("checkin", ok=every(200, (HTL, *POLICE_POSTED_A)), deny=404),
    # --- Hotel Eye: officers ------------------------------------------------------------------------------------------
    "hoteleye:hotel_list": Entry(ok=every(200, OFFICERS)),
    "hoteleye:hotel_new": Entry(ok=every(200, (SHO, CLK, DPO))),
    "hoteleye:hotel_detail": Entry("hotel", ok=every(200, OFFICERS)),
    "hoteleye:hotel_staff_new": Entry("hotel", ok=every(200, (SHO, CLK, DPO))),
    "hoteleye:alert_inbox": Entry(ok=every(200, OFFICERS)),
    "hoteleye:alert_poll": Entry(ok=every(200, OFFICERS)),
    "hoteleye:alert_detail": Entry("alert", ok=every(200, OFFICERS)),
    # --- the shared alert inbox and the vehicle look-up (police postings only) -----------------------------------
    "alerts:inbox": Entry(ok=every(200, OFFICERS)),
    "alerts:alert_detail": Entry("alert", ok=every(200, OFFICERS)),
    "alerts:alert_acknowledge": Entry("alert", ok=every(302, OFFICERS), post=True),
    # An empty form: shown again (400) with each missing choice named beside its field.
    "alerts:alert_close": Entry("alert", ok=every(400, OFFICERS), post=True),
    "alerts:vehicle_check": Entry(ok=every(200, OFFICERS)),
    "hoteleye:alert_record_photo": Entry("alert", ok=every(200, OFFICERS), deny=404),
    "hoteleye:alert_acknowledge": Entry("alert", ok=every(302, OFFICERS), post=True),
    # An empty form: shown again (400) with each missing choice named beside its field.
    "hoteleye:alert_close": Entry("alert", ok=every(400, OFFICERS), post=True),
    # --- Khidmat Markaz: the centre (its staff bound by CentreStaff; the district officer of its district) -------
    # One centre in reach: sent to it; the system administrator sees both centres listed.
    "khidmat:centres": Entry(ok={ADM: 200, **every(302, CENTRE)}),
    "khidmat:counter": Entry("centre", ok=every(200, CENTRE)),
    "khidmat:token_take": Entry("centre", ok=every(200, COUNTER), post=True),  # empty form shown again
    "khidmat:token_call": Entry("centre", ok=every(200, COUNTER), post=True),
    "khidmat:new": Entry("khidmat_new", ok=every(200, COUNTER)),
    "khidmat:list": Entry("centre", ok=every(200, CENTRE)),
    "khidmat:dashboard": Entry("centre", ok=every(200, CENTRE)),
    "khidmat:fees_csv": Entry("centre", ok=every(200, CENTRE)),
    "khidmat:detail": Entry("application", ok=every(200, CENTRE)),
    "khidmat:pdf": Entry("application_pdf", ok=every(200, CENTRE)),
    # The counter photo: the centre, and the CRO officer of the centre's district who reviews the check.
    "khidmat:photo": Entry("application", ok=every(200, (*CENTRE, CRO))),
    # Decisions and revocations: the in-charge only (an empty form: back to the application).
    "khidmat:decide": Entry("application", ok={KHI: 302}, post=True),
    "khidmat:revoke": Entry("application", ok={KHI: 302}, post=True),
    # --- Khidmat Markaz: the stations' verification tasks, the CRO officers' reviews --------------------------------
    "khidmat:verifications": Entry(ok=every(200, READERS)),
    "khidmat:verification": Entry("verification", ok=every(200, READERS)),
    "khidmat:cro_reviews": Entry(ok=every(200, (CRO,))),
    "khidmat:cro_review": Entry("cro_check", ok=every(200, (CRO,))),  # the centres of the officer's districts
    # --- Khidmat Markaz: the citizen (session-bound tracking, public QR page) ----------------------------------------
    "khidmat:track": Entry(**PUBLIC),
    "khidmat:status": Entry(ok=every(302), anon=302),  # nothing tracked in this session: to the look-up
    "khidmat:status_pdf": Entry("status_pdf", ok=every(404), anon=404, other=None),
    "khidmat:verify": Entry("certificate_key", ok=every(200), anon=200, other=None),  # serial, holder, validity
    # --- analytics: maps, near repeats, trends (a station as FIRs; a district to its district officers) ---------
    "hotspots:index": Entry(ok=every(200, READERS)),
    "hotspots:station": Entry("station", ok=every(200, READERS)),
    "hotspots:station_near_repeat": Entry("station", ok=every(200, READERS)),
    "hotspots:station_trends": Entry("station", ok=every(200, READERS)),
    # Station police pass the role check but a district is not theirs (404); other roles are refused (403).
    "hotspots:district": Entry("district", ok={**every(404, STATION_POLICE), DPO: 200, ADM: 200}),
    "hotspots:district_near_repeat": Entry("district", ok={**every(404, STATION_POLICE), DPO: 200, ADM: 200}),
    "hotspots:district_trends": Entry("district", ok={**every(404, STATION_POLICE), DPO: 200, ADM: 200}),
    # --- JSON API -------------------------------------------------------------------------------------------------
    "hoteleye_api:checkin_create": Entry(ok=every(401), anon=401, post=True),  # hotel token only
    "hoteleye_api:checkin_checkout": Entry("checkin", ok=every(401), anon=401, other=None, missing=401, post=True),
    # Every signed-in user gets 200, but only police postings get rows (checked by the private strings below).
    "hoteleye_api:alert_list": Entry(ok=EVERYONE_SIGNED_IN, anon=401),
    # --- registrations: the public intake (no login) and the station's pages ------------------------------------
    "registrations:start": Entry(**PUBLIC),
    "registrations:new": Entry("registration_kind", **PUBLIC, other=None),  # an unknown kind is the "missing" one
    "registrations:filed": Entry(ok=every(302), anon=302),  # nothing filed in this session: back to the start
    "registrations:batch": Entry(**PUBLIC),
    "registrations:list": Entry(ok=every(200, POLICE_POSTED_A)),
    "registrations:detail": Entry("registration", ok=every(200, POLICE_POSTED_A)),
    "registrations:end": Entry("registration", ok=every(302, POLICE_POSTED_A), post=True),
}


def url_patterns(patterns: list | None = None, namespace: str = "") -> list[tuple[str, str, str]]:
    """Return (namespace, name, route) of every URL pattern, recursively; names as reverse() wants them."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            for space, name, route in url_patterns(pattern.url_patterns, ns):
                found.append((space, name, f"{pattern.pattern}{route}"))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            found.append((namespace, name, str(pattern.pattern)))
    return found


def _project_patterns() -> list[tuple[str, str]]:
    """(name, route) of every pattern outside the Django admin, which is one family of its own."""
    return [(name, route) for space, name, route in url_patterns() if space.split(":")[0] != "admin"]


def project_url_names() -> list[str]:
    return [name for name, _route in _project_patterns()]


def test_every_url_pattern_has_a_matrix_entry():
    unnamed = [route for name, route in _project_patterns() if not name]
    assert not unnamed, f"URL patterns without a name cannot be in the permission matrix: {unnamed}"
    missing = sorted(set(project_url_names()) - set(MATRIX))
    assert not missing, f"URL patterns without an entry in the permission matrix (tests/casp/{__name__}): {missing}"
    stale = sorted(set(MATRIX) - set(project_url_names()))
    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"


def test_a_new_url_without_an_entry_fails_the_matrix(settings):
    """The check above reads the live resolver: a pattern added to any urls.py appears in it."""
    import sys
    import types

    module = types.ModuleType("tests_matrix_extra_urls")
    from django.urls import include, path

    module.urlpatterns = [
        *get_resolver().url_patterns,
        path("x/", include(([path("y/", lambda r: None, name="z")], "new"))),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    try:
        assert "new:z" in project_url_names()
        with pytest.raises(AssertionError, match="new:z"):
            test_every_url_pattern_has_a_matrix_entry()
    finally:
        del sys.modules[module.__name__]


# --- the world the matrix runs in -------------------------------------------------------------------------------


def _png(color: tuple[int, int, int]) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(buf, format="PNG")
    buf.seek(0)
    buf.name = "p.png"
    return buf


# Distinctive strings of each station's records. Station B's must never reach anyone but the system
# administrator; station A's police records never reach Khidmat (staff or in-charge) or hotel staff, and
# Khidmat never sees a hotel's guests (no hotel alert, no guest photo).
B_SECRETS = ["Zarghun Bravocomplainant", "Qudsia Bravocitizen", "Farrukh Bravoguest", "Bravo Lodge Sekret",
             "Bravo register Sekret", "Khalida Bravoapplicant", "Parveen Bravotenant"]  # fmt: skip
# The CRO is national: the record matched at station B is no secret to the CRO's readers, to anyone else it is.
B_CRO_RECORD = "Mirza Bravowanted"
A_POLICE_SECRETS = ["Zarghun Alphacomplainant", "Qudsia Alphacitizen", "Alpha register Sekret", "Mirza Alphawanted",
                    "Parveen Alphatenant"]  # fmt: skip
A_GUEST = "Farrukh Alphaguest"


@pytest.fixture
def world(db, settings, tmp_path):
    from casp.uploads import process_image
    from complaints.files import attachment_prepare
    from complaints.services import complaint_file
    from cro.services import fingerprint_add, photo_add
    from fir.services import arrest_record
    from fir.vehicles import stolen_vehicle_add
    from fir.verification import fir_token
    from hoteleye.services import checkin_create
    from stations.registers import register_get
    from stations.services import register_entry_add
    from tests.complaints.factories import complaint_data
    from tests.factories import cro_record
    from tests.fir.factories import register
    from tests.hoteleye.conftest import guest_data, make_alert
    from tests.registrations.conftest import registration

    settings.MEDIA_ROOT = tmp_path / "media"
    roles_sync()
    district_a, district_b = DistrictFactory(code="DA"), DistrictFactory(code="DB")
    station = {"own": PoliceStationFactory(district=district_a, code="PS-A"),
               "other": PoliceStationFactory(district=district_b, code="PS-B")}  # fmt: skip
    hotel = {"own": HotelFactory(station=station["own"], code="HA", name="Alpha Inn"),
             "other": HotelFactory(station=station["other"], code="HB", name="Bravo Lodge Sekret")}  # fmt: skip
    admin = UserFactory(username="m_admin")
    admin.groups.add(Group.objects.get(name=ADM))
    people = {ANON: None, ADM: admin}
    for role in (SHO, CLK, IO, KHD):
        people[role] = posted_user(role, station=station["own"], username=f"m_{role}")
    for role in (DPO, CRO):
        people[role] = posted_user(role, district=district_a, username=f"m_{role}")
    people[HTL] = hotel_staff_user(hotel["own"], username="m_hotel")
    centre = {"own": KhidmatCentre.objects.create(code="KHM-A", name="Centre Alpha", district=district_a, address="A"),
              "other": KhidmatCentre.objects.create(code="KHM-B", name="Centre Bravo", district=district_b,
                                                    address="B")}  # fmt: skip
    CentreStaff.objects.create(user=people[KHD], centre=centre["own"])
    people[KHI] = UserFactory(username="m_khidmat_incharge")
    people[KHI].groups.add(Group.objects.get(name=KHI))
    CentreStaff.objects.create(user=people[KHI], centre=centre["own"], is_incharge=True)
    sho_b = posted_user(SHO, station=station["other"], username="m_sho_b")
    sho = {"own": people[SHO], "other": sho_b}

    objects: dict[str, dict] = {}
    letters = {"own": "Alpha", "other": "Bravo"}
    for which in ("own", "other"):
        name = letters[which]
        fir = register(station[which], sho[which], complainant_name=f"Zarghun {name}complainant")
        arrest = arrest_record(fir=fir, accused=fir.accused.first(), acting_user=sho[which],
                               arrested_at=timezone.now() - timedelta(hours=1), place="Chowk")  # fmt: skip
        upload = attachment_prepare(_png((10, 20, 30 if which == "own" else 40)))
        complaint = complaint_file(data=complaint_data(station[which], name=f"Qudsia {name}citizen", files=[upload]))
        data = guest_data(name=f"Farrukh {name}guest")
        data["checked_in_at"], data["date_of_birth"] = timezone.now() - timedelta(hours=1), None
        checkin = checkin_create(hotel=hotel[which], acting_user=None, data=data,
                                 photo=process_image(_png((200, 0, 0) if which == "own" else (0, 200, 0))))  # fmt: skip
        record = cro_record(name=f"Mirza {name}wanted", is_wanted=True)
        photo = photo_add(record=record, acting_user=None, upload=_png((0, 0, 200) if which == "own" else (9, 9, 9)))
        card = fingerprint_add(
            record=record, acting_user=None, upload=_png((50, 50, 50) if which == "own" else (60, 1, 1))
        )
        alert = make_alert(station[which], checkin, record=record)
        vehicle = stolen_vehicle_add(fir=fir, acting_user=sho[which], data={
            "kind": "motorcycle", "registration_number": f"ISB-{1111 if which == 'own' else 2222}"})  # fmt: skip
        entry = register_entry_add(station=station[which], register=register_get("ii"), acting_user=sho[which],
                                   data=_register_data(f"{name} register Sekret"))  # fmt: skip
        tenancy = registration(station[which], name=f"Parveen {name}tenant")
        code = station[which].code
        objects[which] = {
            "station": {"code": code},
            "district": {"code": station[which].district.code},
            "area_station": {"level": "station", "code": code},
            "area_station_pdf": {"level": "station", "code": code, "lang": "ur"},
            "register": {"code": code, "register_code": "ii"},
            "register_entry": {"code": code, "register_code": "ii", "pk": entry.pk},
            "fir": {"pk": fir.pk},
            "arrest": {"pk": fir.pk, "arrest_pk": arrest.pk},
            "fir_copy": {"pk": fir.pk, "lang": "en"},
            "stolen_vehicle": {"pk": fir.pk, "vehicle_pk": vehicle.pk},
            "fir_token": {"token": fir_token(fir)},
            "complaint": {"pk": complaint.pk},
            "attachment": {"pk": complaint.pk, "attachment_pk": complaint.attachments.get().pk},
            "checkin": {"checkin_id": checkin.pk},
            "hotel": {"code": hotel[which].code},
            "alert": {"alert_id": alert.pk},
            "cro_record": {"pk": record.pk},
            "cro_photo": {"pk": photo.pk, "size": "thumb"},
            "cro_fingerprint": {"pk": card.pk, "size": "thumb"},
            **_khidmat_objects(centre[which], station[which], sho[which], name),
            "registration": {"pk": tenancy.pk},
            "registration_kind": {"kind": "tenant"},
        }
    objects["missing"] = {
        kind: {k: (999_999 if isinstance(v, int) else ("NOWHERE" if k == "code" else v)) for k, v in kw.items()}
        for kind, kw in objects["own"].items()
    }
    objects["missing"]["fir_token"] = {"token": "forged:token"}
    objects["missing"]["certificate_key"] = {"key": "forged-key"}
    objects["missing"]["khidmat_new"] = {"code": "NOWHERE", "service_code": "character-certificate"}
    objects["missing"]["registration_kind"] = {"kind": "cousin"}
    objects["missing"]["register"] = {"code": "NOWHERE", "register_code": "ii"}
    return people, objects


def _khidmat_objects(centre, station, user, name: str) -> dict:
    """An issued application at ``centre`` with its photo, certificate, CRO check and a verification by ``station``."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from khidmat.models import Application, Certificate, CroCheck, ServiceType, Status, VerificationTask

    now = timezone.now()
    application = Application.objects.create(
        tracking_number=f"KHM{name.upper()}", centre=centre,
        service=ServiceType.objects.get(code="character-certificate"),
        applicant_cnic="3520212345671", applicant_name=f"Khalida {name}applicant", applicant_phone="03001234567",
        subject_name=f"Khalida {name}applicant", subject_cnic="3520212345671", fee=500, receipt_number=f"R-{name}",
        paid_at=now, created_by=user, promised_on=timezone.localdate(), status=Status.ISSUED, created_at=now,
        decided_at=now,
        photo=default_storage.save(f"khidmat/photos/{name}.png", ContentFile(_png((1, 2, 3)).getvalue())),
    )  # fmt: skip
    # The QR page shows the holder's name by design: not one of the secrets.
    certificate = Certificate.objects.create(application=application, serial=f"S-{name}", verify_key=f"key-{name}",
                                             holder_name=f"Holder {name}", issued_by=user)  # fmt: skip
    check = CroCheck.objects.create(application=application, status="review")
    task = VerificationTask.objects.create(application=application, station=station, addresses="present",
                                           due_at=now + timedelta(days=3))  # fmt: skip
    return {
        "centre": {"code": centre.code},
        "khidmat_new": {"code": centre.code, "service_code": "character-certificate"},
        "application": {"pk": application.pk},
        "application_pdf": {"pk": application.pk, "kind": "receipt", "lang": "en"},
        "verification": {"pk": task.pk},
        "cro_check": {"pk": check.pk},
        "status_pdf": {"kind": "receipt", "lang": "en"},
        "certificate_key": {"key": certificate.verify_key},
    }


def _register_data(text: str) -> dict:
    from stations.registers import register_get

    return {column.name: text for column in register_get("ii").columns}


def _url(name: str, entry: Entry, objects: dict, which: str) -> str:
    if entry.target == NO_OBJECT:
        return reverse(name)
    return reverse(name, kwargs=objects[which][entry.target])


def _body(response) -> str:
    if (
        response.streaming
        or "text" not in response.get("Content-Type", "")
        and "json" not in response.get("Content-Type", "")
    ):
        return ""
    return response.content.decode(errors="replace")


def test_permission_matrix(client, world):
    people, objects = world
    failures: list[str] = []
    for person in PEOPLE:
        client.logout()
        if people[person] is not None:
            client.force_login(people[person])
        for name in project_url_names():
            entry = MATRIX[name]
            for which in ("own", "other", "missing") if entry.target != NO_OBJECT else ("own",):
                url = _url(name, entry, objects, which)
                response = client.post(url) if entry.post else client.get(url)
                expected = entry.expected(person, which)
                if response.status_code != expected:
                    failures.append(
                        f"{name} [{which}] as {person}: {response.status_code}, expected {expected} ({url})"
                    )
                body = _body(response)
                leaks = [s for s in B_SECRETS if person != ADM and s in body]
                if person not in (ADM, *CRO_VIEW) and B_CRO_RECORD in body:
                    leaks.append(B_CRO_RECORD)
                if person in (KHD, KHI, HTL):
                    leaks += [s for s in A_POLICE_SECRETS if s in body]
                if person in (KHD, KHI) and A_GUEST in body:
                    leaks.append(A_GUEST)
                if leaks:
                    failures.append(f"{name} [{which}] as {person} shows foreign data {leaks} ({url})")
    assert not failures, "\n".join(failures)


def test_admin_family_is_refused_to_everyone_but_staff(client, world):
    """The Django admin is one family: anonymous users and signed-in non-staff go to its login page."""
    people, _objects = world
    urls = [
        reverse("admin:index"),
        reverse("admin:alerts_alert_changelist"),
        reverse("admin:casp_auditevent_changelist"),
    ]
    for person in PEOPLE:
        client.logout()
        if people[person] is not None:
            client.force_login(people[person])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (person, url)
    staff = UserFactory(username="m_staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert all(client.get(url).status_code == 200 for url in urls)
