"""Coefficients of the duplicate model (data; written by benchmarks/fit_duplicates.py).

Fitted on the candidate pairs of the labelled synthetic registers of
tests/fixtures/duplicate_sets.py, seeds realistic (101, 102, 103), small (201, 202, 203)
(20,000 children each), L2 penalty 1.0. Do not edit by hand: refit.
"""

#: Logistic coefficients by feature name (libchild.duplicates.model.FEATURES).
WEIGHTS: dict[str, float] = {
    "intercept": -2.2062,
    "name_exact": 0.4436,
    "name_diacritics": 0.8401,
    "name_spelling": 0.2871,
    "name_typo_given": -1.9683,
    "name_typo_other": 0.3972,
    "name_missing": 0.0,
    "birth_same": 2.7438,
    "birth_swap": 2.4675,
    "birth_close": -0.568,
    "birth_digit": 0.0,
    "birth_year": -0.0835,
    "birth_missing": 0.0,
    "family_same": 5.5449,
    "family_alike": 0.1275,
    "family_conflict": -4.2476,
    "sex_different": -3.6597,
    "sex_unknown": 0.2373,
    "id_same": 2.3075,
    "id_close": 1.0007,
    "id_different": -5.173,
    "id_one": 0.0619,
    "siblings": -4.5598,
    "alike_same_birth_family": -0.5996,
    "household_typo_given": -2.696,
}
