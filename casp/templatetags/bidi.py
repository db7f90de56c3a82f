"""Template filters ``ltr`` (``{{ fir.complainant_cnic|ltr }}``), ``isolate`` (free text in its own direction)
and ``text_direction`` (for a dir attribute); see casp.bidi. Loaded as a builtin."""

from django import template

from casp import bidi

register = template.Library()
register.filter("ltr", bidi.ltr, is_safe=True)
register.filter("isolate", bidi.isolate, is_safe=True)
register.filter("text_direction", bidi.text_direction)
