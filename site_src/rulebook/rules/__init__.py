"""Loading, schemas and located errors for the YAML rule tables."""

from .errors import Problem, RulesInvalid
from .loader import RuleSet, Table, load_rules, rules_to_json

__all__ = ["Problem", "RuleSet", "RulesInvalid", "Table", "load_rules", "rules_to_json"]
