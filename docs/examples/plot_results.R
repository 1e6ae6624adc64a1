# Redraw migrasim's figures from its CSV outputs with base R (no packages).
#
# usage: Rscript plot_results.R RUN_DIR COMPARE_DIR [OUT_DIR]
#
# RUN_DIR is what `migrasim run` wrote (series.csv, summary.csv); COMPARE_DIR is
# what `migrasim compare A B` wrote (comparison.csv, series_<scenario>.csv).
# PNGs go to OUT_DIR (default: figures).

args <- commandArgs(trailingOnly = TRUE)
if (!length(args) %in% c(2, 3)) stop("usage: Rscript plot_results.R RUN_DIR COMPARE_DIR [OUT_DIR]")
out <- if (length(args) == 3) args[3] else "figures"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

countries <- c(SV = "El Salvador", HN = "Honduras", GT = "Guatemala")
okabe_ito <- c("#0072B2", "#D55E00", "#56B4E9", "#009E73", "#000000", "#E69F00", "#CC79A7")
# The compare measures: sums of metrics, as results.CompareMeasures defines them.
measures <- list(
  departures_total = list(c("departures_uac", "departures_family", "departures_adult"), "Irregular departures", "persons per month"),
  us_removals_total = list(c("us_removals_border", "us_removals_interior"), "Removals from the U.S.", "persons per month"),
  homicide_rate = list("homicide_rate", "Homicide rate", "homicides per 100,000 a year"),
  stock_us_undocumented = list("stock_us_undocumented", "Undocumented population in the U.S.", "persons (at month end)")
)

# measure: the measure's monthly value per replicate, month and country.
measure <- function(series, name) {
  s <- series[series$metric %in% measures[[name]][[1]], ]
  aggregate(value ~ replicate + month + country, data = s, FUN = sum)
}

# band: mean over replicates and its Student-t 95% interval, per month and country.
band <- function(d) {
  b <- aggregate(value ~ month + country, data = d, FUN = function(x) {
    n <- length(x)
    half <- if (n > 1) qt(0.975, n - 1) * sd(x) / sqrt(n) else 0
    c(mean = mean(x), low = mean(x) - half, high = mean(x) + half)
  })
  b <- data.frame(month = b$month, country = b$country, b$value)
  b$date <- as.Date(paste0(b$month, "-01"))
  b[order(b$country, b$date), ]
}

shade <- function(colour) adjustcolor(colour, alpha.f = 0.25)

draw <- function(b, colour, lty = 1) {
  polygon(c(b$date, rev(b$date)), c(b$high, rev(b$low)), col = shade(colour), border = NA)
  lines(b$date, b$mean, col = colour, lty = lty, lwd = 1.6)
}

panel <- function(bands, ylab, main) {
  plot(range(do.call(c, lapply(bands, `[[`, "date"))), range(unlist(lapply(bands, function(b) c(b$low, b$high)))),
       type = "n", xlab = "", ylab = ylab, main = main, las = 1)
  abline(h = axTicks(2), col = "grey90")
}

save <- function(name, width, height, expr) {
  file <- file.path(out, name)
  png(file, width = width, height = height, res = 150)
  on.exit(dev.off())
  expr
  cat(file, "\n")
}

# run: one panel per question with the three countries in it.
series <- read.csv(file.path(args[1], "series.csv"))
scenario <- series$scenario[1]
reps <- length(unique(series$replicate))
for (name in names(measures)) {
  m <- measures[[name]]
  b <- band(measure(series, name))
  save(paste0("run_", name, ".png"), 1920, 900, {
    par(mar = c(3, 5, 4, 10), xpd = FALSE)
    bs <- lapply(names(countries), function(k) b[b$country == k, ])
    panel(bs, m[[3]], sprintf("%s: %s\nshaded band: 95%% CI of the mean over %d replicates (Monte Carlo noise only)", m[[2]], scenario, reps))
    for (i in seq_along(bs)) draw(bs[[i]], okabe_ito[i], i)
    legend("topright", inset = c(-0.16, 0), xpd = TRUE, legend = countries, col = okabe_ito[1:3], lty = 1:3, lwd = 2, bty = "n")
  })
}

# summary.csv: yearly departures of single adults with their intervals.
summary <- read.csv(file.path(args[1], "summary.csv"), na.strings = "NA")
s <- summary[summary$metric == "departures_adult" & summary$period != "all", ]
save("run_summary_departures_adult.png", 1920, 800, {
  par(mar = c(3, 5, 3, 10))
  plot(range(as.integer(s$period)), range(c(s$ci_low, s$ci_high), na.rm = TRUE), type = "n", xlab = "", ylab = "persons per year",
       main = sprintf("Departures of single adults per year: %s (95%% CI over replicates)", scenario), las = 1)
  for (i in seq_along(countries)) {
    cs <- s[s$country == names(countries)[i], ]
    x <- as.integer(cs$period) + (i - 2) * 0.1
    lines(x, cs$mean, type = "o", pch = 19, col = okabe_ito[i])
    arrows(x, cs$ci_low, x, cs$ci_high, angle = 90, code = 3, length = 0.03, col = okabe_ito[i])
  }
  legend("topright", inset = c(-0.16, 0), xpd = TRUE, legend = countries, col = okabe_ito[1:3], pch = 19, bty = "n")
})

# compare: each scenario's series (top) and the paired difference to the reference (bottom).
comparison <- read.csv(file.path(args[2], "comparison.csv"), na.strings = "NA")
ref <- comparison$reference[1]
scen <- c(ref, unique(comparison$scenario))
runs <- lapply(setNames(scen, scen), function(n) read.csv(file.path(args[2], paste0("series_", n, ".csv"))))
for (name in names(measures)) {
  m <- measures[[name]]
  v <- lapply(runs, measure, name = name)
  save(paste0("compare_", name, ".png"), 1920, 1150, {
    layout(matrix(c(1:6, 7, 7, 7), nrow = 3, byrow = TRUE), heights = c(1, 1, 0.15))
    par(oma = c(0, 0, 4, 0), mar = c(3, 6, 3, 1), mgp = c(4, 0.8, 0))
    for (k in names(countries)) {
      bs <- lapply(v, function(d) { b <- band(d); b[b$country == k, ] })
      panel(bs, m[[3]], countries[[k]])
      for (i in seq_along(bs)) draw(bs[[i]], okabe_ito[i], i)
    }
    for (k in names(countries)) {
      # Paired differences: replicate r of each scenario shares its random numbers.
      bs <- lapply(scen[-1], function(n) {
        d <- merge(v[[n]], v[[ref]], by = c("replicate", "month", "country"))
        d$value <- d$value.x - d$value.y
        b <- band(d); b[b$country == k, ]
      })
      panel(bs, paste("difference,", m[[3]]), "")
      abline(h = 0, col = "grey40")
      for (i in seq_along(bs)) draw(bs[[i]], okabe_ito[i + 1], 2)
    }
    par(mar = c(0, 0, 0, 0)); plot.new()
    legend("center", horiz = TRUE, legend = scen, col = okabe_ito[seq_along(scen)], lty = seq_along(scen), lwd = 2, bty = "n")
    mtext(sprintf("%s: %s; bottom: paired difference to %s\nshaded band: 95%% CI of the mean over %d replicates (Monte Carlo noise only, at fixed parameters)",
                  m[[2]], paste(scen, collapse = " and "), ref, length(unique(runs[[1]]$replicate))), outer = TRUE, adj = 0, line = 0.5)
  })
}

# comparison.csv: the whole run's difference and its interval, per country.
all <- comparison[comparison$period == "all" & comparison$metric %in% names(measures), ]
save("compare_differences_all.png", 1920, 600, {
  par(mfrow = c(1, length(measures)), mar = c(3, 7, 4, 1), oma = c(0, 0, 2, 0))
  for (name in names(measures)) {
    d <- all[all$metric == name, ]
    d <- d[match(names(countries), d$country), ]
    y <- seq_along(countries)
    plot(range(c(0, d$diff_ci_low, d$diff_ci_high)), range(y) + c(-0.5, 0.5), type = "n", yaxt = "n", xlab = "", ylab = "",
         main = sprintf("%s\n(%s over the run)", measures[[name]][[2]], d$aggregate[1]), cex.main = 0.9)
    axis(2, at = y, labels = countries, las = 1)
    abline(v = 0, col = "grey40")
    arrows(d$diff_ci_low, y, d$diff_ci_high, y, angle = 90, code = 3, length = 0.03, col = okabe_ito[2])
    points(d$diff_mean, y, pch = 19, col = okabe_ito[2])
  }
  mtext(sprintf("%s - %s: paired difference, 95%% CI (Monte Carlo noise only)", scen[2], ref), outer = TRUE, adj = 0)
})
