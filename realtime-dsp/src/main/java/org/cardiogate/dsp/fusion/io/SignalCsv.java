package org.cardiogate.dsp.fusion.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads signals from CSV files with a header of column names: uniformly sampled files with a known rate (the BIDMC
 * format: {@code Time [s], RESP, PLETH, V, AVR, II}) and per-sensor files with a timestamp per row (the SensSmartTech
 * format: {@code t} in ms, slightly irregular), which are resampled onto a uniform grid at the rate estimated from
 * their own timestamps. Errors name the file, the line and the column.
 */
public final class SignalCsv {
    private SignalCsv() {
    }

    /**
     * A uniformly sampled file. With {@code rateHz <= 0} the rate is estimated from the first column, which must then
     * be a time in seconds (its name contains "time"); that column is left out of the result either way when its
     * name contains "time".
     */
    public static TimedSignals readUniform(Path csv, double rateHz) throws IOException {
        Table t = read(csv);
        int timeCol = t.names.get(0).toLowerCase(java.util.Locale.ROOT).contains("time") ? 0 : -1;
        double rate = rateHz;
        long start = 0;
        if (timeCol == 0) {
            double[] time = t.columns.get(0);
            start = Math.round(time[0] * 1e9);
            if (!(rate > 0)) {
                rate = estimateRate(csv, time, 1.0);
            }
        } else if (!(rate > 0)) {
            throw new IllegalArgumentException(csv + ": no sample rate given and no time column (first column '"
                    + t.names.get(0) + "')");
        }
        List<String> names = new ArrayList<>(t.names);
        List<double[]> cols = new ArrayList<>(t.columns);
        if (timeCol == 0) {
            names.remove(0);
            cols.remove(0);
        }
        return new TimedSignals(csv.toString(), names, rate, start, cols.toArray(new double[0][]));
    }

    /**
     * A file with a timestamp per row in column {@code timeColumn} ({@code timeUnitSeconds} seconds per unit, 0.001 for
     * ms). The rate is (rows - 1) / (last - first time); every other column is linearly interpolated onto
     * {@code first + k / rate}, so that the result keeps the file's time axis.
     */
    public static TimedSignals readTimestamped(Path csv, String timeColumn, double timeUnitSeconds) throws IOException {
        Table t = read(csv);
        int tc = t.names.indexOf(timeColumn);
        if (tc < 0) {
            throw new IllegalArgumentException(csv + ": no time column '" + timeColumn + "' (columns: " + t.names + ")");
        }
        double[] time = t.columns.get(tc);
        for (int i = 1; i < time.length; i++) {
            if (!(time[i] > time[i - 1])) {
                throw new IllegalArgumentException(csv + ": column '" + timeColumn + "' does not increase at data row "
                        + (i + 1) + " (" + time[i - 1] + " then " + time[i] + ")");
            }
        }
        double rate = estimateRate(csv, time, timeUnitSeconds);
        int n = time.length;
        List<String> names = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        for (int c = 0; c < t.names.size(); c++) {
            if (c == tc) {
                continue;
            }
            double[] src = t.columns.get(c);
            double[] dst = new double[n];
            int j = 0;
            for (int k = 0; k < n; k++) {
                double tk = time[0] + k / rate / timeUnitSeconds;
                while (j < n - 2 && time[j + 1] <= tk) {
                    j++;
                }
                double f = (tk - time[j]) / (time[j + 1] - time[j]);
                f = Math.max(0, Math.min(1, f));
                dst[k] = src[j] + f * (src[j + 1] - src[j]);
            }
            names.add(t.names.get(c));
            cols.add(dst);
        }
        return new TimedSignals(csv.toString(), names, rate, Math.round(time[0] * timeUnitSeconds * 1e9),
                cols.toArray(new double[0][]));
    }

    private static double estimateRate(Path csv, double[] time, double unit) {
        if (time.length < 2 || !(time[time.length - 1] > time[0])) {
            throw new IllegalArgumentException(csv + ": cannot estimate a sample rate from " + time.length
                    + " time values");
        }
        return (time.length - 1) / ((time[time.length - 1] - time[0]) * unit);
    }

    private record Table(List<String> names, List<double[]> columns) {
    }

    private static Table read(Path csv) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new IllegalArgumentException(csv + ": empty file, expected a header of column names");
            }
            List<String> names = new ArrayList<>();
            for (String h : header.split(",", -1)) {
                names.add(h.strip());
            }
            int m = names.size();
            double[][] cols = new double[m][1024];
            int n = 0;
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != m) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": " + f.length + " fields, the header has "
                            + m);
                }
                if (n == cols[0].length) {
                    for (int c = 0; c < m; c++) {
                        cols[c] = java.util.Arrays.copyOf(cols[c], 2 * n);
                    }
                }
                for (int c = 0; c < m; c++) {
                    try {
                        cols[c][n] = Double.parseDouble(f[c].strip());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(csv + ":" + lineNo + ": column '" + names.get(c)
                                + "' is not a number: '" + f[c] + "'", e);
                    }
                }
                n++;
            }
            if (n < 2) {
                throw new IllegalArgumentException(csv + ": fewer than 2 data rows");
            }
            List<double[]> out = new ArrayList<>();
            for (int c = 0; c < m; c++) {
                out.add(java.util.Arrays.copyOf(cols[c], n));
            }
            return new Table(names, out);
        }
    }
}
