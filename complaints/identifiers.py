"""Tracking numbers of complaints: the kernel's (casp.identifiers), shared with the registrations' intake."""

from casp.identifiers import ALPHABET, GROUP_LEN, GROUPS, tracking_number_new, tracking_number_normalise

__all__ = ["ALPHABET", "GROUPS", "GROUP_LEN", "tracking_number_new", "tracking_number_normalise"]
