package org.cardiogate.dsp.fusion.io;

import java.util.List;

/**
 * Signals read from a file, sampled uniformly: {@code data[c][i]} is column {@code c} at
 * {@code startNanos + i * 1e9 / rateHz}.
 *
 * @param source     the file, for messages
 * @param columns    column names in file order (time column left out)
 * @param rateHz     sample rate, Hz (given, or estimated from the time column)
 * @param startNanos time of sample 0 on the file's time axis, ns
 * @param data       one array per column
 */
public record TimedSignals(String source, List<String> columns, double rateHz, long startNanos, double[][] data) {

    public TimedSignals {
        columns = List.copyOf(columns);
    }

    public int length() {
        return data.length == 0 ? 0 : data[0].length;
    }

    /** Index of the named column; an error naming the file and the columns it has when there is none. */
    public int columnIndex(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(source + ": no column '" + name + "' (columns: " + columns + ")");
        }
        return i;
    }

    public double[] column(String name) {
        return data[columnIndex(name)];
    }

    @Override
    public String toString() {
        return "TimedSignals[" + source + ", " + columns + ", " + rateHz + " Hz, " + length() + " samples, start "
                + startNanos + " ns]";
    }
}
