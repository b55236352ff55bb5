package org.cardiogate.sensor.boardcheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.fault.TechnicalEvent;

/**
 * What {@link BoardCheck} measured, and its HTML rendering (self-contained: inline SVG plots, no scripts).
 *
 * @param config             the board's base configuration
 * @param registers          register contents read back with shorted inputs (index = address)
 * @param nominalRateHz      configured output data rate
 * @param measuredRateHz     rate estimated from DRDY counts against the host clock
 * @param ratePpm            deviation of the measured rate from nominal
 * @param noiseMicrovoltsRms input-referred noise per channel, shorted inputs, mean removed
 * @param noiseMicrovoltsPp  peak-to-peak of the same
 * @param testExpectedMv     datasheet test-signal amplitude
 * @param testAmplitudeMv    measured test-signal amplitude per channel (half the difference of the two levels)
 * @param testWaveform       channel 0 during the test-signal phase, mV
 * @param electrodeWaveform  channel 0 with normal inputs, mV
 * @param leadOffMask        electrodes reported off at any time during the electrode phase
 * @param leadOffElectrodes  their names
 * @param events             technical events of all phases
 * @param failures           checks that failed; empty means the board passed
 */
public record BoardReport(Ads129xConfig config, int[] registers, double nominalRateHz, double measuredRateHz,
                          double ratePpm, double[] noiseMicrovoltsRms, double[] noiseMicrovoltsPp,
                          double testExpectedMv, double[] testAmplitudeMv, double[] testWaveform,
                          double[] electrodeWaveform, int leadOffMask, String leadOffElectrodes,
                          List<TechnicalEvent> events, List<String> failures) {

    public boolean passed() {
        return failures.isEmpty();
    }

    /** Writes the report as one HTML file. */
    public void writeHtml(Path file) throws IOException {
        Files.writeString(file, html(), StandardCharsets.UTF_8);
    }

    /** The report as HTML. */
    public String html() {
        StringBuilder h = new StringBuilder(64_000);
        String title = config.model() + " board check";
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(title)
                .append("</title><style>body{font-family:sans-serif;max-width:980px;margin:2em auto}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 8px;text-align:right}"
                        + ".fail{color:#b00}.pass{color:#070}</style></head><body><h1>").append(title).append("</h1>");
        h.append(passed() ? "<p class=\"pass\">PASS</p>" : "<p class=\"fail\">FAIL</p><ul>");
        for (String f : failures) {
            h.append("<li class=\"fail\">").append(esc(f)).append("</li>");
        }
        if (!passed()) {
            h.append("</ul>");
        }
        h.append("<h2>Identity and sample rate</h2><table>");
        row(h, "device ID", registers.length > 0 ? String.format("0x%02X", registers[0]) : "not read");
        row(h, "expected ID", String.format("0x%02X", config.model().deviceId()));
        row(h, "nominal rate", fmt("%.1f SPS", nominalRateHz));
        row(h, "measured rate", fmt("%.4f SPS", measuredRateHz));
        row(h, "deviation", fmt("%+.1f ppm", ratePpm));
        h.append("</table><h2>Registers (shorted-input phase)</h2><table><tr><th>address</th><th>value</th></tr>");
        for (int a = 0; a < registers.length; a++) {
            h.append(String.format("<tr><td>0x%02X</td><td>0x%02X</td></tr>", a, registers[a]));
        }
        h.append("</table><h2>Noise floor (inputs shorted, gain ").append(config.gain())
                .append(")</h2><table><tr><th>channel</th><th>&micro;V rms</th><th>&micro;V p-p</th>"
                        + "<th>test amplitude mV</th></tr>");
        for (int c = 0; c < noiseMicrovoltsRms.length; c++) {
            h.append("<tr><td>").append(esc(config.channelNames().get(c))).append("</td><td>")
                    .append(fmt("%.3f", noiseMicrovoltsRms[c])).append("</td><td>")
                    .append(fmt("%.3f", noiseMicrovoltsPp[c])).append("</td><td>")
                    .append(fmt("%.4f", testAmplitudeMv[c])).append("</td></tr>");
        }
        h.append("</table><p>Datasheet test amplitude: ").append(fmt("%.4f mV", testExpectedMv)).append("</p>");
        h.append("<h2>Lead-off</h2><p>").append(leadOffMask == 0 ? "all electrodes connected"
                : "reported off: " + esc(leadOffElectrodes)).append("</p>");
        h.append("<h2>Test signal, ").append(esc(config.channelNames().get(0))).append("</h2>");
        svgWaveform(h, testWaveform, nominalRateHz);
        h.append("<h2>Electrodes, ").append(esc(config.channelNames().get(0))).append("</h2>");
        svgWaveform(h, electrodeWaveform, nominalRateHz);
        h.append("<h2>Spectrum of the electrode signal</h2>");
        svgSpectrum(h, electrodeWaveform, nominalRateHz);
        h.append("<h2>Technical events</h2><ul>");
        for (TechnicalEvent e : events) {
            h.append("<li>").append(e.type()).append(": ").append(esc(e.detail())).append("</li>");
        }
        h.append("</ul></body></html>\n");
        return h.toString();
    }

    /** Amplitude spectrum (Hann window, mean removed) in mV, bins 0..N/2 of the largest power-of-two prefix. */
    public static double[] amplitudeSpectrum(double[] x) {
        int n = Integer.highestOneBit(Math.max(2, x.length));
        if (n > x.length) {
            n >>= 1;
        }
        double[] re = new double[n];
        double[] im = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[i];
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
            re[i] = (x[i] - mean) * w;
        }
        fft(re, im);
        double[] a = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            a[k] = 4.0 / n * Math.hypot(re[k], im[k]); // x2 one-sided, x2 Hann coherent gain
        }
        return a;
    }

    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(ang * k);
                    double wi = Math.sin(ang * k);
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    private static void svgWaveform(StringBuilder h, double[] y, double rate) {
        if (y.length < 2) {
            h.append("<p>no samples</p>");
            return;
        }
        int n = Math.min(y.length, (int) (rate * 5));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, y[i]);
            max = Math.max(max, y[i]);
        }
        plot(h, y, n, min, max, 1.0 / rate, "s", "mV");
    }

    private static void svgSpectrum(StringBuilder h, double[] x, double rate) {
        if (x.length < 64) {
            h.append("<p>too few samples</p>");
            return;
        }
        double[] a = amplitudeSpectrum(x);
        double[] db = new double[a.length];
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < a.length; k++) {
            db[k] = 20 * Math.log10(Math.max(a[k], 1e-9) * 1000);
            max = Math.max(max, db[k]);
            min = Math.min(min, db[k]);
        }
        min = Math.max(min, max - 120);
        int nfft = (a.length - 1) * 2;
        plot(h, db, db.length, min, max, rate / nfft, "Hz", "dB re 1 uV");
    }

    private static void plot(StringBuilder h, double[] y, int n, double min, double max, double dx, String xUnit,
                             String yUnit) {
        int w = 900;
        int ht = 240;
        if (max <= min) {
            max = min + 1;
        }
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w + 60).append("\" height=\"")
                .append(ht + 40).append("\"><rect x=\"50\" y=\"5\" width=\"").append(w).append("\" height=\"")
                .append(ht).append("\" fill=\"none\" stroke=\"#999\"/><polyline fill=\"none\" stroke=\"#036\" "
                        + "stroke-width=\"1\" points=\"");
        int step = Math.max(1, n / 1800);
        for (int i = 0; i < n; i += step) {
            double px = 50 + (double) i / (n - 1) * w;
            double py = 5 + ht - (Math.max(min, y[i]) - min) / (max - min) * ht;
            h.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        }
        h.append("\"/>");
        h.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"15\" font-size=\"11\">%.3g</text>"
                + "<text x=\"0\" y=\"%d\" font-size=\"11\">%.3g</text><text x=\"50\" y=\"%d\" font-size=\"11\">0</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.4g %s</text>"
                + "<text x=\"55\" y=\"18\" font-size=\"11\">%s</text>", max, ht + 5, min, ht + 20, w + 50, ht + 20,
                (n - 1) * dx, xUnit, yUnit));
        h.append("</svg>");
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
