"""The catalogue of station registers (Police Rules 1934, chapter 22, rule 22.45 onwards).

Each register is *declared* here once: its Roman number, name, purpose, the
rule it comes from, its columns and which of them are searched. One set of
views, forms, templates and admin (stations.views / stations.forms) serves
every declaration; adding a register means adding a ``Register(...)`` below,
never copying a view.

Sources (recorded per register in ``source``):
- ``PPR-22.47`` / ``PPR-22.48``: the text of rules 22.47 and 22.48 (Register I
  and II), reproduced at https://legalhelp1.blogspot.com/2018/05/police-station-main-istamal-hone-wale.html
  and in DOMAIN.md; rules 22.50 and 22.51 are quoted by the Delhi Police manual
  "Maintenance of Police Station Records" (https://advocatetanmoy.com/2018/02/18/police-station-records-registers-delhi-police/),
  which follows the Punjab Police Rules' numbering.
- ``DOMAIN.md``: Register X (bad characters, rule 23.9), verified there.
- Every other register is marked ``confirmed=False``: its name and columns
  follow the usual police-station practice and must be checked against the
  printed text of rule 22.45 onwards before the catalogue is relied on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

TEXT, TEXTAREA, DATE, DATETIME, INTEGER, DECIMAL, CNIC, CHOICE, FIR_REFERENCE = (
    "text",
    "textarea",
    "date",
    "datetime",
    "integer",
    "decimal",
    "cnic",
    "choice",
    "fir_reference",  # "N/YYYY" of an FIR that exists at the same station
)
SOURCE_RULES_TEXT = "https://legalhelp1.blogspot.com/2018/05/police-station-main-istamal-hone-wale.html"
SOURCE_DELHI_MANUAL = "https://advocatetanmoy.com/2018/02/18/police-station-records-registers-delhi-police/"
SOURCE_DOMAIN = "DOMAIN.md (project notes)"
UNCONFIRMED = "unconfirmed: columns designed from the register's purpose; check against the Police Rules text"


@dataclass(frozen=True)
class Column:
    """One column of a register: stored under ``name`` in the entry's data."""

    name: str
    label: object
    kind: str = TEXT
    required: bool = False
    searchable: bool = False
    choices: tuple[tuple[str, object], ...] = ()
    max_length: int = 255
    # Dates and times are refused in the future unless the column is a date still to come (a validity, a hearing).
    future_allowed: bool = False


@dataclass(frozen=True)
class Register:
    """A register of a police station, declared once."""

    code: str  # URL slug: the Roman number in lower case
    roman: str
    name: object
    purpose: object
    rule: str
    source: str
    confirmed: bool
    columns: tuple[Column, ...] = ()
    # Register I lives in the fir app; its catalogue entry links there.
    url_name: str = ""
    # Register II takes "hour the information arrived" and an entry kind.
    has_received_at: bool = False
    has_kind: bool = False
    search_columns: tuple[str, ...] = field(default=())
    # Pairs of columns (earlier, later) whose values must be in that order when both are given.
    ordered: tuple[tuple[str, str], ...] = ()

    @property
    def is_generic(self) -> bool:
        return not self.url_name

    @property
    def searchable(self) -> tuple[str, ...]:
        return self.search_columns or tuple(c.name for c in self.columns if c.searchable)


def _c(name: str, label: object, kind: str = TEXT, **kw: object) -> Column:
    return Column(name=name, label=label, kind=kind, **kw)  # type: ignore[arg-type]


def _unconfirmed(
    code: str, name: object, purpose: object, *columns: Column, ordered: tuple[tuple[str, str], ...] = ()
) -> Register:
    """Declare a register of rule 22.45 whose name and columns are not yet confirmed from the rules' text."""
    return Register(
        code,
        code.upper(),
        name,
        purpose,
        f"22.45 ({code.upper()})",
        UNCONFIRMED,
        False,
        columns=columns,
        ordered=ordered,
    )


NAME = _c("name", _("name"), required=True, searchable=True)
FATHER = _c("father_name", _("father's name"), searchable=True)
CNIC_COL = _c("cnic", _("CNIC"), CNIC, searchable=True)
ADDRESS = _c("address", _("address"))
REMARKS = _c("remarks", _("remarks"), TEXTAREA)
FIR_REF = _c("fir_reference", _("FIR number"), FIR_REFERENCE, searchable=True, max_length=40)

PERSON = (NAME, FATHER, CNIC_COL, ADDRESS)

REGISTERS: tuple[Register, ...] = (
    Register(
        "i",
        "I",
        _("First Information Report register"),
        _("Every report of a cognizable offence under s.154 CrPC; the petty offences register is part of it."),
        "22.47 (entries: 24.5; petty offences: 24.9)",
        SOURCE_RULES_TEXT,
        True,
        url_name="fir:list",
    ),
    Register(
        "ii",
        "II",
        _("Daily diary (Roznamcha)"),
        _(
            "Kept under s.44 Police Act: every entry numbered and stamped with the hour it was made and the hour "
            "the information arrived; the first entry of each day lists persons in custody."
        ),
        "22.48-22.51",
        SOURCE_RULES_TEXT,
        True,
        columns=(_c("text", _("entry"), TEXTAREA, required=True, searchable=True, max_length=10000),),
        has_received_at=True,
        has_kind=True,
    ),
    _unconfirmed(
        "iii",
        _("Challan register"),
        _("Cases sent up for trial: challans under s.173 CrPC and their result."),
        FIR_REF,
        _c("challan_date", _("challan date"), DATE, required=True),
        _c("court", _("court")),
        _c("accused", _("accused"), required=True, searchable=True),
        _c("result", _("result")),
        REMARKS,
    ),
    _unconfirmed(
        "iv",
        _("Crime register"),
        _("Station crime statistics by head of crime, and the cases of each head."),
        FIR_REF,
        _c("head_of_crime", _("head of crime"), required=True, searchable=True),
        _c("occurred_on", _("date of occurrence"), DATE),
        _c("place", _("place"), searchable=True),
        REMARKS,
    ),
    _unconfirmed(
        "v",
        _("Village crime note book"),
        _("Crime and criminals of each village or mohalla in the station's area."),
        _c("village", _("village or mohalla"), required=True, searchable=True),
        _c("note", _("note"), TEXTAREA, required=True, searchable=True),
    ),
    _unconfirmed(
        "vi",
        _("Register of convictions"),
        _("Persons of the station's area convicted by the courts."),
        *PERSON,
        FIR_REF,
        _c("sentence", _("sentence"), required=True),
        _c("convicted_on", _("date of conviction"), DATE),
    ),
    _unconfirmed(
        "vii",
        _("Register of proclaimed offenders and absconders"),
        _("Persons proclaimed under s.87 CrPC or absconding, with the case they are wanted in."),
        *PERSON,
        FIR_REF,
        _c("proclaimed_on", _("proclaimed on"), DATE),
    ),
    _unconfirmed(
        "viii",
        _("Register of released convicts"),
        _("Convicts released from jail who are to be watched."),
        *PERSON,
        _c("released_on", _("released on"), DATE),
        REMARKS,
    ),
    _unconfirmed(
        "ix",
        _("Register of history sheets"),
        _("History sheets opened for habitual offenders."),
        *PERSON,
        _c("modus_operandi", _("modus operandi"), TEXTAREA),
    ),
    Register(
        "x",
        "X",
        _("Register of bad characters"),
        _("Persons under surveillance (the origin of 'dus numbri'); entries under rule 23.9."),
        "22.45 (X); 23.9",
        SOURCE_DOMAIN,
        True,
        columns=(*PERSON, _c("surveillance_since", _("under surveillance since"), DATE), REMARKS),
    ),
    _unconfirmed(
        "xi",
        _("Register of suspects"),
        _("Suspected persons and strangers reported in the area."),
        *PERSON,
        _c("reason", _("reason for suspicion"), TEXTAREA, required=True),
    ),
    _unconfirmed(
        "xii",
        _("Inspection and visitors' register"),
        _("Visits and inspections of the station by senior officers, and their orders."),
        _c("officer", _("officer"), required=True, searchable=True),
        _c("visited_on", _("date of visit"), DATE, required=True),
        _c("orders", _("remarks and orders"), TEXTAREA),
    ),
    _unconfirmed(
        "xiii",
        _("Register of arms licences"),
        _("Arms licences held in the station's area."),
        NAME,
        CNIC_COL,
        _c("licence_number", _("licence number"), required=True, searchable=True),
        _c("weapon", _("weapon")),
        _c("valid_until", _("valid until"), DATE, future_allowed=True),
    ),
    _unconfirmed(
        "xiv",
        _("Register of unclaimed property"),
        _("Property found or seized that nobody has claimed."),
        _c("description", _("description"), TEXTAREA, required=True, searchable=True),
        _c("found_on", _("found on"), DATE),
        _c("found_at", _("found at")),
        _c("disposal", _("disposal")),
    ),
    _unconfirmed(
        "xv",
        _("Register of orders and correspondence"),
        _("Orders, circulars and letters received and sent."),
        _c("reference", _("reference"), required=True, searchable=True),
        _c("subject", _("subject"), required=True, searchable=True),
        _c("from_to", _("from or to")),
    ),
    _unconfirmed(
        "xvi",
        _("Register of processes"),
        _("Summonses and warrants received for service, and how they were served."),
        _c(
            "process",
            _("process"),
            CHOICE,
            required=True,
            choices=(("summons", _("summons")), ("warrant", _("warrant"))),
        ),
        NAME,
        _c("court", _("court")),
        _c("due_on", _("date fixed"), DATE, future_allowed=True),
        _c("served", _("how served")),
    ),
    _unconfirmed(
        "xvii",
        _("Register of non-cognizable reports"),
        _("Information of non-cognizable offences under s.155 CrPC, referred to the magistrate."),
        _c("informant", _("informant"), required=True, searchable=True),
        CNIC_COL,
        _c("substance", _("substance of information"), TEXTAREA, required=True, searchable=True),
    ),
    _unconfirmed(
        "xviii",
        _("Register of missing persons"),
        _("Reports of missing persons and their tracing."),
        NAME,
        FATHER,
        CNIC_COL,
        _c("missing_since", _("missing since"), DATE),
        _c("description", _("description"), TEXTAREA),
        _c("traced_on", _("traced on"), DATE),
        ordered=(("missing_since", "traced_on"),),
    ),
    Register(
        "xix",
        "XIX",
        _("Store room (malkhana) register"),
        _("Case property deposited in the store room, its movement and disposal."),
        "22.45 (XIX); 22.70",
        SOURCE_DOMAIN + " (marked unverified there)",
        False,
        columns=(
            FIR_REF,
            _c("property", _("property"), TEXTAREA, required=True, searchable=True),
            _c("deposited_by", _("deposited by")),
            _c("deposited_on", _("deposited on"), DATE, required=True),
            _c("disposal", _("disposal")),
        ),
    ),
    _unconfirmed(
        "xx",
        _("Register of government property"),
        _("Arms, ammunition, kit and equipment held by the station."),
        _c("item", _("item"), required=True, searchable=True),
        _c("quantity", _("quantity"), INTEGER, required=True),
        _c("issued_to", _("issued to"), searchable=True),
    ),
    _unconfirmed(
        "xxi",
        _("Beat and patrol register"),
        _("Beats, patrols and pickets detailed, and their reports."),
        _c("beat", _("beat"), required=True, searchable=True),
        _c("officers", _("officers detailed"), required=True, searchable=True),
        _c("report", _("report"), TEXTAREA),
    ),
    _unconfirmed(
        "xxii",
        _("Register of inquests and unnatural deaths"),
        _("Inquests under s.174 CrPC."),
        _c("deceased", _("deceased"), required=True, searchable=True),
        _c("died_on", _("date of death"), DATE),
        _c("place", _("place")),
        _c("cause", _("apparent cause"), TEXTAREA),
    ),
    _unconfirmed(
        "xxiii",
        _("Lock-up register"),
        _("Persons placed in and taken out of the station lock-up."),
        NAME,
        FATHER,
        CNIC_COL,
        FIR_REF,
        _c("in_at", _("placed in lock-up at"), DATETIME, required=True),
        _c("out_at", _("taken out at"), DATETIME),
        ordered=(("in_at", "out_at"),),
    ),
    _unconfirmed(
        "xxiv",
        _("Cash register"),
        _("Money received and paid at the station; the daily diary's last entry gives its balance."),
        _c("particulars", _("particulars"), required=True, searchable=True),
        _c("received", _("received (Rs)"), DECIMAL),
        _c("paid", _("paid (Rs)"), DECIMAL),
    ),
    _unconfirmed(
        "xxv",
        _("Register of applications and enquiries"),
        _("Applications received at the station and the enquiry made on each."),
        _c("applicant", _("applicant"), required=True, searchable=True),
        CNIC_COL,
        _c("subject", _("subject"), TEXTAREA, required=True, searchable=True),
        _c("result", _("result of enquiry"), TEXTAREA),
    ),
)

BY_CODE: dict[str, Register] = {r.code: r for r in REGISTERS}
DIARY = BY_CODE["ii"]


def register_get(code: str) -> Register | None:
    """Return the declared register ``code`` (e.g. "ii"), or None."""
    return BY_CODE.get(code)
