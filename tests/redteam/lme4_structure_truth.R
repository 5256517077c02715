suppressMessages({library(lme4); library(foreign)})
d <- read.spss("../data/hsb12.sav", to.data.frame=TRUE)
names(d) <- tolower(names(d))
d$sector_public <- 1 - d$sector
prof <- data.frame(minority=1, female=1, ses=0, cses=0.4, meanses=-0.4, size=800, sector=0,
                   pracad=0.25, himinty=0, sector_public=1)
fitbest <- function(f) {
  best <- NULL
  for (opt in c("bobyqa","Nelder_Mead","nloptwrap")) {
    m <- suppressWarnings(lmer(f, data=d, REML=FALSE, control=lmerControl(optimizer=opt)))
    if (is.null(best) || logLik(m) > logLik(best)) best <- m
  }
  best
}
u <- fitbest(mathach ~ 1 + (1|school))
vu <- as.data.frame(VarCorr(u))
s2u <- sigma(u)^2; t00u <- vu$vcov[1]
cat(sprintf("UNC ll=%.4f AIC=%.3f tau00=%.5f s2=%.5f ICC=%.5f\n", logLik(u), AIC(u), t00u, s2u, t00u/(t00u+s2u)))
mods <- list(
 s01 = mathach ~ minority + female + ses + meanses + sector + (1|school),
 s02 = mathach ~ cses + minority + female + meanses + sector + (1+cses|school),
 s03 = mathach ~ ses + minority + sector_public + pracad + (1|school),
 s04 = mathach ~ minority + female + ses + meanses + himinty + size + (1|school),
 s05 = mathach ~ minority + female + ses + meanses + pracad + sector + (1+minority|school),
 s06 = mathach ~ ses + female + sector + himinty + (1|school),
 s07 = mathach ~ cses + meanses + sector + cses:sector + (1+cses|school),
 s08 = mathach ~ minority + female + ses + meanses + sector + pracad + (1|school),
 s09 = mathach ~ minority + ses + meanses + sector + (1|school),
 s10 = mathach ~ female + ses + minority + himinty + meanses + (1+minority|school)
)
for (n in names(mods)) {
  m <- fitbest(mods[[n]])
  s2 <- sigma(m)^2
  fc <- predict(m, newdata=prof, re.form=NA)
  cat(sprintf("\n== %s ll=%.4f AIC=%.3f dAIC=%.3f s2=%.5f rel=%.5f forecast=%.4f singular=%s\n", n,
      logLik(m), AIC(m), AIC(m)-AIC(u), s2, (s2u-s2)/s2u, fc, isSingular(m)))
  fe <- fixef(m); cat(paste(sprintf("%s=%.5f", names(fe), fe), collapse="  "), "\n")
  vc <- as.data.frame(VarCorr(m)); cat(paste(sprintf("%s/%s=%.5f", vc$var1, vc$var2, vc$vcov), collapse="  "), "\n")
}
