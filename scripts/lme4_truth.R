# Truth values for tests/reference/test_fitting.py, computed with lme4 (never needed by tests or CI).
#
# Usage (from the repository root):  Rscript scripts/lme4_truth.R > scripts/lme4_truth.txt
# Needs R with lme4 and foreign (both standard with R installations that have lme4).
#
# Reads the bundled assignments/hlm/data/hsb12.sav with foreign::read.spss (haven is not needed) and
# fits every model by ML (REML where stated) with three optimizers: lme4's default for lmer
# (nloptwrap, i.e. NLopt's BOBYQA), minqa's bobyqa and Nelder_Mead. The reported estimates are those
# of the optimizer with the highest log-likelihood, because a single optimizer is not always right:
# for "seed_cses_trap" lme4's default stops at a local boundary optimum 44.85 log-likelihood units
# short (theta[1] = 0), and for "female_slope" 60.62 short; bobyqa and Nelder_Mead find the optimum.
# "two_slopes_boundary" has a genuine boundary optimum (singular T: theta[6] = 0) that all three reach.

suppressPackageStartupMessages(library(lme4))

d <- foreign::read.spss("assignments/hlm/data/hsb12.sav", to.data.frame = TRUE)
names(d) <- tolower(names(d))
# Variables students derive by hand (reference/model/tie.py reads them by their values):
# ses centred on its school's sample mean, and that sample mean (not the stored meanses).
d$ses_c <- d$ses - ave(d$ses, d$school)
d$mean_ses <- ave(d$ses, d$school)

models <- list(
  unconditional = list("mathach ~ 1 + (1 | school)", FALSE),
  unconditional_reml = list("mathach ~ 1 + (1 | school)", TRUE),
  seed = list("mathach ~ ses + meanses + pracad + minority + female + (1 + minority | school)", FALSE),
  seed_reml = list("mathach ~ ses + meanses + pracad + minority + female + (1 + minority | school)", TRUE),
  rb_table_4_5 = list(
    "mathach ~ meanses + sector + cses + cses:meanses + cses:sector + (1 + cses | school)", FALSE
  ),
  cses_slope = list("mathach ~ minority + female + cses + meanses + sector + (1 + cses | school)", FALSE),
  female_slope = list("mathach ~ female + minority + ses + meanses + sector + (1 + female | school)", FALSE),
  intercept_size = list("mathach ~ ses + minority + size + sector + (1 | school)", FALSE),
  intercept_himinty = list("mathach ~ minority + female + ses + pracad + himinty + (1 | school)", FALSE),
  cross_level = list(
    "mathach ~ minority + female + ses + sector + minority:sector + (1 + minority | school)", FALSE
  ),
  two_slopes_boundary = list(
    "mathach ~ minority + cses + meanses + sector + (1 + minority + cses | school)", FALSE
  ),
  seed_cses_trap = list(
    "mathach ~ ses + meanses + pracad + minority + female + (1 + minority + cses | school)", FALSE
  ),
  derived_centred = list("mathach ~ ses_c + mean_ses + sector + (1 + ses_c | school)", FALSE),
  derived_square = list("mathach ~ ses + I(ses^2) + meanses + minority + (1 | school)", FALSE),
  derived_log = list("mathach ~ minority + ses + log(size) + sector + (1 | school)", FALSE),
  derived_not_sector = list("mathach ~ ses + I(1 - sector) + meanses + (1 | school)", FALSE),
  ses_intercept = list("mathach ~ ses + (1 | school)", FALSE),
  independent_cses = list("mathach ~ cses + meanses + sector + (1 | school) + (0 + cses | school)", FALSE)
)

optimizers <- c("nloptwrap", "bobyqa", "Nelder_Mead")

fit_all <- function(formula, reml) {
  lapply(setNames(optimizers, optimizers), function(opt) {
    suppressMessages(suppressWarnings(
      lmer(as.formula(formula), data = d, REML = reml, control = lmerControl(optimizer = opt))
    ))
  })
}

num <- function(x) trimws(formatC(x, digits = 10, format = "g"))

report <- function(name, formula, reml) {
  fits <- fit_all(formula, reml)
  llfs <- sapply(fits, function(m) as.numeric(logLik(m)))
  best <- fits[[which.max(llfs)]]
  vc <- VarCorr(best)$school
  cat("model:", name, "\n")
  cat("formula:", formula, "\n")
  cat("method:", if (reml) "REML" else "ML", "\n")
  cat("loglik_by_optimizer:", paste0(names(llfs), "=", sprintf("%.4f", llfs), collapse = " "), "\n")
  cat("best_optimizer:", names(llfs)[which.max(llfs)], "\n")
  cat("loglik:", sprintf("%.4f", max(llfs)), "\n")
  cat("aic:", if (reml) "NA" else sprintf("%.3f", AIC(best)), "\n")
  cat("singular:", isSingular(best), "\n")
  fe <- fixef(best)
  se <- sqrt(diag(as.matrix(vcov(best))))
  cat("fixef:", paste0(names(fe), "=", num(fe), collapse = " "), "\n")
  cat("se:", paste0(names(se), "=", num(se), collapse = " "), "\n")
  v <- as.matrix(vcov(best))
  for (i in seq_len(nrow(v))) cat("vcov_row:", num(v[i, ]), "\n")
  cat("tau_names:", colnames(vc), "\n")
  for (i in seq_len(nrow(vc))) cat("tau_row:", num(vc[i, ]), "\n")
  cat("sigma2:", num(sigma(best)^2), "\n")
  cat("theta:", num(getME(best, "theta")), "\n\n")
}

cat("# lme4", as.character(packageVersion("lme4")), "| Matrix", as.character(packageVersion("Matrix")),
    "|", R.version.string, "\n\n")
for (name in names(models)) report(name, models[[name]][[1]], models[[name]][[2]])
