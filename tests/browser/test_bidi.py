"""In Urdu, the CNIC example of the help text is drawn left to right: 35202-1234567-1, not 1-1234567-35202."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the first and the last character of the example are drawn, and the isolate's computed style.
MEASURE = """(text) => {
  const help = [...document.querySelectorAll('#id_cnic_helptext bdi, .form-text bdi')]
    .find((el) => el.textContent === text);
  if (!help) return null;
  const node = help.firstChild, range = document.createRange();
  range.setStart(node, 0); range.setEnd(node, 1);
  const first = range.getBoundingClientRect().left;
  range.setStart(node, text.length - 1); range.setEnd(node, text.length);
  const last = range.getBoundingClientRect().left;
  const style = getComputedStyle(help);
  return {first, last, direction: style.direction, bidi: style.unicodeBidi, pageDir: document.dir};
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_urdu_cnic_and_phone_examples_read_left_to_right(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/complaints/new/")
    with page.expect_navigation():
        page.select_option("#language-select", "ur")
    for example in ("35202-1234567-1", "0300-1234567"):
        drawn = page.evaluate(MEASURE, example)
        assert drawn is not None, f"{example} is not in a <bdi>"
        assert drawn["pageDir"] == "rtl"
        assert drawn["direction"] == "ltr" and drawn["bidi"] == "isolate"
        assert drawn["first"] < drawn["last"], f"{example} is drawn right to left"
    # The digits are drawn in the vendored Noto Sans (loaded only when text in its range uses it).
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "[...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replaceAll('\"', ''))"
    )
    assert "Noto Sans" in loaded and "Noto Nastaliq Urdu" in loaded
    page.locator("#id_cnic").scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/casp-urdu-cnic-help-{width}.png")


# Where "381" and "A PPC" of a section are drawn in the diary text.
SECTION_PARTS = """() => {
  const cell = [...document.querySelectorAll('#today-diary td')].find((td) => td.textContent.includes('381-A'));
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let node; while ((node = walker.nextNode()) && !node.data.includes('381-A')) {}
  const at = (offset, length) => {
    const range = document.createRange();
    range.setStart(node, offset); range.setEnd(node, offset + length);
    return range.getBoundingClientRect();
  };
  const start = node.data.indexOf('381-A');
  return {number: at(start, 3), letter: at(start + 4, 1)};
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_urdu_diary_draws_a_section_code_left_to_right(signed_in_page, live_server, station_a, officer_a, width):
    """ "381-A PPC" in a system-made Urdu diary entry was drawn with its dash before 381 and "A PPC" apart."""
    from stations.diary import fact_make
    from stations.models import DiaryKind
    from stations.services import diary_record

    fact = fact_make("fir.registered", number=160, year=2026, sections=["381-A PPC"], name="Demo Complainant")
    diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.FIR_REGISTERED, fact=fact)
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": "ur", "url": live_server.url}])
    page.goto(f"{live_server.url}/stations/{station_a.code}/dashboard/")
    drawn = page.evaluate(SECTION_PARTS)
    same_line = abs(drawn["number"]["top"] - drawn["letter"]["top"]) < 5
    if same_line:
        assert drawn["number"]["left"] < drawn["letter"]["left"], "381-A is drawn right to left"
    else:  # broken after the dash: "381-" ends the first line, "A" starts the next
        assert drawn["number"]["top"] < drawn["letter"]["top"]
    assert width == 390 or same_line
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
