"""The seed catalogue of offence sections: the common sections of DOMAIN.md with English and Urdu titles."""

from __future__ import annotations

from typing import Any

SECTIONS = [
    ("PPC", "148", "Rioting, armed with deadly weapon", "مہلک ہتھیار کے ساتھ بلوہ"),
    ("PPC", "149", "Every member of unlawful assembly guilty of offence committed", "مجمع خلاف قانون کا ہر رکن"),
    ("PPC", "186", "Obstructing public servant in discharge of public functions", "سرکاری ملازم کے کام میں رکاوٹ"),
    ("PPC", "279", "Rash driving or riding on a public way", "غفلت سے گاڑی چلانا"),
    ("PPC", "302", "Qatl-i-amd (murder)", "قتل عمد"),
    ("PPC", "322", "Qatl-bis-sabab", "قتل بالسبب"),
    ("PPC", "324", "Attempt to commit qatl-i-amd", "اقدام قتل"),
    ("PPC", "337", "Shajjah (hurt)", "شجہ (ضرب)"),
    ("PPC", "354", "Assault or criminal force to woman with intent to outrage her modesty", "عورت پر حملہ"),
    ("PPC", "364-A", "Kidnapping or abducting a person under the age of fourteen", "چودہ سال سے کم عمر کا اغوا"),
    ("PPC", "363", "Kidnapping", "اغوا"),
    ("PPC", "365-A", "Kidnapping or abducting for extorting property, valuable security, etc.", "اغوا برائے تاوان"),
    ("PPC", "379", "Theft", "چوری"),
    ("PPC", "380", "Theft in dwelling house, etc.", "گھر میں چوری"),
    ("PPC", "381", "Theft by clerk or servant of property in possession of master", "ملازم کی چوری"),
    ("PPC", "381-A", "Theft of a car or other motor vehicle", "گاڑی یا موٹر سائیکل کی چوری"),
    ("PPC", "382", "Theft after preparation made for causing death, hurt or restraint", "ضرب کی تیاری کے بعد چوری"),
    ("PPC", "392", "Robbery", "ڈکیتی (راہزنی)"),
    ("PPC", "395", "Dacoity", "ڈاکہ"),
    ("PPC", "394", "Voluntarily causing hurt in committing robbery", "ڈکیتی میں ضرب پہنچانا"),
    ("PPC", "397", "Robbery or dacoity with attempt to cause death or grievous hurt", "ڈکیتی مع اقدام قتل"),
    ("PPC", "406", "Criminal breach of trust", "خیانت مجرمانہ"),
    ("PPC", "411", "Dishonestly receiving stolen property", "چوری کا مال بے ایمانی سے لینا"),
    ("PPC", "420", "Cheating and dishonestly inducing delivery of property", "دھوکہ دہی"),
    ("PPC", "427", "Mischief causing damage", "نقصان رسانی"),
    ("PPC", "448", "House-trespass", "مداخلت بے جا در مکان"),
    ("PPC", "457", "Lurking house-trespass or house-breaking by night", "رات کو نقب زنی"),
    ("PPC", "489-F", "Dishonestly issuing a cheque", "چیک کا بے ایمانی سے اجرا"),
    ("PPC", "506", "Criminal intimidation", "تخویف مجرمانہ"),
    ("AO", "13", "Possession of unlicensed arms", "بغیر لائسنس اسلحہ رکھنا"),
    ("AO", "20", "Arms Ordinance 1965, section 20", "اسلحہ آرڈیننس دفعہ 20"),
    ("AO", "13-20-65", "Arms Ordinance 1965, sections 13 and 20", "اسلحہ آرڈیننس 13-20-65"),
    ("CNSA", "9(c)", "Possession or trafficking of narcotics above the threshold", "منشیات رکھنا یا اسمگلنگ"),
]


def sections_seed(section_model: Any) -> int:
    """Create the catalogue's sections that are missing (the migration passes its historical model)."""
    created = 0
    for law, number, title, title_ur in SECTIONS:
        _obj, was_created = section_model.objects.get_or_create(
            law=law, number=number, defaults={"title": title, "title_ur": title_ur}
        )
        created += was_created
    return created
