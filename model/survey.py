"""The simulated survey: sample respondents the way the HSR UK survey did and ask its questions.

The real survey (n = 248) reached academic, NHS and third-sector roles; its split is
unpublished, so the split is a declared parameter (``survey.share_university``,
``survey.share_nhs``). Sampling is stratified by sector, without replacement, so the
simulated proportions carry the same sampling noise as the observed ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model.parameters import SECTORS, STAGES
from model.population import FIXED, PERMANENT

if TYPE_CHECKING:
    from model.career_model import CareerModel

SATISFACTION_LABELS = np.array(["", "dissatisfied", "dissatisfied", "neither", "satisfied", "satisfied"], dtype=object)
SURVEY_COLUMNS = [
    "sector", "stage", "contract", "satisfaction", "carer", "disabled", "working_class", "gender",
    "has_mentor", "ever_gap", "feel_secure", "intends_to_leave", "fixed_term_12m_or_less", "secure_position",
]  # fmt: skip
QUESTIONS = ("contract", "satisfaction", "carer", "disabled", "has_mentor", "ever_gap", "feel_secure", "intends_to_leave")


def sample_survey(model: CareerModel) -> pd.DataFrame:
    """Sample ``survey.respondents`` active researchers stratified by sector; one row of answers each."""
    params = model.params.survey
    pop = model.pop
    alive = pop.alive_idx()
    shares = [params.share_university, params.share_nhs, max(0.0, 1.0 - params.share_university - params.share_nhs)]
    quota = [int(round(params.respondents * s)) for s in shares]
    quota[0] += params.respondents - sum(quota)
    chosen = []
    for code, k in enumerate(quota):
        members = alive[pop.sector[alive] == code]
        k = min(k, len(members))
        if k > 0:
            chosen.append(model.streams.choose("survey_sample", members, k, model.year))
    idx = np.concatenate(chosen) if chosen else np.array([], dtype=int)
    contract = pop.contract[idx]
    months_left = np.where(contract == FIXED, pop.contract_end[idx] - model.month, np.inf)
    secure = (contract == PERMANENT) | (months_left >= params.secure_months_left)
    return pd.DataFrame(
        {
            "sector": np.array(SECTORS, dtype=object)[pop.sector[idx]],
            "stage": np.array(STAGES, dtype=object)[pop.stage[idx]],
            "contract": np.where(contract == PERMANENT, "permanent", "non_permanent").astype(object),
            "satisfaction": SATISFACTION_LABELS[pop.satisfaction[idx]],
            "carer": pop.caring[idx],
            "disabled": pop.disabled[idx],
            "working_class": pop.working_class[idx],
            "gender": np.where(pop.woman[idx], "woman", "man").astype(object),
            "has_mentor": pop.mentor[idx] >= 0,
            "ever_gap": pop.gap_months_total[idx] > 0,
            # Security in a research career is a feeling, not a contract: only some of those
            # in a secure position say they feel secure (Wellcome asked the feeling).
            "feel_secure": secure & (model.streams.uniform("survey_feel_secure", idx, model.year) < params.secure_share),
            "intends_to_leave": pop.intends_to_leave[idx],
            "fixed_term_12m_or_less": (contract == FIXED) & (months_left <= 12),
            "secure_position": secure,  # permanent, or enough months left (calibration solves secure_share from it)
        },
        columns=SURVEY_COLUMNS,
    )


def survey_proportions(survey: pd.DataFrame) -> pd.DataFrame:
    """Proportions per question and answer, overall and for satisfaction by contract type.

    Columns: ``question, subgroup, answer, proportion, count, n``.
    """
    rows = []
    n_all = len(survey)
    if n_all == 0:
        return pd.DataFrame(columns=["question", "subgroup", "answer", "proportion", "count", "n"])
    for q in QUESTIONS:
        for answer, c in survey[q].value_counts().items():
            rows.append({"question": q, "subgroup": "all", "answer": str(answer), "proportion": c / n_all, "count": int(c), "n": n_all})
    for contract, sub in survey.groupby("contract"):
        counts = sub["satisfaction"].value_counts()
        for answer in ("satisfied", "neither", "dissatisfied"):
            c = int(counts.get(answer, 0))
            rows.append(
                {
                    "question": "satisfaction",
                    "subgroup": f"contract:{contract}",
                    "answer": answer,
                    "proportion": c / len(sub),
                    "count": c,
                    "n": len(sub),
                }
            )
    return pd.DataFrame(rows)
