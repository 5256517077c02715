# Truth values of the Exam assignment for tests/reference/test_exam.py, computed with lme4 (never
# needed by tests or CI; the numbers are copied into the test by hand).
#
# Usage (from the repository root):  Rscript scripts/lme4_exam.R > scripts/lme4_exam.txt
# Needs R with lme4 (read.csv is base R).
#
# Reads the bundled assignments/exam/data/exam.csv (built by scripts/build_exam.py from mlmRev's
# Exam) and fits every model by ML (REML where stated) with three optimizers: lme4's default for
# lmer (nloptwrap), minqa's bobyqa and Nelder_Mead; the estimates reported are those of the
# optimizer with the highest log-likelihood. Columns are the file's numeric codes, so the fixed
# effects are named as statsmodels names them.

suppressPackageStartupMessages(library(lme4))

d <- read.csv("assignments/exam/data/exam.csv")

models <- list(
  unconditional = list("normexam ~ 1 + (1 | school)", FALSE),
  unconditional_reml = list("normexam ~ 1 + (1 | school)", TRUE),
  intercept = list("normexam ~ standlrt + sex + schavg + type + (1 | school)", FALSE),
  slope_cross = list(
    "normexam ~ standlrt + sex + schavg + standlrt:schavg + (1 + standlrt | school)", FALSE
  ),
  slope_vr = list("normexam ~ standlrt + sex + vr + (1 + standlrt | school)", FALSE)
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
  cat("tau_names:", colnames(vc), "\n")
  for (i in seq_len(nrow(vc))) cat("tau_row:", num(vc[i, ]), "\n")
  cat("sigma2:", num(sigma(best)^2), "\n")
  cat("theta:", num(getME(best, "theta")), "\n\n")
}

cat("# lme4", as.character(packageVersion("lme4")), "| Matrix", as.character(packageVersion("Matrix")),
    "|", R.version.string, "\n\n")
for (name in names(models)) report(name, models[[name]][[1]], models[[name]][[2]])
