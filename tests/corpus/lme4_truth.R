# Truth values for the student corpus (tests/corpus/), computed with lme4 and never with hlm-grader.
#
# Usage (from the repository root):
#   Rscript tests/corpus/lme4_truth.R > tests/corpus/lme4_truth.txt
#
# Reads the bundled assignments/hlm/data/hsb12.sav with foreign::read.spss, lower-cases the names and
# fits every distinct final model of the corpus with three optimizers (lme4's default nloptwrap,
# minqa's bobyqa, Nelder_Mead), keeping the fit with the highest log-likelihood, as
# scripts/lme4_truth.R does. Models fitted by ML unless the name ends in "_reml".
#
# Variables the students derive from the data are derived here the same way:
#   ses_c       = ses - school mean of ses (the sample mean, groupby-transform style; NOT cses,
#                 which is rounded and centred on the stored meanses)
#   school_ses  = the school's sample mean of ses (NOT the stored meanses; they differ by <= 0.0065)
#   ses_cen     = ses - grand mean of ses (patsy's center(ses))
#   catholic    = 1 if sector == 1; ses_cath = ses * catholic
#
# The forecast is the fixed part at the assignment's profile: minority 1, female 1, ses 0, cses 0.4,
# meanses -0.4, size 800, sector 0, pracad 0.25, himinty 0. Derived variables take their natural
# value there: ses_c = cses = 0.4, school_ses = meanses = -0.4, ses_cen = 0 - mean(ses),
# catholic = 0, ses_cath = 0, log(size) = log(800), ses^2 = 0.
# Derived values: aic_change = AIC - AIC(unconditional, ML); sigma2_change = (sigma2_unc - sigma2) /
# sigma2_unc; tau00_change = (tau00_unc - tau00) / tau00_unc (the classic mistake's value);
# forecast_without_<term> = forecast minus that term's contribution (the dropped-term mistake).

suppressPackageStartupMessages(library(lme4))

d <- foreign::read.spss("assignments/hlm/data/hsb12.sav", to.data.frame = TRUE)
names(d) <- tolower(names(d))
d$school_ses <- ave(d$ses, d$school)
d$ses_c <- d$ses - d$school_ses
d$ses_cen <- d$ses - mean(d$ses)
d$catholic <- as.numeric(d$sector == 1)
d$ses_cath <- d$ses * d$catholic

profile <- data.frame(
  minority = 1, female = 1, ses = 0, cses = 0.4, meanses = -0.4, size = 800, sector = 0,
  pracad = 0.25, himinty = 0, ses_c = 0.4, school_ses = -0.4, ses_cen = 0 - mean(d$ses),
  catholic = 0, ses_cath = 0, school = NA
)

models <- list(
  unconditional = "mathach ~ 1 + (1 | school)",
  unconditional_reml = "mathach ~ 1 + (1 | school)",
  seed = "mathach ~ ses + meanses + pracad + minority + female + (1 + minority | school)",
  seed_reml = "mathach ~ ses + meanses + pracad + minority + female + (1 + minority | school)",
  ri_sector = "mathach ~ ses + meanses + sector + female + (1 | school)",
  ri5 = "mathach ~ minority + female + ses + meanses + sector + (1 | school)",
  ri5_reml = "mathach ~ minority + female + ses + meanses + sector + (1 | school)",
  cses_slope = "mathach ~ minority + female + cses + meanses + sector + (1 + cses | school)",
  minority_sector = "mathach ~ minority + female + ses + sector + minority:sector + (1 + minority | school)",
  rb_table_4_5 = "mathach ~ meanses + sector + cses + cses:meanses + cses:sector + (1 + cses | school)",
  size = "mathach ~ ses + minority + size + sector + (1 | school)",
  size_reml = "mathach ~ ses + minority + size + sector + (1 | school)",
  himinty = "mathach ~ minority + female + ses + pracad + himinty + (1 | school)",
  no_school_level = "mathach ~ ses + minority + female + (1 | school)",
  two_slopes = "mathach ~ minority + cses + meanses + sector + (1 + minority + cses | school)",
  minority_slope4 = "mathach ~ minority + ses + meanses + sector + (1 + minority | school)",
  ses_squared = "mathach ~ ses + I(ses^2) + meanses + minority + (1 | school)",
  centered_ses = "mathach ~ ses_cen + meanses + pracad + minority + (1 | school)",
  log_size = "mathach ~ ses + minority + log(size) + sector + (1 | school)",
  own_cses = "mathach ~ ses_c + meanses + sector + female + (1 + ses_c | school)",
  own_meanses = "mathach ~ ses + school_ses + minority + female + (1 | school)",
  own_product = "mathach ~ ses + catholic + ses_cath + meanses + (1 | school)",
  array_frame = "mathach ~ minority + female + ses + meanses + (1 + minority | school)",
  array_numpy = "mathach ~ ses + meanses + sector + minority + (1 | school)",
  vc_intercept = "mathach ~ minority + female + ses + meanses + (1 | school)",
  no_intercept_re = "mathach ~ cses + meanses + sector + female + (0 + cses | school)"
)

optimizers <- c("nloptwrap", "bobyqa", "Nelder_Mead")
num <- function(x) trimws(formatC(x, digits = 10, format = "g"))

best_fit <- function(formula, reml) {
  fits <- lapply(setNames(optimizers, optimizers), function(opt) {
    suppressMessages(suppressWarnings(
      lmer(as.formula(formula), data = d, REML = reml, control = lmerControl(optimizer = opt))
    ))
  })
  llfs <- sapply(fits, function(m) as.numeric(logLik(m)))
  list(fit = fits[[which.max(llfs)]], llfs = llfs)
}

# The fixed part at the profile, and the same with each term's contribution left out.
forecasts <- function(fit) {
  x <- model.matrix(delete.response(terms(fit)), profile)
  fe <- fixef(fit)
  contributions <- as.vector(x[1, names(fe)]) * fe
  c(forecast = sum(contributions),
    setNames(sum(contributions) - contributions, paste0("forecast_without_", names(fe))))
}

base <- best_fit(models$unconditional, FALSE)$fit
base_aic <- AIC(base)
base_sigma2 <- sigma(base)^2
base_tau00 <- VarCorr(base)$school[1, 1]

cat("# lme4", as.character(packageVersion("lme4")), "| Matrix", as.character(packageVersion("Matrix")),
    "|", R.version.string, "\n\n")
for (name in names(models)) {
  reml <- grepl("_reml$", name)
  found <- best_fit(models[[name]], reml)
  fit <- found$fit
  vc <- VarCorr(fit)$school
  sigma2 <- sigma(fit)^2
  tau00 <- if ("(Intercept)" %in% colnames(vc)) vc[1, 1] else 0
  cat("model:", name, "\n")
  cat("formula:", models[[name]], "\n")
  cat("method:", if (reml) "REML" else "ML", "\n")
  cat("loglik_by_optimizer:", paste0(names(found$llfs), "=", sprintf("%.4f", found$llfs), collapse = " "), "\n")
  cat("loglik:", sprintf("%.4f", max(found$llfs)), "\n")
  cat("aic:", if (reml) "NA" else sprintf("%.4f", AIC(fit)), "\n")
  cat("singular:", isSingular(fit), "\n")
  cat("fixef:", paste0(names(fixef(fit)), "=", num(fixef(fit)), collapse = " "), "\n")
  cat("tau_names:", colnames(vc), "\n")
  for (i in seq_len(nrow(vc))) cat("tau_row:", num(vc[i, ]), "\n")
  cat("sigma2:", num(sigma2), "\n")
  if (!reml) cat("aic_change:", sprintf("%.4f", AIC(fit) - base_aic), "\n")
  cat("sigma2_change:", sprintf("%.6f", (base_sigma2 - sigma2) / base_sigma2), "\n")
  cat("tau00_change:", sprintf("%.6f", (base_tau00 - tau00) / base_tau00), "\n")
  f <- forecasts(fit)
  cat(paste0(names(f), ": ", sprintf("%.6f", f)), sep = "\n")
  cat("\n")
}
