"""The simulated survey: sample respondents the way the HSR UK survey did and ask its questions.

The real survey (n = 248) reached academic, NHS and third-sector roles; its split is
unpublished, so the split is a declared parameter (``survey.share_university``,
``survey.share_nhs``). Sampling is stratified by sector, without replacement, so the
simulated proportions carry the same sampling noise as the observed ones.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.parameters import SurveyParams

SATISFACTION_LABELS = {1: "dissatisfied", 2: "dissatisfied", 3: "neither", 4: "satisfied", 5: "satisfied"}
SECURE_MONTHS_LEFT = 24  # a fixed-term post with two years or more to run counts as secure
SURVEY_COLUMNS = (
    "sector", "stage", "contract", "satisfaction", "carer", "disabled", "working_class", "gender",
    "has_mentor", "ever_gap", "feel_secure", "intends_to_leave", "fixed_term_12m_or_less",
)  # fmt: skip


def respondent_row(a, now: float) -> dict:
    """One respondent's answers."""
    months_left = (a.contract_end - now) * 12 if a.contract == "fixed_term" else math.inf
    return {
        "sector": a.sector,
        "stage": a.stage,
        "contract": "permanent" if a.contract == "permanent" else "non_permanent",
        "satisfaction": SATISFACTION_LABELS[a.satisfaction],
        "carer": bool(a.caring),
        "disabled": bool(a.disabled),
        "working_class": bool(a.working_class),
        "gender": a.gender,
        "has_mentor": a.mentor is not None,
        "ever_gap": a.gap_months_total > 0,
        "feel_secure": a.contract == "permanent" or months_left >= SECURE_MONTHS_LEFT,
        "intends_to_leave": bool(a.intends_to_leave),
        "fixed_term_12m_or_less": a.contract == "fixed_term" and months_left <= 12,
    }


def sample_survey(people: list, params: SurveyParams, rng: np.random.Generator, now: float) -> pd.DataFrame:
    """Sample ``params.respondents`` active researchers stratified by sector and record their answers."""
    by_sector: dict[str, list] = {"university": [], "nhs": [], "third_sector": []}
    for a in people:
        by_sector[a.sector].append(a)
    shares = {"university": params.share_university, "nhs": params.share_nhs}
    shares["third_sector"] = max(0.0, 1.0 - shares["university"] - shares["nhs"])
    n = params.respondents
    quota = {s: int(round(n * shares[s])) for s in by_sector}
    quota["university"] += n - sum(quota.values())
    rows = []
    for sector, members in by_sector.items():
        k = min(quota[sector], len(members))
        if k <= 0:
            continue
        for i in rng.choice(len(members), size=k, replace=False):
            rows.append(respondent_row(members[int(i)], now))
    return pd.DataFrame(rows, columns=list(SURVEY_COLUMNS))


QUESTIONS = ("contract", "satisfaction", "carer", "disabled", "has_mentor", "ever_gap", "feel_secure", "intends_to_leave")


def survey_proportions(survey: pd.DataFrame) -> pd.DataFrame:
    """Proportions per question and answer, overall and for satisfaction by contract type.

    Columns: ``question, subgroup, answer, proportion, count, n``.
    """
    rows = []
    n_all = len(survey)
    if n_all == 0:
        return pd.DataFrame(columns=["question", "subgroup", "answer", "proportion", "count", "n"])
    for q in QUESTIONS:
        counts = survey[q].value_counts()
        for answer, c in counts.items():
            rows.append({"question": q, "subgroup": "all", "answer": str(answer), "proportion": c / n_all, "count": int(c), "n": n_all})
    for contract, sub in survey.groupby("contract"):
        counts = sub["satisfaction"].value_counts()
        for answer in ("satisfied", "neither", "dissatisfied"):
            c = int(counts.get(answer, 0))
            rows.append({"question": "satisfaction", "subgroup": f"contract:{contract}", "answer": answer, "proportion": c / len(sub), "count": c, "n": len(sub)})
    return pd.DataFrame(rows)
