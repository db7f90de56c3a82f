"""The services seeded into the catalogue (migration 0002); afterwards they are data, edited in the admin.

The 14 are Karachi's police facilitation centre list (the one list of exactly 14
in print); the last three are the extra services of Islamabad and Punjab.
Fees and turnaround follow Punjab's published figures where they exist
(character certificate Rs 500, 3 working days); the others are the centre's
to set in the admin.
"""

from __future__ import annotations

# code, English name, Urdu name
DOCUMENTS = {
    "cnic": ("Copy of CNIC", "شناختی کارڈ کی کاپی"),
    "passport": ("Copy of passport", "پاسپورٹ کی کاپی"),
    "affidavit": ("Affidavit", "بیان حلفی"),
    "medical": ("Medical certificate", "طبی سرٹیفکیٹ"),
    "licence": ("Current driving licence", "موجودہ ڈرائیونگ لائسنس"),
    "learner": ("Learner's permit", "لرنر پرمٹ"),
    "visa": ("Copy of visa", "ویزا کی کاپی"),
    "tenancy": ("Tenancy agreement", "کرایہ نامہ"),
    "landlord_cnic": ("Copy of the landlord's CNIC", "مالک مکان کے شناختی کارڈ کی کاپی"),
    "employer_letter": ("Employer's letter", "آجر کا خط"),
    "registration_book": ("Vehicle registration book", "گاڑی کی رجسٹریشن بک"),
    "fir_details": ("FIR number, station and year", "ایف آئی آر نمبر، تھانہ اور سال"),
    "proof_of_stay": ("Proof of legal stay (visa or POR card)", "قانونی قیام کا ثبوت (ویزا یا پی او آر کارڈ)"),
}

# code, English, Urdu, fee, turnaround days, cro, stations, vehicle, output, validity days, women's desk,
# documents (code, required)
SERVICES = [
    ("learner-licence", "Learner's driving licence", "لرنر ڈرائیونگ لائسنس", 150, 1, False, False, False,
     "forwarded", None, False, [("cnic", True), ("medical", True)]),
    ("licence-renewal", "Driving licence renewal", "ڈرائیونگ لائسنس کی تجدید", 1000, 3, False, False, False,
     "forwarded", None, False, [("cnic", True), ("licence", True), ("medical", True)]),
    ("international-licence", "International driving licence", "بین الاقوامی ڈرائیونگ لائسنس", 2000, 3, False, False,
     False, "forwarded", None, False, [("cnic", True), ("licence", True), ("passport", True), ("visa", True)]),
    ("duplicate-licence", "Duplicate driving licence", "ڈپلیکیٹ ڈرائیونگ لائسنس", 500, 3, False, False, False,
     "forwarded", None, False, [("cnic", True), ("affidavit", True)]),
    ("licence-endorsement", "Driving licence endorsement", "ڈرائیونگ لائسنس میں اندراج", 500, 3, False, False, False,
     "forwarded", None, False, [("cnic", True), ("licence", True), ("medical", True)]),
    ("employee-registration", "Employee registration", "ملازم کا اندراج", 0, 3, True, True, False,
     "registration", None, False, [("cnic", True), ("employer_letter", True)]),
    ("tenant-registration", "Tenant registration", "کرایہ دار کا اندراج", 0, 3, True, True, False,
     "registration", None, False, [("cnic", True), ("tenancy", True), ("landlord_cnic", True)]),
    ("character-certificate", "Character certificate", "کریکٹر سرٹیفکیٹ", 500, 3, True, True, False,
     "certificate", 180, False, [("cnic", True), ("passport", False), ("affidavit", True)]),
    ("police-verification", "General police verification", "عمومی پولیس تصدیق", 500, 3, True, True, False,
     "certificate", 180, False, [("cnic", True), ("affidavit", True)]),
    ("vehicle-verification", "Vehicle verification", "گاڑی کی تصدیق", 0, 1, False, False, True,
     "certificate", 30, False, [("cnic", True), ("registration_book", True)]),
    ("loss-report", "Loss report", "گمشدگی کی رپورٹ", 0, 0, False, False, False,
     "report", None, False, [("cnic", True)]),
    ("crime-report", "Crime report", "جرم کی رپورٹ", 0, 0, False, False, False,
     "complaint", None, False, [("cnic", True)]),
    ("vaw-report", "Violence-against-women report", "خواتین پر تشدد کی رپورٹ", 0, 0, False, False, False,
     "complaint", None, True, [("cnic", False)]),
    ("fir-copy", "Copy of an FIR", "ایف آئی آر کی نقل", 0, 0, False, False, False,
     "fir_copy", None, False, [("cnic", True), ("fir_details", True)]),
    # Islamabad and Punjab
    ("domestic-servant-registration", "Domestic-servant registration", "گھریلو ملازم کا اندراج", 0, 3, True, True,
     False, "registration", None, False, [("cnic", True), ("employer_letter", False)]),
    ("foreigner-registration", "Foreigner registration", "غیر ملکی کا اندراج", 0, 3, True, True, False,
     "registration", None, False, [("passport", True), ("proof_of_stay", True)]),
    ("private-employee-verification", "Verification of private employees", "نجی ملازمین کی تصدیق", 500, 3, True,
     True, False, "certificate", 180, False, [("cnic", True), ("employer_letter", True)]),
]  # fmt: skip


def services_seed(ServiceType, ServiceDocument) -> int:  # noqa: ANN001, N803 - historical models from a migration
    """Create the catalogue's services and their document checklists (idempotent); return the number created."""
    created = 0
    for position, row in enumerate(SERVICES):
        code, name, name_ur, fee, days, cro, stations, vehicle, output, validity, womens, documents = row
        service, is_new = ServiceType.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "name_ur": name_ur, "fee": fee, "turnaround_days": days, "needs_cro_check": cro,
                "needs_station_verification": stations, "needs_vehicle_check": vehicle, "output": output,
                "validity_days": validity, "womens_desk": womens, "position": position,
            },
        )  # fmt: skip
        created += is_new
        for doc_position, (doc_code, required) in enumerate(documents):
            doc_name, doc_name_ur = DOCUMENTS[doc_code]
            ServiceDocument.objects.get_or_create(
                service=service,
                code=doc_code,
                defaults={"name": doc_name, "name_ur": doc_name_ur, "is_required": required, "position": doc_position},
            )
    return created


# Services that also file a registration of the `registrations` app (migration 0004). Verification of private
# employees is Punjab's registration of an employee with the police, so it registers the employee too.
REGISTRATION_KINDS = {
    "tenant-registration": "tenant",
    "domestic-servant-registration": "servant",
    "employee-registration": "employee",
    "private-employee-verification": "employee",
    "foreigner-registration": "foreigner",
}


def registration_kinds_seed(ServiceType) -> int:  # noqa: ANN001, N803 - historical model from a migration
    """Set the registration kind of the catalogue's registration services where it is still empty."""
    updated = 0
    for code, kind in REGISTRATION_KINDS.items():
        updated += ServiceType.objects.filter(code=code, registration_kind="").update(registration_kind=kind)
    return updated
