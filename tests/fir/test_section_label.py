from django.utils import translation


def test_section_label_uses_the_catalogues_urdu_title_when_there_is_one(db):
    from fir.models import Section

    with_urdu = Section(number="302", law="PPC", title="Qatl-e-amd", title_ur="قتل عمد")
    without = Section(number="34", law="PPC", title="Common intention")
    with translation.override("ur"):
        assert with_urdu.label == "302 PPC — قتل عمد"
        assert without.label == "34 PPC — Common intention"
    with translation.override("en"):
        assert with_urdu.label == "302 PPC — Qatl-e-amd"
