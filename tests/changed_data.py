"""One change to the shipped data whose effect on the printed figures is worked out by hand, for
the tests that check the national report follows its data.

Three municipalities that said they have a coordinator now say they have none, and one small
municipality gets 4,500 residents in its areas, so it is large. From the published counts:
coordinator 37 -> 34 of 41, none 4 -> 7, small 28 -> 27 of 44.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SWITCHED = 3            # coordinators that now have none
COORDINATOR = (34, 41)  # har_koordinator after the change (37 of 41 before)
NO_COORDINATOR = 7      # ingen_koordinator after the change (4 before)
SMALL = (27, 44)        # smaa_kommuner_under_4000 after the change (28 of 44 before)


def change_data(data: Path) -> None:
    """Apply the change to the data folder ``data`` (a copy of the shipped data)."""
    survey = data / "survey" / "besvarelser.csv"
    answers = pd.read_csv(survey, dtype=str, keep_default_na=False)
    switch = answers.index[(answers["har_koordinator"] == "1")
                           & (answers["statoverall_4"] == "1")][:SWITCHED]
    answers.loc[switch, "har_koordinator"] = "2"
    answers.loc[switch, "koordinator_placering"] = ""
    answers.to_csv(survey, index=False)
    register = data / "register" / "helhedsplaner.csv"
    reg = pd.read_csv(register, dtype=str)
    small = reg.index[reg["beboere_i_omraader"].astype(int) < 4000][0]
    reg.loc[small, "beboere_i_omraader"] = "4500"
    reg.to_csv(register, index=False)
