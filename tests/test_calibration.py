"""The shipped example data agree with what the 2015 report concludes.

The data reproduce every count the 2015 report published (``test_example_data.py``). The
questions it published nothing from are this edition's, and their synthetic answers are drawn
(``devtools.example_data``) so that the sentences the report builds on them say what the 2015
report says in words. Each test below states one such claim and checks it on the shipped data,
through the values the report prints.
"""

import pytest

from analysis.report.content import advice, ch1, themes
from analysis.report.notebook import setup

CASES = ("Albertslund", "Herning", "Køge", "Odense", "Sønderborg")


@pytest.fixture(scope="module")
def r():
    return setup()


@pytest.fixture(scope="module")
def answers(r):
    """The completed answers with the municipality's name, by name."""
    return r.national.respondents.set_index("kommunenavn")


# ---------------------------------------------------------------- samarbejdstrappen

def test_most_respondents_place_the_collaboration_with_the_boligorganisation_on_step_1_2(r):
    # "Samarbejdet … ligger flere steder på de nederste to trin af samarbejdstrappen"
    trappe = themes.staircase(r)

    assert trappe.low_bo.share > 0.5
    assert trappe.low_bo.count > trappe.high_bo.count


def test_the_collaboration_with_the_helhedsplan_also_lies_mostly_on_the_lower_steps(r):
    trappe = themes.staircase(r)

    assert trappe.high_hp.share < 0.5


def test_the_executive_collaboration_with_the_helhedsplan_reaches_the_upper_steps_more_often(r):
    # the 2015 report's examples of the third and fourth step are of the kommune and the
    # helhedsplan working together in the area
    trappe = themes.staircase(r)

    assert trappe.hp_more_often == "oftere"


# ---------------------------------------------------------------- fælles mål, tillid, mødefora

def test_those_with_shared_goals_are_on_higher_steps_more_often(r):
    u = themes.understanding(r)

    assert u.comparable
    assert u.high_with_goals.share > u.high_without_goals.share
    assert not u.diff.uncertain              # the interval leaves out no difference


def test_shared_goals_go_with_a_higher_step_beyond_chance(r):
    # what chapter 3 prints: the difference in upper-step shares and its score test
    u = themes.understanding(r)

    assert u.related and u.diff.clear


def test_those_who_trust_each_other_are_on_higher_steps_more_often(r):
    u = themes.understanding(r)

    assert u.high_with_trust.share > u.high_without_trust.share


def test_a_majority_agree_on_shared_goals_and_on_trust(r):
    # shared goals and trust are what the 2015 report builds on; most coordinators report them
    u = themes.understanding(r)

    assert u.goals.share > 0.5 and u.trust.share > 0.5


def test_fora_at_every_level_go_with_the_upper_steps_beyond_chance(r):
    # "Med tværorganisatoriske mødefora lærer parterne hinanden at kende … fremmer fokus på
    # helhedsplansarbejdet på alle niveauer"
    f = themes.fora(r)

    assert f.comparable and f.more_often
    assert f.test.significant and not f.diff.uncertain


def test_executive_fora_are_more_common_than_strategic_ones(r):
    executive = r.option_share("forum_udfoerende")
    strategic = r.option_share("forum_strategisk")

    assert executive.share > strategic.share


# ---------------------------------------------------------------- kommunens interne samarbejde

def test_knowledge_sharing_across_departments_is_the_exception(r):
    # "Kommunernes organisatoriske opdeling i fagforvaltninger … fremmer generelt ikke
    # samarbejdet": fewer than half agree that knowledge is shared across the departments
    assert themes.internal(r).knowledge.share < 0.5


def test_a_cross_departmental_forum_goes_with_knowledge_sharing(r, answers):
    valid = answers[answers["vidensdeling"].isin([1, 2, 3, 4, 5])]
    sharing = valid["vidensdeling"].isin([4, 5])
    with_forum = valid["internt_forum"] == 1

    assert sharing[with_forum].mean() > sharing[~with_forum].mean()


# ---------------------------------------------------------------- ledelse (2015's own figures)

def test_half_agree_the_leaders_could_give_the_work_higher_priority(r):
    higher = themes.leadership(r).higher

    assert (higher.count, higher.n) == (19, 38)


def test_satisfaction_with_the_leaders_is_alike_in_the_two_size_groups(r):
    # "uanset kommunens andel af borgere i boligområder med helhedsplaner, er … oplevelse af …
    # prioritering … nærmest ens"
    sat = ch1.satisfaction(r)

    assert not sat.test.significant and sat.diff.uncertain


def test_satisfaction_with_the_politicians_is_alike_in_the_two_size_groups(r, answers):
    from analysis.stats.estimate import ordinal_2groups

    valid = answers[answers["tilfreds_pol_ledelse"].isin([1, 2, 3, 4, 5])]
    small = valid.loc[valid["size_group"] == "small", "tilfreds_pol_ledelse"]
    large = valid.loc[valid["size_group"] == "large", "tilfreds_pol_ledelse"]

    assert not ordinal_2groups(small.to_numpy(), large.to_numpy()).significant


# ---------------------------------------------------------------- the case municipalities

def test_every_case_municipality_answered_the_whole_questionnaire_and_has_a_coordinator(answers):
    for name in CASES:
        assert answers.at[name, "har_koordinator"] == 1, name
        assert answers.at[name, "trin_boligorganisation"] in (1, 2, 3, 4), name


@pytest.mark.parametrize("question", ["tillid", "faelles_maal"])
def test_koege_answers_overvejende_or_helt_enig_on_trust_and_shared_goals(answers, question):
    # the 2015 report's examples of trust (a lunch that unlocked a negotiation, leaders who
    # speak loyally of each other) and of shared understanding built in workshops are Køge's
    assert answers.at["Køge", question] in (4, 5)


def test_koege_works_across_its_departments(answers):
    # »Den fælles indgang«: three departments with the family; the silos broken down
    assert answers.at["Køge", "internt_forum"] == 1
    assert answers.at["Køge", "vidensdeling"] in (4, 5)


def test_koege_reaches_the_upper_steps(answers):
    assert answers.at["Køge", "trin_boligorganisation"] in (3, 4)
    assert answers.at["Køge", "trin_helhedsplan"] == 4


def test_soenderborg_reaches_the_fourth_step_with_its_helhedsplan(answers):
    # the kommune took the helhedsplan's way of involving young people into its own work
    assert answers.at["Sønderborg", "trin_helhedsplan"] == 4
    assert answers.at["Sønderborg", "medarbejdere_snitflader"] in (4, 5)


def test_albertslund_solves_tasks_with_its_helhedsplan(answers):
    # the acute case solved by the helhedsplan and the kommune together: positive coordination
    assert answers.at["Albertslund", "trin_helhedsplan"] >= 3
    assert answers.at["Albertslund", "forum_udfoerende"] == 1


def test_odense_has_fora_at_the_strategic_and_tactical_levels(answers):
    # its steering group and follow-up group
    assert answers.at["Odense", "forum_strategisk"] == 1
    assert answers.at["Odense", "forum_taktisk"] == 1


def test_herning_has_a_cross_departmental_group(answers):
    assert answers.at["Herning", "internt_forum"] == 1


def test_koege_is_not_advised_to_build_what_the_text_holds_up_as_its_strength():
    given = advice.advice(setup(kommune="Køge")).triggered

    assert not given & {"tillid", "faelles_maal", "internt_forum", "vidensdeling", "strategi",
                        "opgaver"}


def test_no_case_municipality_is_advised_against_what_its_text_tells():
    told = {"Sønderborg": {"opgaver", "medarbejdere"}, "Albertslund": {"opgaver"},
            "Odense": {"forum_strategisk", "forum_taktisk"}, "Herning": {"internt_forum"}}
    for name, strengths in told.items():
        assert not advice.advice(setup(kommune=name)).triggered & strengths, name
