"""Hyphenation exceptions (templates/hyphenation.txt): a listed compound is divided at a line
end only where the list allows it, in the PDF (real pandoc + filter + typst, read back with
pdftotext) and in the HTML (soft hyphens at those points only)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from analysis.render import pandoc_typst
from analysis.render.assemble import Document

SOFT = "\u00ad"
# Hand-written from the list: each word form and the beginnings a line may end with.
ALLOWED = {
    "samarbejdstrappens": {"sam", "samarbejds"},
    "Samarbejdstrappen": {"Sam", "Samarbejds"},
    "dobbeltarbejdet": {"dobbelt"},
    "dobbeltarbejde": {"dobbelt"},
    "helhedsplanernes": {"helheds"},
    "boligorganisationerne": {"bolig", "boligorgani"},
    "medarbejderne": {"med", "medarbej"},
    # divided badly by typst's own hyphenation in the reports
    "spørgeskemaundersøgelsen": {"spørge", "spørgeskema", "spørgeskemaunder"},
    "registeroplysninger": {"register", "registeroplys"},
    "førstehåndskendskab": {"første", "førstehånds", "førstehåndskend"},
    "helhedsplansområderne": {"helheds", "helhedsplans"},
    "kommunalbestyrelsens": {"kommunal", "kommunalbesty"},
    # compounds typst divides inside a part (»centra-ladministrationen«, »udfør-ende«,
    # »sikkerhedsinter-valler«): at the joint only
    "centraladministrationen": {"central", "centraladmini"},
    "udførende": {"ud", "udfø"},
    "sikkerhedsintervaller": {"sikkerheds"},
    "sikkerhedsintervallet": {"sikkerheds"},
    # a plural compound typst would not divide at all (its -ernes keeps typst's hyphenation
    # off), leaving a line of wide gaps in a justified paragraph
    "kommunalpolitikernes": {"kommunal"},
    # the organisations and roles, which typst divides inside a part (»Landsfor-ening«,
    # »kommunaldi-rektører«, »afdelingsbe-styrelser«), and a compound that only ends with a
    # listed stem
    "Landsforeningens": {"Lands"},
    "kommunaldirektører": {"kommunal"},
    "afdelingsbestyrelserne": {"afdelings"},
    "beboerforeningen": {"beboer"},
}
# listed without a division point: never divided
WHOLE = ("timerne",)
# Column widths in pt: from narrower than any two parts of a word to wider than most words.
WIDTHS = range(34, 130, 4)


def _markdown(words) -> str:
    blocks = []
    for width in WIDTHS:
        for word in words:
            blocks.append(f"```{{=typst}}\n#block(width: {width}pt)[\n```\n\n{word}\n\n"
                          f"```{{=typst}}\n]\n```\n\nSLUT\n")
    return "\n".join(blocks)


def _pdf_text(source: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "out.pdf"
        pdf.write_bytes(pandoc_typst.compile_typst(source, Path(tmp)))
        return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout


def _breaks(text: str, words) -> dict[str, set[str]]:
    """Per word: the beginnings that ended a line (a line ending in a hyphen, the word going
    on in the next line)."""
    found: dict[str, set[str]] = {word: set() for word in words}
    # blank lines left out: where the columns run onto a new page, a word's last line may be
    # followed by a blank one
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if not re.search(f"[-{SOFT}]$", line) or i + 1 >= len(lines):
            continue
        head = re.sub(f"[-{SOFT}]+$", "", line).replace(SOFT, "").split()[-1:]
        tail = lines[i + 1].replace(SOFT, "").split()[:1]
        if not head or not tail:
            continue
        # the word may be divided more than once: follow it over the next lines
        joined, j, begins = head[0] + tail[0], i + 1, [head[0]]
        while joined not in found and j + 1 < len(lines) and re.search(f"[-{SOFT}]$", lines[j]):
            j += 1
            begins.append(joined.rstrip("-"))
            joined = re.sub(f"[-{SOFT}]+$", "", joined) + lines[j].replace(SOFT, "").split()[0]
        if joined in found:
            found[joined].update(begins)
    return found


@pytest.fixture(scope="module")
def source() -> str:
    doc = Document(body=_markdown(ALLOWED), metadata={"title": "Orddeling"})
    return pandoc_typst.typst_source(doc)


def test_the_filter_writes_each_listed_word_as_its_parts(source):
    assert '#kpb-ord("sam", "arbejds", "trappens");' in source
    assert '#kpb-ord("Sam", "arbejds", "trappen");' in source
    assert '#kpb-ord("dobbelt", "arbejdet");' in source
    assert '#kpb-ord("bolig", "organi", "sationerne");' in source
    assert '#kpb-ord("central", "admini", "strationen");' in source
    assert '#kpb-ord("ud", "fø", "rende");' in source
    assert '#kpb-ord("sikkerheds", "intervaller");' in source
    assert '#kpb-ord("kommunal", "politikernes");' in source


# design.typ's rule that keeps typst from dividing a word in the definite plural
PLURAL_RULE = re.compile(r'^#show regex\("[^\n]*erne\|ene[^\n]*$', re.M)


def _without_exceptions(source: str) -> str:
    """The same typst source with every listed word as plain text, and typst's own
    hyphenation for the definite plural too."""
    source = PLURAL_RULE.sub("", source)
    return re.sub(r'#kpb-ord\(([^)]*)\);',
                  lambda m: "".join(re.findall(r'"([^"]*)"', m.group(1))), source)


def test_an_undivided_word_is_whole_in_the_pdf_text():
    """Between the parts stands a soft hyphen that is no part of the PDF's text, so a
    search for the word finds it."""
    doc = Document(body="Samarbejdstrappens trin og dobbeltarbejdet.\n",
                   metadata={"title": "Orddeling"})
    text = _pdf_text(pandoc_typst.typst_source(doc))
    assert "Samarbejdstrappens trin og dobbeltarbejdet." in text
    assert SOFT not in text


def test_typst_divides_a_listed_compound_only_where_the_list_allows(source):
    found = _breaks(_pdf_text(source), ALLOWED)

    for word, allowed in ALLOWED.items():
        assert found[word], f"{word} was never divided; the widths do not force it"
        assert found[word] <= allowed, f"{word} divided after {found[word] - allowed}"


def test_a_word_listed_without_a_division_point_is_never_divided():
    blocks = [f"```{{=typst}}\n#block(width: {width}pt)[\n```\n\n{word}\n\n"
              f"```{{=typst}}\n]\n```\n\nSLUT\n" for width in range(12, 40, 2) for word in WHOLE]
    source = pandoc_typst.typst_source(Document(body="\n".join(blocks),
                                                metadata={"title": "Orddeling"}))
    assert '#kpb-ord("timerne");' in source
    assert not any(_breaks(_pdf_text(source), WHOLE).values())
    # the control: typst's own hyphenation divides it in the same columns
    assert any(_breaks(_pdf_text(_without_exceptions(source)), WHOLE).values())
    html = _html("I timerne og timer.\n")
    assert '<span class="udelt">timerne</span>' in html


# words in the definite plural that typst's own Danish hyphenation divides just before their
# ending (»løsninger-ne«) in narrow columns
PLURAL = ("løsningerne", "kommunernes", "forvaltningerne", "koordinatorerne")


def test_a_word_in_the_definite_plural_is_not_divided_before_its_ending():
    """»løsninger-ne«: typst's patterns divide the definite plural before its ending; the
    design keeps such a word whole (the listed compounds among them keep their joints)."""
    source = pandoc_typst.typst_source(Document(body=_markdown(PLURAL),
                                                metadata={"title": "Orddeling"}))
    assert PLURAL_RULE.search(source)
    found = _breaks(_pdf_text(source), PLURAL)
    assert not any(cut.endswith(("er", "e")) and word.startswith(cut) and len(word) - len(cut)
                   <= 3 for word, cuts in found.items() for cut in cuts), found
    # the control: without the rule, typst divides them so
    control = _breaks(_pdf_text(_without_exceptions(source)), PLURAL)
    assert any(len(word) - len(cut) <= 3 for word, cuts in control.items() for cut in cuts), \
        control


def test_a_listed_compound_is_not_divided_where_the_text_is_not(tmp_path):
    """In a caption, a table or a source line (set without hyphenation) a listed compound
    stays whole too: its division points are for body text."""
    markdown = "".join(
        f"```{{=typst}}\n#block(width: {width}pt)[#set text(hyphenate: false)\n```\n\n"
        f"helhedsplanerne og samarbejdstrappen\n\n```{{=typst}}\n]\n```\n\n"
        for width in range(40, 120, 8))
    text = _pdf_text(pandoc_typst.typst_source(Document(body=markdown,
                                                        metadata={"title": "Orddeling"})))
    assert not any(re.search(f"[-{SOFT}]$", line.strip()) for line in text.splitlines())


def test_without_the_soft_hyphens_typst_divides_samarbejdstrappen_badly(source):
    """The control: the same columns with typst's own hyphenation only."""
    plain = _without_exceptions(source)
    assert "#kpb-ord(\"" not in plain
    found = _breaks(_pdf_text(plain), ALLOWED)

    assert found["samarbejdstrappens"] - ALLOWED["samarbejdstrappens"]


def _html(markdown: str) -> str:
    return pandoc_typst.html_bytes(Document(body=markdown, metadata={"title": "Orddeling"})
                                   ).decode("utf-8")


SHORT = ("eller", "unge", "have", "alene")
# Words of three letters the rule does not match: typst never divides them anyway.
THREE = ("ene", "ude", "øer", "alt", "ved", "sig")
SHORT_RULE = '#show regex("\\b\\p{L}{4,5}\\b"): set text(hyphenate: false)'


def _short_source(words=SHORT) -> str:
    blocks = [f"```{{=typst}}\n#block(width: {width}pt)[\n```\n\n{word}\n\n```{{=typst}}\n]\n```\n"
              for width in range(8, 30, 2) for word in words]
    return pandoc_typst.typst_source(Document(body="\n".join(blocks),
                                              metadata={"title": "Korte ord"}))


def test_a_word_of_five_letters_or_fewer_is_never_divided():
    source = _short_source()
    assert SHORT_RULE in source
    assert not any(_breaks(_pdf_text(source), SHORT).values())
    # the control: without the rule, typst divides some of them in the same columns
    assert any(_breaks(_pdf_text(source.replace(SHORT_RULE, "")), SHORT).values())


def test_a_word_of_three_letters_is_not_divided_even_without_the_rule():
    """Why the rule matches only four and five letters."""
    source = _short_source(THREE).replace(SHORT_RULE, "")
    assert SHORT_RULE not in source
    assert not any(_breaks(_pdf_text(source), THREE).values())


def test_html_carries_soft_hyphens_at_the_allowed_points_only():
    html = _html("Samarbejdstrappens trin, dobbeltarbejdet og helhedsplanerne.\n\n"
                 "»Samarbejdstrappen« (medarbejderne).\n")

    assert f"Sam{SOFT}arbejds{SOFT}trappens" in html
    assert f"dobbelt{SOFT}arbejdet" in html
    assert f"helheds{SOFT}planerne" in html
    assert f"»Sam{SOFT}arbejds{SOFT}trappen«" in html
    assert f"(med{SOFT}arbej{SOFT}derne)" in html
    assert html.count(SOFT) == 8


def test_a_longer_compound_or_an_unknown_ending_is_left_to_the_typesetter():
    html = _html("Borgerinddragelse, medarbejderstaben og samarbejdstrappeløbet.\n")

    assert SOFT not in html


def test_a_listed_compound_in_a_table_header_counts_with_all_its_letters():
    """A column is at least as wide as its header's longest word; a listed compound (written
    as its parts) is named to typst as the whole word, like any other word."""
    markdown = ("| Region | Helhedsplaner | Boligafsnitte |\n|:--|--:|--:|\n"
                "| Region Sjælland | 3 | 4 |\n\n: Tabel 1. Bredder\n")
    source = pandoc_typst.typst_source(Document(body=f":::: {{.tabel}}\n\n{markdown}\n::::\n",
                                                metadata={"title": "Bredder"}))
    least = source[source.index("  least: "):source.index("\n", source.index("  least: "))]

    assert '#kpb-ord("Helheds", "planer")' in source
    assert '(("Helhedsplaner",), ("3",))' in least
    assert '(("Boligafsnitte",), ("4",))' in least


# Lead paragraphs: set ragged right and never divided, but at a listed compound's joints.
LEAD_WORDS = ("Kapitlet beskriver organiseringen, prioriteringerne og forskellene mellem "
              "kommunerne, kriminalitetsforebyggelsen, koordineringsopgaverne og "
              "forvaltningschefernes ansvarsområder i udsatte boligområder")


def _lead_markdown(width: int) -> str:
    return (f"```{{=typst}}\n#block(width: {width}pt)[\n```\n\n::: {{.manchet}}\n{LEAD_WORDS}.\n"
            f":::\n\n```{{=typst}}\n]\n```\n")


def test_a_lead_is_not_divided_except_at_a_listed_joint():
    source = pandoc_typst.typst_source(Document(
        body="\n".join(_lead_markdown(width) for width in range(120, 260, 20)),
        metadata={"title": "Manchet"}))
    assert "#kpb-manchet()[" in source
    lines = [line.strip() for line in _pdf_text(source).splitlines()]
    divided = [line for line in lines if re.search(f"[-{SOFT}]$", line)]
    # only "kriminalitets-forebyggelsen" / "kriminalitetsfore-byggelsen" is listed
    assert all(line.replace(SOFT, "").rstrip("-").endswith(("kriminalitets", "kriminalitetsfore"))
               for line in divided), divided
    # the control: the same text as body text is divided elsewhere too
    body = source.replace("#kpb-manchet()[", "#block[")
    plain = [line.strip() for line in _pdf_text(body).splitlines()]
    assert any(re.search(f"[-{SOFT}]$", line) and "kriminalitets" not in line
               for line in plain)


def test_a_compound_ending_with_a_listed_stem_is_divided_at_its_joints():
    """A listed word of six letters or more also serves the compounds that end with it: the
    joint before it and its own points, the first part kept whole."""
    source = pandoc_typst.typst_source(Document(
        body="Beboerforeningen, fagdirektøren og organisationsbestyrelsen.\n",
        metadata={"title": "Orddeling"}))
    assert '#kpb-ord("Beboer", "foreningen");' in source
    assert '#kpb-ord("fag", "direk", "tøren");' in source
    assert '#kpb-ord("organisations", "besty", "relsen");' in source
    # a listed compound that begins the word wins over a stem that ends it
    source = pandoc_typst.typst_source(Document(body="Kommunaldirektørerne.\n",
                                                metadata={"title": "Orddeling"}))
    assert '#kpb-ord("Kommunal", "direktørerne");' in source
    html = " ".join(_html("Beboerforeningen og opløsningen.\n").split())
    assert f"Beboer{SOFT}foreningen" in html
    # too short a first part: not taken for a compound
    assert "opløsningen" in html


def test_a_word_after_a_number_and_a_hyphen_is_divided_only_at_the_hyphen():
    words = ("2015-rapportens", "2015-undersøgelsen")
    source = pandoc_typst.typst_source(Document(body=_markdown(words),
                                                metadata={"title": "Orddeling"}))
    assert '2015-#kpb-ord("rapportens");' in source
    assert '2015-#kpb-ord("undersøgelsen");' in source
    # pdftotext joins a line that ends in a hyphen to the next one, leaving the hyphen out:
    # »2015rapportens« is the word divided at its hyphen, and any other division would leave
    # a piece of the word on a line of its own
    lines = [line.strip() for line in _pdf_text(source).splitlines() if line.strip()]
    found = [line for line in lines if line.startswith("2015") or "rapport" in line
             or "undersøg" in line or "gelsen" in line]
    assert set(found) <= {f"2015{joint}{word[5:]}" for word in words for joint in ("-", "")}, \
        set(found)
    assert any("-" not in line for line in found), "the widths never force a break"
    html = " ".join(_html("I 2015-undersøgelsens tal.\n").split())
    assert '2015-<span class="udelt">undersøgelsens</span>' in html


CITES = ("Tidligere rapporter (Mygind, Kjeldsen & Rhod 2014; Frederiksen & Breau 2015; "
         "Frederiksen, Bøje-Kovacs & Lindstad 2014). Se også Frederiksen & Madsen (2013).")


def test_the_authors_of_a_reference_are_never_divided():
    source = pandoc_typst.typst_source(Document(body=CITES + "\n",
                                                metadata={"title": "Navne"}))
    for name in ("Mygind", "Kjeldsen", "Frederiksen", "Bøje-Kovacs", "Lindstad", "Madsen"):
        assert f'#kpb-ord("{name}");' in source, name
    assert '#kpb-ord("Tidligere")' not in source
    html = " ".join(_html(CITES + "\n").split())
    assert '(<span class="udelt">Mygind</span>,' in html
    assert '<span class="udelt">Frederiksen</span> &amp; Breau 2015' in html
    # the names in narrow columns: never divided, where typst alone divides »Frederiksen«
    narrow = pandoc_typst.typst_source(Document(body="\n".join(
        f"```{{=typst}}\n#block(width: {width}pt)[\n```\n\n(Frederiksen & Breau 2015)\n\n"
        f"```{{=typst}}\n]\n```\n" for width in range(30, 70, 4)),
        metadata={"title": "Navne"}))
    assert not any(_breaks(_pdf_text(narrow), ("Frederiksen",)).values())


def test_an_interview_quote_is_not_divided():
    quote = ("> Det kan godt være, at man (borger, red.) undrer sig over samarbejdstrappen og "
             "medarbejderne.\n>\n> — Kommunal strateg\n")
    source = pandoc_typst.typst_source(Document(body=quote, metadata={"title": "Citat"}))
    call = source[source.index("#kpb-citat("):]
    assert "kpb-ord" not in call[:call.index("Kommunal strateg")]
    assert "set text(hyphenate: false)" in source[source.index("#let kpb-citat("):]
    html = " ".join(_html(quote).split())
    assert "samarbejdstrappen og medarbejderne" in html
    assert "(borger, red.)" in html
