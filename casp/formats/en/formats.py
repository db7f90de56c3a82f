"""Display formats for English: Pakistani day-month-year and 24-hour time, as in Urdu (ur/formats.py).

Only display formats are set; input formats stay Django's (ISO dates keep being accepted)."""

DATE_FORMAT = "d-m-Y"
SHORT_DATE_FORMAT = "d-m-Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d-m-Y H:i"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
