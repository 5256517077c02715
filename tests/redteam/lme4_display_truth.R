suppressMessages({library(lme4); library(foreign)})
d <- read.spss("data/hsb12.sav", to.data.frame=TRUE)
names(d) <- tolower(names(d))
prof <- data.frame(minority=1, female=1, ses=0, cses=0.4, meanses=-0.4, size=800, sector=0, pracad=0.25, himinty=0)
fitbest <- function(f) {
  best <- NULL
  for (opt in c("bobyqa","nloptwrap","Nelder_Mead")) {
    m <- try(lmer(f, data=d, REML=FALSE, control=lmerControl(optimizer=opt)), silent=TRUE)
    if (!inherits(m,"try-error") && (is.null(best) || logLik(m) > logLik(best))) best <- m
  }
  best
}
m0 <- fitbest(mathach ~ 1 + (1|school))
s0 <- sigma(m0)^2; aic0 <- AIC(m0)
cat("UNC ll", logLik(m0), "aic", aic0, "tau00", as.numeric(VarCorr(m0)$school[1]), "s2", s0, "icc", as.numeric(VarCorr(m0)$school[1])/(as.numeric(VarCorr(m0)$school[1])+s0), "\n")
mr <- lmer(mathach ~ 1 + (1|school), data=d, REML=TRUE); t<-as.numeric(VarCorr(mr)$school[1]); cat("REML icc", t/(t+sigma(mr)^2), "\n")
forms <- list(
 A = mathach ~ minority + female + ses + meanses + sector + (1|school),
 B = mathach ~ cses + meanses + sector + female + (1+cses|school),
 C = mathach ~ minority + female + ses + himinty + (1|school),
 D = mathach ~ cses + minority + female + meanses + sector + (1+minority|school),
 E = mathach ~ ses + minority + female + size + sector + (1|school),
 F = mathach ~ cses + meanses + himinty + minority + (1+cses|school),
 G = mathach ~ ses + minority + female + pracad + himinty + (1|school),
 H = mathach ~ cses*sector + meanses + female + (1+cses|school),
 I = mathach ~ ses + meanses + minority + female + pracad + (1|school)
)
for (n in names(forms)) {
  m <- fitbest(forms[[n]])
  fe <- fixef(m)
  pr <- predict(m, newdata=prof, re.form=NA)
  cat("=== ", n, deparse(forms[[n]]), "\n")
  cat(" ll", sprintf("%.4f", logLik(m)), " AIC", sprintf("%.3f", AIC(m)), " dAIC", sprintf("%.3f", AIC(m)-aic0),
      " s2", sprintf("%.4f", sigma(m)^2), " dS2", sprintf("%.4f", (s0-sigma(m)^2)/s0), " forecast", sprintf("%.4f", pr), "\n")
  print(round(fe,4))
  print(VarCorr(m), comp="Variance")
}
