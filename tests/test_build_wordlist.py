"""The passphrase word-list builder's list of left-out words: a text file beside it."""

from devtools import build_wordlist


def test_words_are_read_across_lines_and_comments_are_skipped(tmp_path):
    path = tmp_path / "udeladt.txt"
    path.write_text("# a header line\nvold  krig\n\nmord # after a word\n  # indented\n",
                    encoding="utf-8")

    assert build_wordlist.read_excluded(path) == {"vold", "krig", "mord"}


def test_the_shipped_file_holds_words_only():
    words = build_wordlist.read_excluded()

    assert "vold" in words and "assens" in words
    assert all(word.isalpha() and word == word.lower() for word in words)
