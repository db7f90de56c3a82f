"""Display formats for Urdu: the same day-month-year and 24-hour time as English (en/formats.py), each
date wrapped in the Unicode isolates LRI…PDI so it reads left to right wherever Urdu text shows it, also
where no template can wrap it in <bdi> (the admin's lists, plain-text messages). Without them the bidi
algorithm shows "30-11-2026 14:05" as "14:05 30-11-2026" in a right-to-left cell."""

from casp.bidi import LRI, PDI
from casp.formats.en import formats as en

DATE_FORMAT = f"{LRI}{en.DATE_FORMAT}{PDI}"
SHORT_DATE_FORMAT = f"{LRI}{en.SHORT_DATE_FORMAT}{PDI}"
TIME_FORMAT = en.TIME_FORMAT
DATETIME_FORMAT = f"{LRI}{en.DATETIME_FORMAT}{PDI}"
SHORT_DATETIME_FORMAT = f"{LRI}{en.SHORT_DATETIME_FORMAT}{PDI}"
