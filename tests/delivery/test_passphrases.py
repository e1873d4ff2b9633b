"""Passphrases: Danish words, at least 80 bits, stable, in a file only the owner can read."""

import math
import multiprocessing as mp
import re
import stat
from pathlib import Path

import pytest

from analysis.delivery import passphrases
from analysis.delivery.passphrases import KeyFileError, KeyStore

WORDLIST = Path(passphrases.__file__).with_name("ordliste.txt")


def _shipped_words() -> list[str]:
    return WORDLIST.read_text("utf-8").split("\n")[:-1]


def test_word_list_is_distinct_plain_danish_words():
    words = _shipped_words()

    assert len(words) == len(set(words)) >= 2048
    assert all(re.fullmatch(r"[a-z]{3,6}", w) for w in words)
    assert {"kommune", "sommer", "kaffe", "hus", "sol"} & set(words) == {"sol", "hus", "kaffe",
                                                                         "sommer"}


def test_fitting_sequences_and_bits_worked_out_by_hand():
    # Words "sol", "bil" (3 letters) and "hest" (4); two words and one digit in 8 characters:
    # 3+1+3 = 7 fits (2 x 2 = 4 pairs), 3+1+4 and 4+1+3 = 8 fit (2 + 2 = 4 pairs),
    # 4+1+4 = 9 does not: 8 pairs, log2(8) = 3 bits, plus log2(8) = 3 bits for the digit.
    words = ("sol", "bil", "hest")
    assert passphrases.fitting_sequences(2, [3, 3, 4], max_length=8) == 8
    assert passphrases.entropy_bits(2, words, max_length=8, digits="23456789") == 6
    # Without a length limit that bites, n words from N give n * log2(N): 3 * log2(4) = 6.
    assert passphrases.entropy_bits(3, ("aa", "bb", "cc", "dd"), max_length=100,
                                    digits="2") == 6


def test_a_generated_passphrase_fits_a_pdf_password_and_has_80_bits():
    words = _shipped_words()
    lengths = {}
    for w in words:
        lengths[len(w)] = lengths.get(len(w), 0) + 1

    phrase = passphrases.generate()

    parts = re.split(r"([2-9])", phrase)
    found, digits = parts[::2], parts[1::2]
    assert all(w in set(words) for w in found) and len(digits) == len(found) - 1
    assert len(phrase) <= 32
    # A lower bound worked out from the list's own length counts: every sequence whose words
    # are all at most 4 letters fits in 32 characters (6 * 4 + 5 = 29), so at least
    # (words of 3-4 letters) ** 6 sequences fit, each with 8 ** 5 digit choices.
    short = lengths[3] + lengths[4]
    assert len(found) == 6
    assert 6 * math.log2(short) + 5 * 3 < passphrases.entropy_bits(6)
    assert passphrases.entropy_bits(len(found)) >= 80
    assert passphrases.entropy_bits(len(found) - 1) < 80     # and no word more than needed
    assert passphrases.generate() != phrase


def test_key_file_is_created_private_and_passphrases_are_stable(tmp_path):
    store = KeyStore(tmp_path / "noegler" / "adgangsfraser.csv", out_dir=tmp_path / "outputs")

    first = store.ensure({"259": "Køge"})
    again = KeyStore(store.path).ensure({"259": "Køge", "461": "Odense"})

    assert again["259"] == first["259"] and again["461"] != first["259"]
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    lines = store.path.read_text("utf-8").splitlines()
    assert lines[0] == "kommunekode,kommune,adgangsfrase,noegle_id"
    assert lines[1].startswith(f"259,Køge,{first['259']},")


def test_rotation_changes_one_municipality_only(tmp_path):
    store = KeyStore(tmp_path / "k.csv")
    before = store.ensure({"259": "Køge", "461": "Odense"})

    ids = {code: row["noegle_id"] for code, row in store.read().items()}

    old, new = store.rotate("259", "Køge")

    after = store.read()
    assert old == before["259"] and new != old
    assert after["259"]["adgangsfrase"] == new
    assert after["461"]["adgangsfrase"] == before["461"]
    assert after["259"]["noegle_id"] != ids["259"]
    assert after["461"]["noegle_id"] == ids["461"]


def test_key_file_inside_the_output_folder_is_refused(tmp_path):
    with pytest.raises(KeyFileError, match="outside the output folder"):
        KeyStore(tmp_path / "outputs" / "adgangsfraser.csv", out_dir=tmp_path / "outputs")


def test_a_key_file_readable_by_others_is_made_private_when_read(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("kommunekode,kommune,adgangsfrase,noegle_id\n259,Køge,sol3hus,a1\n", "utf-8")
    path.chmod(0o644)

    rows = KeyStore(path).read()

    assert rows["259"]["adgangsfrase"] == "sol3hus"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_broken_key_file_is_a_clear_error(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("kommunekode,kommune,adgangsfrase,noegle_id\n259,Køge,,a1\n", "utf-8")

    with pytest.raises(KeyFileError, match="row 2"):
        KeyStore(path).read()


def _ensure_in_another_process(path: str, queue) -> None:
    queue.put(KeyStore(Path(path)).ensure({"259": "Køge"})["259"])


def test_two_processes_at_once_agree_on_one_passphrase(tmp_path):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    path = str(tmp_path / "k.csv")
    procs = [ctx.Process(target=_ensure_in_another_process, args=(path, queue))
             for _ in range(3)]
    for p in procs:
        p.start()
    got = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(10)

    assert len(set(got)) == 1
    assert KeyStore(Path(path)).read()["259"]["adgangsfrase"] == got[0]
