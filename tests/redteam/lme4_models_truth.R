suppressMessages({library(lme4); library(foreign)})
d <- read.spss("data/hsb12.sav", to.data.frame=TRUE)
names(d) <- tolower(names(d))
d$size100 <- d$size/100
fitbest <- function(f) {
  best <- NULL
  for (opt in c("bobyqa","Nelder_Mead","nloptwrap")) {
    m <- suppressWarnings(lmer(f, data=d, REML=FALSE, control=lmerControl(optimizer=opt, optCtrl=list(maxfun=1e5))))
    if (is.null(best) || logLik(m) > logLik(best)) best <- m
  }
  best
}
prof <- data.frame(minority=1, female=1, ses=0, cses=0.4, meanses=-0.4, size=800, sector=0, pracad=0.25, himinty=0, disclim=0, size100=8, school=NA)
m0 <- fitbest(mathach ~ 1 + (1|school)); s0 <- sigma(m0)^2; a0 <- AIC(m0)
cat(sprintf("UNC ML llf=%.4f AIC=%.3f tau=%.5f s2=%.5f\n", logLik(m0), a0, VarCorr(m0)$school[1], s0))
m0r <- lmer(mathach ~ 1 + (1|school), data=d, REML=TRUE)
t0r <- VarCorr(m0r)$school[1]; cat(sprintf("UNC REML tau=%.5f s2=%.5f ICC=%.5f\n", t0r, sigma(m0r)^2, t0r/(t0r+sigma(m0r)^2)))
mods <- list(
 nb01 = mathach ~ ses*sector + meanses + minority + (1+ses|school),
 nb01_m1 = mathach ~ ses + minority + female + (1|school),
 nb01_m2 = mathach ~ ses*sector + meanses + (1+ses|school),
 nb01_m4 = mathach ~ ses*sector + meanses + minority + himinty + (1+ses|school),
 nb02 = mathach ~ cses + meanses + sector + cses:meanses + cses:sector + (1+cses|school),
 nb03 = mathach ~ sector*minority + ses + female + meanses + (1|school),
 nb04 = mathach ~ minority + ses + disclim + female + (1|school),
 nb05 = mathach ~ minority + female + ses + size100 + sector + (1+minority|school),
 nb06 = mathach ~ cses + meanses + log(size) + minority + (1|school),
 nb07 = mathach ~ ses + minority + female + pracad + sector + (1+minority|school),
 nb08 = mathach ~ minority + female + ses + (1|school),
 nb09 = mathach ~ minority + cses + meanses + (1+cses|school)
)
for (n in names(mods)) {
  m <- fitbest(mods[[n]])
  fc <- predict(m, newdata=prof, re.form=NA)
  cat(sprintf("\n== %s  llf=%.4f AIC=%.3f dAIC=%.3f s2=%.5f dS2=%.5f forecast=%.4f singular=%s\n", n, logLik(m), AIC(m), AIC(m)-a0, sigma(m)^2, (s0-sigma(m)^2)/s0, fc, isSingular(m)))
  print(round(fixef(m),5)); print(VarCorr(m), comp="Variance")
}
for (f in list(mathach ~ sector*minority + ses + meanses + (1+minority|school), mathach ~ sector*minority + ses + meanses + size + (1+minority|school))) {
  m <- fitbest(f); fc <- predict(m, newdata=prof, re.form=NA)
  cat(sprintf("\n== nb10 %s llf=%.4f AIC=%.3f dAIC=%.3f s2=%.5f dS2=%.5f forecast=%.4f\n", deparse(f), logLik(m), AIC(m), AIC(m)-a0, sigma(m)^2, (s0-sigma(m)^2)/s0, fc)); print(round(fixef(m),5)); print(VarCorr(m), comp="Variance")
}
