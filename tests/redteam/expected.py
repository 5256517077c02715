"""What a careful human gives each part of the red team's notebooks, and why.

Every notebook was written blind (from the task text, the real seed and DOMAIN.md, without the
grader's fixtures) by one of three testers; each worked out every part's verdict from lme4 (the
``lme4_*_truth`` files: ML, best of bobyqa, Nelder_Mead and nloptwrap) and the policies of
tests/corpus/README.md, before grading. Only the verdicts are here: the notebooks print numbers that
agree with lme4 to the parts' tolerances except where a reason says otherwise.
"""

from __future__ import annotations

FULL = {"icc": 10, "final_model": 15, "level_equations": 15, "combined_equation": 10,
        "effect_lists": 5, "fixed_estimates": 10, "combined_with_estimates": 10,
        "aic_change": 10, "residual_variance_change": 5, "forecast": 10}  # fmt: skip

#: notebook -> (what it does, the parts that lose points: part -> (score, why)).
EXPECTED: dict[str, tuple[str, dict[str, tuple[float, str]]]] = {
    "display_nb04_spanish_pi": (
        "Spanish prose; R&B's π/β/r/e notation with \\begin{cases}; effects listed as 'Efectos "
        "fijos/aleatorios'; the task text pasted in cell 1; default fit 4.67 log-lik short",
        {
            "final_model": (
                10,
                "the default fit stops 4.67 units short of lme4's −23137.40 "
                "(optimum third lost; later answers carried forward)",
            )
        },
    ),
    "display_nb05_unicode_prose": (
        "unicode equations (β₀ⱼ, γ₀₁) and lists; estimates in prose; 'change: -783.819' printed "
        "under a bold 'AIC change' line",
        {},
    ),
    "display_nb09_german_sub": (
        "German; equations with HTML <sub> subscripts and <br>; REML ICC 0.1804; "
        "'ΔAIC = a - b = c' printed; 'Zufällige Effekte: u0j und rij'",
        {},
    ),
    "models_nb02_upper_powell_sigma2": (
        "the file's upper-case names, CSES:MEANSES and CSES:SECTOR, powell; 'relative change "
        "sigma^2 = 0.0620'; the forecast a predict() Series under '### Forecast'",
        {},
    ),
    "models_nb03_headings_declared": (
        "candidates in a dict, m2 declared final in Markdown though m3 is fitted after it; AIC by "
        "hand with k short by the same count in both models (exact change) printed as "
        "'change: -827.71' under an AIC heading; σ² change printed bare under its heading",
        {},
    ),
    "models_nb06_label_lines": (
        "np.log(size); unicode plain-text equations; 'Fixed effects: …' and 'Random effects: …' "
        "on consecutive lines with no blank line between",
        {},
    ),
    "models_nb07_u2j_short_fit": (
        "minority's random slope numbered u2j after its β2j (the textbook's convention) in the "
        "equations and the list; default fit 5.48 log-lik short, answers consistent with it",
        {"final_model": (10, "the default fit stops 5.48 units short of lme4's −23141.29")},
    ),
    "structure_s03_value_labels": (
        "apply_value_formats=True: SECTOR 'Public'/'Catholic', MINORITY 'Yes'/'No', C(sector); "
        "equations name the dummy Public_j; the list says 'γ01 (public school)'",
        {},
    ),
    "structure_p1_printed_phrasings": (
        "answers only printed: worked arithmetic ('ICC = 8.555 / (8.555 + 39.148) = 0.179'), the "
        "profile inside the forecast line, 'R2 level 1 = …', 'The AIC decreased by 807.27'",
        {},
    ),
}


def expected_scores(name: str) -> dict[str, float]:
    """Every part's expected score for one notebook."""
    return {**FULL, **{part: score for part, (score, _) in EXPECTED[name][1].items()}}
