"""The one parameter declaration.

Every model parameter is declared exactly once here, with its default, unit, valid
range, plausible range (used as sensitivity-analysis bounds) and source. The YAML
schema, the CLI overrides, the sensitivity factors and the app's controls are all
derived from these classes; nothing else lists parameter names.

Sources are short keys into ``docs/ODD.md`` (section "Input data"); "assumption"
means no published UK HSR figure exists and the value is ours to vary.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

STAGES: tuple[str, ...] = ("doctoral", "early", "mid", "senior")
SECTORS: tuple[str, ...] = ("university", "nhs", "third_sector")
CONTRACTS: tuple[str, ...] = ("permanent", "fixed_term", "gap")
EXIT_REASONS: tuple[str, ...] = (
    "funding_gap",
    "dissatisfaction",
    "caring",
    "other_sector",
    "retirement",
)

ASSUMPTION = "assumption"


def param(
    default: float,
    lo: float,
    hi: float,
    *,
    unit: str,
    source: str,
    doc: str,
    plausible: tuple[float, float] | None = None,
) -> Any:
    """Declare one parameter: default, valid range [lo, hi], unit, source and meaning.

    ``plausible`` narrows the valid range to the values a modeller would still call
    believable; sensitivity analysis samples it (defaults to the valid range).
    """
    low, high = plausible if plausible is not None else (lo, hi)
    return Field(
        default,
        ge=lo,
        le=hi,
        description=doc,
        json_schema_extra={"unit": unit, "source": source, "plausible": [low, high]},
    )


def check_known_keys(cls: type[BaseModel], data: Any) -> Any:
    """Reject keys a model does not declare, naming the nearest valid key and all valid keys."""
    if isinstance(data, dict):
        valid = list(cls.model_fields)
        for key in data:
            if key not in cls.model_fields:
                close = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ValueError(f"unknown key '{key}'{hint}; valid keys: {', '.join(valid)}")
    return data


def no_bool_for_number(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """Refuse true/false where a number is declared (YAML reads on/off/yes/no as booleans; pydantic would take 1/0)."""
    field = cls.model_fields.get(info.field_name or "")
    if isinstance(value, bool) and field is not None and field.annotation in (int, float):
        raise ValueError(f"must be a number, got {value} (YAML reads yes/no/on/off/true/false as true or false)")
    return value


def no_bools(cls: type[BaseModel], data: Any) -> Any:
    """``no_bool_for_number`` for a whole mapping (for models whose fields cannot carry a before-validator)."""
    if isinstance(data, dict):
        for key, value in data.items():
            field = cls.model_fields.get(key)
            if isinstance(value, bool) and field is not None and field.annotation in (int, float):
                raise ValueError(f"'{key}' must be a number, got {value} (YAML reads yes/no/on/off/true/false as true or false)")
    return data


class ParamGroup(BaseModel):
    """Base of every parameter group: strict keys, finite numbers (never true/false), checked on assignment."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_assignment=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        return check_known_keys(cls, data)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool(cls, value: Any, info: ValidationInfo) -> Any:
        return no_bool_for_number(cls, value, info)


class PopulationParams(ParamGroup):
    """Who enters HSR and how many."""

    share_women: float = param(0.62, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of entrants who are women (HSR is a majority-female field).", plausible=(0.5, 0.75))
    share_working_class: float = param(0.25, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of entrants from a working-class background.", plausible=(0.15, 0.4))
    share_disabled: float = param(0.068, 0, 1, unit="proportion", source="HESA disability 2023", doc="Share of entrants disabled or neurodivergent (declared).", plausible=(0.04, 0.15))
    share_university: float = param(0.65, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of entrants based in universities.", plausible=(0.5, 0.8))
    share_nhs: float = param(0.25, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of entrants based in the NHS (the rest: third sector).", plausible=(0.15, 0.35))
    entry_share_doctoral: float = param(0.55, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of entrants who enter as doctoral researchers (the rest enter early-career).", plausible=(0.3, 0.8))
    entry_rate: float = param(0.08, 0, 0.5, unit="per year", source=ASSUMPTION, doc="Yearly entry cohort as a share of the initial population, scaled by the funding climate.", plausible=(0.05, 0.12))
    share_no_safety_net: float = param(0.3, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share with no family/partner income or savings to live on between contracts.", plausible=(0.15, 0.5))
    safety_net_mean_months: float = param(5.0, 0, 60, unit="months", source=ASSUMPTION, doc="Mean months of cushion among those with a safety net (exponential).", plausible=(2, 10))


class ContractParams(ParamGroup):
    """Contract lengths, permanence and renewal at contract end."""

    doctoral_months: float = param(42, 12, 84, unit="months", source=ASSUMPTION, doc="Mean length of a doctoral studentship.", plausible=(36, 48))
    fixed_term_mean_months: float = param(24, 3, 84, unit="months", source="THE contract length", doc="Mean length of a fixed-term research contract (typically 2-3 years).", plausible=(18, 36))
    fixed_term_shape: float = param(1.0, 0.5, 20, unit="gamma shape", source="CROS 2011", doc="Gamma shape of fixed-term contract lengths; 1.0 with a 24-month mean puts 41% at 12 months or less (CROS: over 40%).", plausible=(0.8, 2.0))
    p_permanent_early: float = param(0.08, 0, 1, unit="probability", source="HESA fixed-term 2021/22", doc="Chance a new early-career post is permanent (university).", plausible=(0.02, 0.2))
    p_permanent_mid: float = param(0.35, 0, 1, unit="probability", source="HESA fixed-term 2021/22", doc="Chance a new mid-career post is permanent (university).", plausible=(0.2, 0.5))
    p_permanent_senior: float = param(0.75, 0, 1, unit="probability", source=ASSUMPTION, doc="Chance a new senior post is permanent (university).", plausible=(0.5, 0.9))
    nhs_permanent_boost: float = param(0.3, 0, 1, unit="probability points", source=ASSUMPTION, doc="Added chance of permanence for NHS posts.", plausible=(0.1, 0.5))
    third_sector_permanent_boost: float = param(0.1, 0, 1, unit="probability points", source=ASSUMPTION, doc="Added chance of permanence for third-sector posts.", plausible=(0.0, 0.3))
    renewal_prob: float = param(0.70, 0, 1, unit="probability", source="THE 1997 minority sport", doc="Chance a contract end is followed at once by another research post, at a neutral climate.", plausible=(0.55, 0.85))
    climate_effect: float = param(3.0, 0, 20, unit="log-odds per climate unit", source=ASSUMPTION, doc="How strongly the funding climate moves renewal and re-employment.", plausible=(1, 6))
    network_effect: float = param(0.8, 0, 5, unit="log-odds per unit tacit access", source=ASSUMPTION, doc="Renewal advantage of access to insider (tacit) knowledge through the network.", plausible=(0.2, 1.5))
    mentor_effect: float = param(0.4, 0, 5, unit="log-odds", source="Ries et al. 2009", doc="Renewal advantage of having a mentor.", plausible=(0.1, 0.8))
    redundancy_rate: float = param(0.01, 0, 0.5, unit="per year", source=ASSUMPTION, doc="Yearly chance a permanent post ends (redundancy), raised in a poor climate.", plausible=(0.0, 0.03))


class FundingParams(ParamGroup):
    """The funding climate index around 1.0."""

    noise_sd: float = param(0.04, 0, 0.5, unit="index points", source=ASSUMPTION, doc="Yearly noise in the funding climate.", plausible=(0.0, 0.08))
    persistence: float = param(0.6, 0, 0.99, unit="autocorrelation", source=ASSUMPTION, doc="Year-to-year persistence of climate deviations.", plausible=(0.3, 0.9))
    shock_rate: float = param(0.05, 0, 1, unit="per year", source=ASSUMPTION, doc="Chance of a random funding shock in a year.", plausible=(0.0, 0.1))
    shock_size: float = param(0.15, 0, 0.9, unit="index points", source=ASSUMPTION, doc="Mean size of a random shock (cut to the index).", plausible=(0.05, 0.3))
    shock_recovery_years: float = param(3, 0, 30, unit="years", source=ASSUMPTION, doc="Years a random shock takes to recover linearly.", plausible=(1, 6))


class GapParams(ParamGroup):
    """Months between contracts: re-employment, safety net, leaving."""

    reemploy_month: float = param(0.3, 0, 1, unit="probability per month", source="THE 1997 minority sport", doc="Monthly chance of a new post while in a gap, at a neutral climate.", plausible=(0.15, 0.5))
    exit_base_month: float = param(0.02, 0, 1, unit="probability per month", source=ASSUMPTION, doc="Monthly chance of leaving research in an unpaid gap month.", plausible=(0.005, 0.05))
    exit_per_unpaid_month: float = param(0.01, 0, 1, unit="probability per month", source=ASSUMPTION, doc="Added monthly exit chance for each unpaid month so far.", plausible=(0.0, 0.03))
    no_safety_net_multiplier: float = param(4.0, 1, 50, unit="hazard ratio", source=ASSUMPTION, doc="Exit hazard multiplier once the safety net is used up.", plausible=(2, 8))
    salary_doctoral: float = param(1700, 0, 20000, unit="GBP per month", source=ASSUMPTION, doc="Monthly cost of a doctoral stipend (bridge cost).", plausible=(1500, 2000))
    salary_early: float = param(4200, 0, 20000, unit="GBP per month", source=ASSUMPTION, doc="Monthly employer cost of an early-career researcher.", plausible=(3500, 5000))
    salary_mid: float = param(5400, 0, 20000, unit="GBP per month", source=ASSUMPTION, doc="Monthly employer cost of a mid-career researcher.", plausible=(4500, 6500))
    salary_senior: float = param(7000, 0, 30000, unit="GBP per month", source=ASSUMPTION, doc="Monthly employer cost of a senior researcher.", plausible=(6000, 9000))


class ProgressionParams(ParamGroup):
    """Promotion between stages."""

    promotion_early: float = param(0.10, 0, 1, unit="per year", source=ASSUMPTION, doc="Yearly early-to-mid promotion chance for a reference researcher.", plausible=(0.05, 0.2))
    promotion_mid: float = param(0.06, 0, 1, unit="per year", source=ASSUMPTION, doc="Yearly mid-to-senior promotion chance for a reference researcher.", plausible=(0.03, 0.12))
    mentor_effect: float = param(0.4, 0, 3, unit="log hazard ratio", source="Ries et al. 2009", doc="Promotion advantage of a mentor.", plausible=(0.1, 0.8))
    network_effect: float = param(0.6, 0, 3, unit="log hazard ratio per unit tacit access", source=ASSUMPTION, doc="Promotion advantage of insider (tacit) knowledge.", plausible=(0.2, 1.2))


class PipelineParams(ParamGroup):
    """Why women's share falls with seniority: part-time work and the senior promotion step (model/pipeline.py)."""

    part_time_base: float = param(0.2, 0, 1, unit="proportion", source="HESA staff record 2007/08", doc="Chance a researcher without a caring load works part-time in a year (23.1% of men academics were part-time).", plausible=(0.1, 0.3))
    part_time_care: float = param(0.5, 0, 1, unit="proportion at caring load 1", source="HESA staff record 2007/08", doc="Added chance of working part-time at a full caring load (42.4% of women vs 23.1% of men academics part-time).", plausible=(0.3, 0.8))
    part_time_fte: float = param(0.6, 0.1, 1, unit="FTE", source=ASSUMPTION, doc="Hours of a part-timer as a share of full time; promotion criteria count output, which accrues with hours.", plausible=(0.5, 0.8))
    senior_gap_women: float = param(0.0, 0, 3, unit="log hazard ratio", source="Witteman et al. 2019 Lancet", doc="Lower promotion hazard to senior for women with the same record (assessment of the applicant, sponsorship); 0 unless calibrated (calibration/calibrated.yaml sets it).", plausible=(0.0, 0.7))


class CaringParams(ParamGroup):
    """Caring duties over the life course (gendered)."""

    at_entry_women: float = param(0.10, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of women entrants already caring.", plausible=(0.05, 0.2))
    at_entry_men: float = param(0.05, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of men entrants already caring.", plausible=(0.02, 0.1))
    onset_women: float = param(0.035, 0, 1, unit="per year", source="Census 2021 unpaid care by sex", doc="Yearly chance a woman aged 25-55 starts a caring spell (any intensity); women care more often (Census 2021: 10.3% vs 7.6%).", plausible=(0.02, 0.06))
    onset_men: float = param(0.015, 0, 1, unit="per year", source="Census 2021 unpaid care by sex", doc="Yearly chance a man aged 25-55 starts a caring spell (any intensity).", plausible=(0.005, 0.03))
    mean_years: float = param(8, 0.5, 40, unit="years", source=ASSUMPTION, doc="Mean duration of a caring spell.", plausible=(4, 15))
    primary_share_women: float = param(0.75, 0, 1, unit="proportion", source="ONS time use 2015", doc="Chance a woman's caring spell is primary (she carries most of it); mothers provided 74% of childcare time.", plausible=(0.6, 0.85))
    primary_share_men: float = param(0.25, 0, 1, unit="proportion", source="UK Time Use Survey 2000/01 (EOC)", doc="Chance a man's caring spell is primary; fathers did most of the childcare on a survey day in 24% of two-parent families.", plausible=(0.15, 0.4))
    shared_intensity: float = param(0.4, 0, 1, unit="ratio to a primary spell", source=ASSUMPTION, doc="Career load of a shared caring role relative to primary responsibility.", plausible=(0.2, 0.6))
    adult_share_younger: float = param(0.15, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of spells starting before 45 that are care of adults (the rest children).", plausible=(0.05, 0.3))
    adult_share_older: float = param(0.6, 0, 1, unit="proportion", source="Census 2021 unpaid care by sex", doc="Share of spells starting at 45 or later that are care of adults (caring peaks at 55-59 for women).", plausible=(0.4, 0.8))
    adult_intensity: float = param(0.8, 0, 2, unit="ratio to childcare", source=ASSUMPTION, doc="Career load of adult care relative to childcare of the same role.", plausible=(0.5, 1.2))
    promotion_penalty: float = param(0.5, 0, 3, unit="log hazard ratio at intensity 1", source=ASSUMPTION, doc="Promotion penalty of a primary childcare load (scaled by the spell's intensity).", plausible=(0.2, 0.8))
    mobility_penalty: float = param(0.5, 0, 3, unit="log-odds at intensity 1", source=ASSUMPTION, doc="Renewal penalty of a primary childcare load (cannot move for the next post), scaled by intensity.", plausible=(0.2, 0.8))
    satisfaction_penalty: float = param(0.4, 0, 3, unit="latent points at intensity 1", source=ASSUMPTION, doc="Satisfaction cost of caring-work conflict at intensity 1.", plausible=(0.1, 0.8))
    exit_rate: float = param(0.04, 0, 1, unit="per year at intensity 1", source=ASSUMPTION, doc="Added yearly chance a primary carer leaves for caring reasons (scaled by intensity).", plausible=(0.01, 0.08))


class DisabilityParams(ParamGroup):
    """Disability or neurodivergence, and whether adjustments are in place."""

    adjustment_coverage: float = param(0.6, 0, 1, unit="proportion", source=ASSUMPTION, doc="Chance an employer puts adjustments in place when a researcher discloses (at entry or later).", plausible=(0.3, 0.8))
    promotion_penalty: float = param(0.5, 0, 3, unit="log hazard ratio", source=ASSUMPTION, doc="Promotion penalty of a physical disability or long-term condition without adjustments.", plausible=(0.2, 0.8))
    renewal_penalty: float = param(0.4, 0, 3, unit="log-odds", source=ASSUMPTION, doc="Renewal penalty of a physical disability or long-term condition without adjustments.", plausible=(0.1, 0.8))
    share_neurodivergent: float = param(0.35, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of disabled or neurodivergent entrants who are neurodivergent (the rest physical or long-term conditions).", plausible=(0.2, 0.5))
    tacit_barrier: float = param(0.3, 0, 1, unit="proportion of tacit access", source="HSR UK report 2026 (tacit knowledge, neurodivergence)", doc="Share of tacit access a neurodivergent researcher without adjustments loses (unwritten rules, informal networking).", plausible=(0.1, 0.5))
    disclosure_at_entry: float = param(0.5, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of disabled or neurodivergent entrants who disclose on entry.", plausible=(0.3, 0.7))
    disclosure_rate: float = param(0.08, 0, 1, unit="per year", source=ASSUMPTION, doc="Yearly chance an undisclosed researcher discloses, with neutral culture and manager.", plausible=(0.03, 0.15))
    disclosure_culture_effect: float = param(3.0, 0, 10, unit="log-odds per unit inclusion", source="HSR UK report 2026 (disclosure and adjustments)", doc="How much an inclusive employer culture raises the odds of disclosing.", plausible=(1, 5))
    disclosure_manager_effect: float = param(1.5, 0, 10, unit="log-odds per unit support", source="HSR UK report 2026 (line managers as gatekeepers)", doc="How much a supportive line manager raises the odds of disclosing.", plausible=(0.5, 3))
    satisfaction_penalty: float = param(0.8, 0, 3, unit="latent points", source=ASSUMPTION, doc="Satisfaction cost of working without adjustments.", plausible=(0.3, 1.2))


class ClassParams(ParamGroup):
    """Classed norms and the financial side of class."""

    renewal_penalty: float = param(0.3, 0, 3, unit="log-odds", source="UCU class survey 2022", doc="Renewal penalty of classed norms (accent, background).", plausible=(0.1, 0.6))
    promotion_penalty: float = param(0.3, 0, 3, unit="log hazard ratio", source="UCU class survey 2022", doc="Promotion penalty of classed norms.", plausible=(0.1, 0.6))
    safety_net_factor: float = param(0.4, 0, 1, unit="ratio", source=ASSUMPTION, doc="Working-class safety net relative to others (and doubled chance of none).", plausible=(0.2, 0.8))


class NetworkParams(ParamGroup):
    """The social network, informal mentoring and tacit knowledge."""

    ties_at_entry: int = param(4, 0, 50, unit="ties", source=ASSUMPTION, doc="Ties a new researcher forms on entry (supervisors, first colleagues).", plausible=(2, 8))
    new_ties_per_year: float = param(0.3, 0, 10, unit="ties per researcher per year", source=ASSUMPTION, doc="Meetings a year per researcher that may become ties (homophily decides).", plausible=(0.1, 1.0))
    homophily: float = param(0.6, 0, 1, unit="rejection probability per mismatch", source=ASSUMPTION, doc="Chance a tie across sector, class or disability is not formed (each mismatch).", plausible=(0.3, 0.8))
    informal_mentor_rate: float = param(0.35, 0, 1, unit="per year", source=ASSUMPTION, doc="Yearly chance an unmentored doctoral/early researcher with a senior tie gains an informal mentor.", plausible=(0.15, 0.6))
    mentor_capacity: int = param(2, 0, 20, unit="mentees", source=ASSUMPTION, doc="Mentees one mid/senior researcher takes informally.", plausible=(1, 4))
    tacit_reference_ties: float = param(3, 0.5, 20, unit="ties", source=ASSUMPTION, doc="Insider ties that give full tacit-knowledge access.", plausible=(2, 5))


class SatisfactionParams(ParamGroup):
    """Career satisfaction (latent, ordered-logistic, 5 points)."""

    base: float = param(0.75, -5, 5, unit="latent points", source="HSR UK survey 2025", doc="Latent satisfaction of a reference fixed-term researcher.", plausible=(0.3, 1.2))
    permanent_effect: float = param(0.45, 0, 3, unit="latent points", source="HSR UK survey 2025", doc="Satisfaction gain of a permanent contract (65% vs 74% satisfied).", plausible=(0.1, 0.8))
    gap_effect: float = param(0.8, 0, 3, unit="latent points", source=ASSUMPTION, doc="Satisfaction cost of a gap in the past year.", plausible=(0.3, 1.2))
    mentor_effect: float = param(0.3, 0, 3, unit="latent points", source=ASSUMPTION, doc="Satisfaction gain of having a mentor.", plausible=(0.1, 0.6))
    ambivalence: float = param(0.5, 0, 1, unit="proportion", source="HSR UK survey 2025", doc="How far full uncertainty about the next contract pulls the latent satisfaction score to 'neither' (non-permanent staff more often 'neither').", plausible=(0.2, 0.8))
    uncertainty_months: float = param(12, 1, 120, unit="months", source=ASSUMPTION, doc="Months left on a fixed-term contract at which uncertainty has fallen to 1/e (a gap is full uncertainty).", plausible=(6, 24))
    resilience_effect: float = param(0.5, 0, 3, unit="latent points per SD", source=ASSUMPTION, doc="Satisfaction gain per SD of resilience (personal, safety net and class).", plausible=(0.2, 0.8))


class ExitParams(ParamGroup):
    """Voluntary exits and retirement."""

    other_sector_rate: float = param(0.025, 0, 1, unit="per year", source=ASSUMPTION, doc="Yearly chance of moving to another sector for reasons outside the model.", plausible=(0.01, 0.05))
    dissatisfied_rate: float = param(0.12, 0, 1, unit="per year", source=ASSUMPTION, doc="Added yearly chance of leaving when dissatisfied.", plausible=(0.05, 0.2))
    neither_rate: float = param(0.03, 0, 1, unit="per year", source=ASSUMPTION, doc="Added yearly chance of leaving when neither satisfied nor dissatisfied.", plausible=(0.0, 0.06))
    mentor_hazard_ratio: float = param(0.7, 0.05, 1, unit="hazard ratio", source="Ries et al. 2009", doc="Voluntary exit hazard ratio for a mentored researcher.", plausible=(0.5, 0.9))
    retirement_age_min: float = param(60, 40, 90, unit="years of age", source=ASSUMPTION, doc="Earliest retirement age (drawn uniformly up to the maximum).", plausible=(58, 63))
    retirement_age_max: float = param(68, 40, 90, unit="years of age", source=ASSUMPTION, doc="Latest retirement age.", plausible=(65, 70))
    resilience_effect: float = param(0.3, 0, 3, unit="log hazard ratio per SD", source=ASSUMPTION, doc="Lower gap-exit hazard per SD of resilience (resilience now: personal, safety net and class; model/resilience.py).", plausible=(0.1, 0.6))


class EmployerParams(ParamGroup):
    """Employers (universities, NHS organisations, third-sector bodies) and their culture (model/employers.py)."""

    count_university: int = param(40, 1, 1000, unit="employers", source=ASSUMPTION, doc="Universities employing HSR researchers.", plausible=(25, 80))
    count_nhs: int = param(60, 1, 1000, unit="employers", source=ASSUMPTION, doc="NHS organisations employing HSR researchers.", plausible=(30, 120))
    count_third_sector: int = param(30, 1, 1000, unit="employers", source=ASSUMPTION, doc="Third-sector bodies (charities, think tanks) employing HSR researchers.", plausible=(10, 60))
    size_sigma: float = param(1.0, 0, 3, unit="log SD", source=ASSUMPTION, doc="Spread of employer sizes (lognormal weights: a few large employers, many small).", plausible=(0.5, 1.5))
    inclusion_mean: float = param(0.1, 0, 1, unit="proportion", source=ASSUMPTION, doc="Mean baseline inclusive-leadership culture: share of classed and disability penalties an employer's culture removes.", plausible=(0.0, 0.3))
    inclusion_sd: float = param(0.08, 0, 0.5, unit="proportion", source=ASSUMPTION, doc="Spread of baseline inclusion across employers (Beta distribution).", plausible=(0.02, 0.15))
    culture_change_rate: float = param(0.2, 0, 1, unit="per year", source=ASSUMPTION, doc="Share of the distance to its target an employer's culture moves in a year (0.2: about 3 years to half-way).", plausible=(0.1, 0.4))
    manager_culture_sd: float = param(0.5, 0, 3, unit="log-odds", source=ASSUMPTION, doc="Spread across employers of how supportive their line management is.", plausible=(0.2, 1.0))


class ManagerParams(ParamGroup):
    """Line managers: gatekeepers of tacit knowledge and opportunity (model/managers.py)."""

    support_mean: float = param(0.0, -5, 5, unit="log-odds", source=ASSUMPTION, doc="Typical line-manager support (0: half of the most a manager can give).", plausible=(-1, 1))
    support_sd: float = param(1.2, 0, 5, unit="log-odds per SD of skill", source="HSR UK report 2026 (line managers as gatekeepers)", doc="How much support varies between managers (access 'depends heavily on individuals in leadership positions').", plausible=(0.5, 2.0))
    tacit_effect: float = param(0.4, 0, 1, unit="tacit access at full support", source="HSR UK report 2026 (line managers as gatekeepers)", doc="Insider knowledge a fully supportive manager passes on, added to network access (capped at 1).", plausible=(0.1, 0.6))
    renewal_effect: float = param(0.6, 0, 5, unit="log-odds per unit support", source=ASSUMPTION, doc="Renewal and hiring advantage of full over no manager support (centred on half).", plausible=(0.2, 1.2))
    promotion_effect: float = param(0.6, 0, 5, unit="log hazard ratio per unit support", source=ASSUMPTION, doc="Promotion advantage of full over no manager support (centred on half).", plausible=(0.2, 1.2))


class SectorParams(ParamGroup):
    """Moves between sectors and belonging in joint posts (model/sectors.py)."""

    move_rate: float = param(0.02, 0, 1, unit="per year", source=ASSUMPTION, doc="Yearly chance a researcher in post moves to a research post in another sector, without cross-sector ties.", plausible=(0.005, 0.05))
    link_effect: float = param(1.0, 0, 10, unit="relative rate at full cross-sector access", source=ASSUMPTION, doc="How much ties to other sectors raise the move rate.", plausible=(0.5, 3))
    divert_max: float = param(0.3, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of those leaving for another sector who, with full cross-sector access, take a research post there instead.", plausible=(0.1, 0.5))
    belonging_start: float = param(0.4, 0, 1, unit="belonging (0-1)", source=ASSUMPTION, doc="Belonging when a joint NHS-academic post starts.", plausible=(0.2, 0.6))
    belonging_floor: float = param(0.2, 0, 1, unit="belonging (0-1)", source="HSR UK report 2026 (fragmented identities)", doc="Belonging a joint-post holder settles at with ties in only one of the two communities.", plausible=(0.0, 0.4))
    belonging_rate: float = param(0.3, 0, 1, unit="per year", source=ASSUMPTION, doc="Share of the distance to its target belonging moves in a year.", plausible=(0.1, 0.5))
    belonging_exit_effect: float = param(1.0, 0, 10, unit="relative hazard at no belonging", source=ASSUMPTION, doc="Added hazard of leaving for another sector for a joint-post holder with no belonging.", plausible=(0.3, 2))


class ResilienceParams(ParamGroup):
    """Resilience as a resource that depends on the safety net and class (model/resilience.py)."""

    net_weight: float = param(1.0, 0, 5, unit="SD of resilience", source="HSR UK report 2026 (resilience not an equal resource)", doc="Resilience a full financial cushion adds over none (tanh of the current safety net).", plausible=(0.5, 1.5))
    net_reference_months: float = param(6, 0.5, 60, unit="months", source=ASSUMPTION, doc="Safety-net months at which the cushion gives three-quarters of its full resilience.", plausible=(3, 12))
    class_weight: float = param(0.3, 0, 3, unit="SD of resilience", source="HSR UK report 2026 (resilience not an equal resource)", doc="Resilience working-class researchers lack beyond money (classed norms of belonging, fewer family fallbacks).", plausible=(0.0, 0.6))
    dissatisfaction_exit_effect: float = param(0.3, 0, 3, unit="log hazard ratio per SD", source=ASSUMPTION, doc="Lower dissatisfaction-exit hazard per SD of resilience.", plausible=(0.1, 0.6))


class SurveyParams(ParamGroup):
    """How the simulated survey samples respondents."""

    respondents: int = param(248, 10, 100000, unit="people", source="HSR UK survey 2025", doc="Respondents sampled at the final year.")
    share_university: float = param(0.6, 0, 1, unit="proportion", source=ASSUMPTION, doc="Respondents in academic roles (split unpublished).")
    share_nhs: float = param(0.25, 0, 1, unit="proportion", source=ASSUMPTION, doc="Respondents in NHS roles (the rest third sector).")
    secure_months_left: float = param(24, 0, 240, unit="months", source=ASSUMPTION, doc="A fixed-term respondent with at least this long left on the contract may feel secure.", plausible=(12, 36))
    secure_share: float = param(0.45, 0, 1, unit="probability", source="Wellcome research culture 2020", doc="Chance a respondent in a secure position (permanent, or enough months left) says they feel secure in a research career.", plausible=(0.3, 0.8))


class PostParams(ParamGroup):
    """Funded posts (model/posts.py): grant income, establishment, vacancies, applicants; stated at 4,000 researchers, scaled to ``run.population``."""

    grant_envelope: float = param(84e6, 0, 1e10, unit="GBP per year (at 4,000 researchers)", source=ASSUMPTION, doc="Yearly grant income for research posts at a neutral climate (scaled by the funding climate); UK HSR research income is not published.", plausible=(60e6, 110e6))
    grant_post_monthly_cost: float = param(4600, 100, 30000, unit="GBP per post-month", source=ASSUMPTION, doc="Average full cost of one grant-funded post-month (between early and mid-career employer cost).", plausible=(4000, 5500))
    establishment_share: float = param(0.6, 0, 2, unit="posts per researcher (reference population)", source=ASSUMPTION, doc="Open-ended posts employers fund, as a share of the reference population.", plausible=(0.35, 0.75))
    vacancy_wait_months: int = param(6, 0, 60, unit="months", source=ASSUMPTION, doc="Months an unfilled grant post waits for a holder before the money lapses.", plausible=(3, 12))
    outside_applicant_rate: float = param(0.08, 0, 1, unit="applicants per researcher per year", source=ASSUMPTION, doc="Early-career applicants from outside UK HSR (other fields, abroad, clinical posts) a year, as a share of the population.", plausible=(0.04, 0.15))
    experience_roles: float = param(0.0, 0, 1, unit="share of open-ended posts", source=ASSUMPTION, doc="Labour-market closure: share of open-ended posts only experienced (mid/senior) researchers can fill; unfilled they wait (0: every post open to anyone, an endless queue of outside applicants).", plausible=(0.0, 0.6))
    grant_lead_elasticity: float = param(0.0, 0, 2, unit="elasticity", source=ASSUMPTION, doc="Labour-market closure: grant income moves with the number of experienced (mid/senior) researchers who lead bids, to this power (0: income fixed whoever is there).", plausible=(0.0, 1.0))
    outsider_effect: float = param(0.0, -5, 5, unit="log-odds", source=ASSUMPTION, doc="Hiring-score shift of an outside applicant against an insider with the same network and penalties.", plausible=(-1, 1))


class CostingParams(ParamGroup):
    """How money is counted: discounting to present values."""

    discount_rate: float = param(0.035, 0, 0.2, unit="per year", source="HM Treasury Green Book 2022", doc="Discount rate for present values of cost and researcher-years (year 0 = first reported year, undiscounted).", plausible=(0.015, 0.05))


class ModelParams(ParamGroup):
    """All parameter groups, keyed as in scenario files."""

    population: PopulationParams = Field(default_factory=PopulationParams)
    contracts: ContractParams = Field(default_factory=ContractParams)
    funding: FundingParams = Field(default_factory=FundingParams)
    gaps: GapParams = Field(default_factory=GapParams)
    progression: ProgressionParams = Field(default_factory=ProgressionParams)
    pipeline: PipelineParams = Field(default_factory=PipelineParams)
    caring: CaringParams = Field(default_factory=CaringParams)
    disability: DisabilityParams = Field(default_factory=DisabilityParams)
    social_class: ClassParams = Field(default_factory=ClassParams)
    network: NetworkParams = Field(default_factory=NetworkParams)
    satisfaction: SatisfactionParams = Field(default_factory=SatisfactionParams)
    exits: ExitParams = Field(default_factory=ExitParams)
    resilience: ResilienceParams = Field(default_factory=ResilienceParams)
    employers: EmployerParams = Field(default_factory=EmployerParams)
    managers: ManagerParams = Field(default_factory=ManagerParams)
    sectors: SectorParams = Field(default_factory=SectorParams)
    survey: SurveyParams = Field(default_factory=SurveyParams)
    posts: PostParams = Field(default_factory=PostParams)
    costing: CostingParams = Field(default_factory=CostingParams)

    @model_validator(mode="after")
    def _shares_fit(self) -> ModelParams:
        for group, a, b in (("population", "share_university", "share_nhs"), ("survey", "share_university", "share_nhs")):
            g = getattr(self, group)
            total = getattr(g, a) + getattr(g, b)
            if total > 1 + 1e-9:
                raise ValueError(f"{group}.{a} + {group}.{b} = {total:g} must be at most 1 (the rest is third sector)")
        ex = self.exits
        if ex.retirement_age_min > ex.retirement_age_max:
            raise ValueError(f"exits.retirement_age_min ({ex.retirement_age_min:g}) must not exceed exits.retirement_age_max ({ex.retirement_age_max:g})")
        return self


GROUPS: dict[str, type[ParamGroup]] = {
    name: field.annotation  # type: ignore[misc]
    for name, field in ModelParams.model_fields.items()
}


def field_row(path: str, cls: type[BaseModel], name: str) -> dict[str, Any]:
    """One declared field as a row: path, default, unit, valid and plausible range, integer, source, meaning."""
    field = cls.model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    lo = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
    hi = next((m.le for m in field.metadata if hasattr(m, "le")), None)
    plausible = extra.get("plausible", [lo, hi])
    return {
        "path": path,
        "default": field.default,
        "unit": extra.get("unit"),
        "min": lo,
        "max": hi,
        "plausible_min": plausible[0],
        "plausible_max": plausible[1],
        "integer": field.annotation is int,
        "source": extra.get("source"),
        "doc": field.description,
    }


def parameter_table() -> list[dict[str, Any]]:
    """Every declared parameter as a row: group, name, default, unit, range, plausible range, source, meaning."""
    return [
        {"group": group, "name": name, **field_row(f"{group}.{name}", cls, name)}
        for group, cls in GROUPS.items()
        for name in cls.model_fields
    ]
