"""Danish number, date and quotation formats; expected strings written out by hand."""

import datetime as dt

from analysis.report import danish


def test_integer_uses_thousands_dot():
    assert danish.integer(5678257) == "5.678.257"


def test_percent_has_decimal_comma_and_nonbreaking_space():
    assert danish.percent(7 / 11, 1) == "63,6\u00a0%"
    assert danish.percent(40 / 44) == "91\u00a0%"


def test_date_in_danish():
    assert danish.date(dt.date(2015, 12, 1)) == "1.\u00a0december 2015"


def test_quotes_and_lists():
    assert danish.quoted("tillid") == "»tillid«"
    assert danish.enumerate_words(["a", "b", "c"]) == "a, b og c"


def test_p_value():
    # two significant digits; the ends as a methodologist writes them
    assert danish.p_value(0.0312) == "p\u00a0=\u00a00,031"
    assert danish.p_value(0.14) == "p\u00a0=\u00a00,14"
    assert danish.p_value(0.0996) == "p\u00a0=\u00a00,10"
    assert danish.p_value(0.0004) == "p\u00a0<\u00a00,001"
    assert danish.p_value(1.0) == "p\u00a0>\u00a00,99"


def test_kommune_title_and_danish_order():
    assert danish.kommune_title("Køge") == "Køge Kommune"
    assert danish.kommune_title("København") == "Københavns Kommune"
    names = ["Aabenraa", "Ærø", "Odense", "Aalborg", "Zealand", "Ølstykke"]
    assert sorted(names, key=danish.sort_key) == \
        ["Odense", "Zealand", "Ærø", "Ølstykke", "Aabenraa", "Aalborg"]


def test_figure_labels():
    assert danish.COUNTRY == "Hele landet"
    assert danish.FIGURE_SHARE_AXIS == "Andel af kommunerne"
    # a yes/no mark beside a bar says it is the municipality's (from the register or its
    # answer alike), in a whole Danish phrase, never the bare »Jer: ja«
    for mark, word in ((danish.FIGURE_OWN_YES, "ja"), (danish.FIGURE_OWN_NO, "nej")):
        assert mark.startswith("Jeres ") and mark.endswith(": " + word)
        assert not mark.startswith("Jer:")
    assert f"{danish.FIGURE_OWN_ANSWERS}: helt enig" == "Jeres svar: helt enig"
    assert (f"{danish.FIGURE_OWN_STEP}: " + f" {danish.AND} ".join(["a", "b"])
            == "Jer: a og b")


def test_an_interval_never_breaks_across_lines():
    text = danish.interval(0.01, 0.57)
    assert text == "95\xa0%-interval:\xa01\xa0til\xa057"
    assert " " not in text


def test_exactly_half_is_halvdelen():
    assert danish.share_words(0.5) == "halvdelen"
    assert danish.share_words(19 / 38) == "halvdelen"
    assert danish.share_words(0.49) == "omkring halvdelen"


def test_a_half_is_rounded_up_as_statistics_offices_print_it():
    # 2 of 16 is 12.5 %; the even neighbour would be 12 %
    assert danish.percent(2 / 16) == "13\u00a0%"
    assert danish.percent(1 / 40, 0) == "3\u00a0%"
    assert danish.percent(0.145) == "15\u00a0%"           # 100 * 0.145 is 14.4999… as a float
    assert danish.decimal(2.25, 1) == "2,3"
    assert danish.signed(-2.5) == "\u22123"
    assert danish.points(0.125) == "13 procentpoint"


def test_a_source_line_says_once_that_its_questions_were_added_in_this_edition():
    mine = [("Fælles mål", False)]
    source, note = danish.survey_source_note(True, mine)
    assert source.endswith("der er tilføjet i denne udgave") and note == ""
    source, note = danish.survey_source_note(True, mine + [("Tillid", False)])
    assert source.startswith("Syntetiske eksempeldata for spørgsmål,") and note == ""
    # one of 2015's among them: the survey is the source, and the note names the other
    source, note = danish.survey_source_note(True, mine + [("Tid", True)])
    assert "spørgeskema" in source and "Fælles mål" in note and "denne udgave" in note
    # real answers: the survey is the source, the note says it
    source, note = danish.survey_source_note(False, mine)
    assert source == "CFBU og KL’s spørgeskema til kommunerne med helhedsplaner"
    assert note == "Spørgsmålet er tilføjet i denne udgave."
