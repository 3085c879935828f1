"""hsr-careers model: researchers on contracts, with caring duties and networks (Mesa 3.5)."""

from model.career_model import CareerModel
from model.config import ModelConfig, RunSettings
from model.funding import Shock
from model.parameters import CONTRACTS, EXIT_REASONS, GROUPS, SECTORS, STAGES, parameter_table
from model.policies import POLICIES, Effects, Policy, register
from model.researcher import Researcher
from model.retention import retention_by_rep, retention_curves
from model.run import RunResult, headline_metrics, run_one
from model.survey import sample_survey, survey_proportions

__all__ = [
    "CONTRACTS",
    "EXIT_REASONS",
    "GROUPS",
    "POLICIES",
    "SECTORS",
    "STAGES",
    "CareerModel",
    "Effects",
    "ModelConfig",
    "Policy",
    "Researcher",
    "RunResult",
    "RunSettings",
    "Shock",
    "headline_metrics",
    "parameter_table",
    "register",
    "retention_by_rep",
    "retention_curves",
    "run_one",
    "sample_survey",
    "survey_proportions",
]
