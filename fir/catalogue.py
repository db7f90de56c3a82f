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


# The heads of crime statistics, most serious first: (code, name, Urdu name). Rank = position + 1.
CRIME_HEADS = [
    ("murder", "Murder", "قتل"),
    ("attempted-murder", "Attempted murder", "اقدام قتل"),
    ("rape", "Rape", "زیادتی"),
    ("kidnapping", "Kidnapping / abduction", "اغوا"),
    ("dacoity", "Dacoity", "ڈکیتی"),
    ("robbery", "Robbery", "راہزنی"),
    ("hurt", "Hurt", "ضرب"),
    ("burglary", "Burglary", "نقب زنی"),
    ("vehicle-theft", "Vehicle theft", "گاڑی چوری"),
    ("cattle-theft", "Cattle theft", "مویشی چوری"),
    ("other-theft", "Other theft", "دیگر چوری"),
    ("women", "Crimes against women", "خواتین کے خلاف جرائم"),
    ("narcotics", "Narcotics", "منشیات"),
    ("arms", "Arms Ordinance", "اسلحہ آرڈیننس"),
    ("local-special", "Local and special laws", "مقامی و خصوصی قوانین"),
    ("other", "Other", "دیگر"),
]

# Sections the heads need that the first catalogue lacked.
HEAD_SECTIONS = [
    ("PPC", "337-A", "Punishment of shajjah", "شجہ کی سزا"),
    ("PPC", "337-F", "Punishment of ghayr-jaifah", "غیر جائفہ کی سزا"),
    ("PPC", "363", "Kidnapping", "اغوا"),
    ("PPC", "364", "Kidnapping or abducting in order to murder", "قتل کے لیے اغوا"),
    ("PPC", "365", "Kidnapping or abducting with intent to confine", "حبس بے جا کے لیے اغوا"),
    (
        "PPC",
        "365-B",
        "Kidnapping, abducting or inducing woman to compel for marriage",
        "شادی پر مجبور کرنے کے لیے اغوا",
    ),
    ("PPC", "366", "Kidnapping or abducting a child", "بچے کا اغوا"),
    ("PPC", "369", "Kidnapping or abducting a child under ten", "دس سال سے کم عمر بچے کا اغوا"),
    ("PPC", "376", "Rape", "زنا بالجبر"),
    ("PPC", "381-A", "Theft of a motor vehicle", "گاڑی کی چوری"),
    ("PPC", "396", "Dacoity with murder", "ڈکیتی مع قتل"),
    ("PPC", "454", "Lurking house-trespass or house-breaking", "نقب زنی"),
    ("PPC", "354-A", "Assault on woman and stripping her of her clothes", "عورت کو برہنہ کرنا"),
    ("PPC", "509", "Insulting modesty or causing sexual harassment", "جنسی ہراسانی"),
    ("PPC", "336-B", "Hurt by corrosive substance", "تیزاب گردی"),
    ("OTHER", "3/4 LSO", "Loudspeaker Ordinance", "لاؤڈ اسپیکر آرڈیننس"),
    ("OTHER", "Cattle 379", "Theft of cattle (379 PPC, cattle)", "مویشی چوری"),
]

# law, number -> head code. Sections not listed take their law's head (LAW_HEADS), PPC ones "other".
# 379 PPC is theft of anything; the register has no property column, so 379 is "other theft", 381-A
# (motor vehicle) is "vehicle theft", and cattle theft is charged here as the catalogue section
# "Cattle 379" (379 PPC where the property is cattle) so that it has a head of its own.
SECTION_HEADS = {
    ("PPC", "302"): "murder",
    ("PPC", "396"): "murder",
    ("PPC", "324"): "attempted-murder",
    ("PPC", "376"): "rape",
    **{("PPC", n): "kidnapping" for n in ("363", "364", "364-A", "365", "365-A", "365-B", "366", "369")},
    ("PPC", "395"): "dacoity",
    ("PPC", "392"): "robbery",
    **{("PPC", n): "hurt" for n in ("337", "337-A", "337-F")},
    **{("PPC", n): "burglary" for n in ("454", "457")},
    ("PPC", "381-A"): "vehicle-theft",
    ("OTHER", "Cattle 379"): "cattle-theft",
    **{("PPC", n): "other-theft" for n in ("379", "380", "382")},
    **{("PPC", n): "women" for n in ("354", "354-A", "509", "336-B")},
    ("CNSA", "9(c)"): "narcotics",
    **{("AO", n): "arms" for n in ("13", "20", "13-20-65")},
    ("OTHER", "3/4 LSO"): "local-special",
}


# The head of a section the mapping does not name, by its law.
LAW_HEADS = {"CNSA": "narcotics", "AO": "arms", "OTHER": "local-special"}


def crime_heads_seed(head_model: Any, section_model: Any) -> None:
    """Create the heads and the sections they need, and give every section without a head its head."""
    for rank, (code, name, name_ur) in enumerate(CRIME_HEADS, start=1):
        head_model.objects.update_or_create(code=code, defaults={"name": name, "name_ur": name_ur, "rank": rank})
    for law, number, title, title_ur in HEAD_SECTIONS:
        section_model.objects.get_or_create(law=law, number=number, defaults={"title": title, "title_ur": title_ur})
    heads = {h.code: h for h in head_model.objects.all()}
    for section in section_model.objects.filter(head__isnull=True):
        default = LAW_HEADS.get(section.law, "other")
        section.head = heads[SECTION_HEADS.get((section.law, section.number), default)]
        section.save(update_fields=["head"])
