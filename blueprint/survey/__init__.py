"""Surveys of the customer's verdict, tied to the blueprint's moments of truth (docs/quality.md).

The questionnaire (:func:`questionnaire_csv`, :func:`form_csv`) asks each
customer and frontstage step on its SERVQUAL dimensions; answers come back as
a long CSV (:func:`read_survey`) and are analysed by
:mod:`blueprint.analysis.quality`.
"""

from blueprint.survey.questionnaire import (
    Question,
    form_csv,
    language,
    moments_of_truth,
    questionnaire,
    questionnaire_csv,
    twenty_two,
    write_questionnaire,
)
from blueprint.survey.responses import (
    DEFAULT_SCALE,
    Answer,
    Respondent,
    Survey,
    parse_scale,
    read_respondents,
    read_responses,
    read_survey,
)

__all__ = [
    "DEFAULT_SCALE",
    "Answer",
    "Question",
    "Respondent",
    "Survey",
    "form_csv",
    "language",
    "moments_of_truth",
    "parse_scale",
    "questionnaire",
    "questionnaire_csv",
    "read_respondents",
    "read_responses",
    "read_survey",
    "twenty_two",
    "write_questionnaire",
]
