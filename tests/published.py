"""The 2015 report's published counts recomputed from loaded data (shared by tests)."""


def published_counts_from(dataset) -> dict[str, tuple[int, int]]:
    """Each published 2015 count recomputed from loaded data, written independently of the
    generator and of the report's own code."""
    reg = dataset.register
    ans = dataset.survey.answers.merge(reg[["kommunekode", "beboere_i_omraader"]],
                                       on="kommunekode")
    large = ans["beboere_i_omraader"] >= 4000
    time = ans["tid_koordinering"]
    timed = time.isin([1, 2, 3, 4, 5])
    coord = ans["har_koordinator"]
    higher = ans["ledelse_kunne_prioritere_hoejere"]
    return {
        "andel_med_helhedsplan": (len(reg), len(dataset.kommuner)),
        "smaa_kommuner_under_4000": (int((reg["beboere_i_omraader"] < 4000).sum()), len(reg)),
        "alle_medfinansierer": (int((reg.filter(like="medfin_").sum(axis=1) > 0).sum()),
                                len(reg)),
        "medfinansiering_medarbejderressourcer":
            (int(reg["medfin_medarbejderressourcer"].sum()), len(reg)),
        "har_koordinator": (int((coord == 1).sum()), len(ans)),
        "ingen_koordinator": (int((coord == 2).sum()), len(ans)),
        "koordinator_i_borgmesterkontor":
            (int((ans["koordinator_placering"] == 1).sum()), int((coord == 1).sum())),
        "tid_besvaret": (int(timed.sum()), len(ans)),
        "store_fuldtid_eller_mere":
            (int((large & time.isin([4, 5])).sum()), int((large & timed).sum())),
        "smaa_fuldtid_eller_mere":
            (int((~large & time.isin([4, 5])).sum()), int((~large & timed).sum())),
        "smaa_halvtid_eller_mindre":
            (int((~large & time.isin([1, 2])).sum()), int((~large & timed).sum())),
        "ledelse_kunne_prioritere_hoejere":
            (int(higher.isin([4, 5]).sum()), int(higher.isin([1, 2, 3, 4, 5]).sum())),
    }
