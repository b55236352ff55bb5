package org.cardiogate.signal.edf;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A whole EDF or EDF+ file in memory, as read by {@link EdfReader#read(Path)}: header fields, sampled signals as
 * digital values, and the annotations.
 *
 * <p>Signal indices count only sampled signals; EDF+ annotations signals are not among {@link #signals()}.
 *
 * <p>Immutable and thread-safe: accessors return copies.
 */
public final class EdfFile {
    private final Path path;
    private final String patientIdentification;
    private final String recordingIdentification;
    private final LocalDateTime startDateTime;
    private final String reserved;
    private final long declaredDataRecords;
    private final int dataRecords;
    private final double recordDurationSeconds;
    private final List<EdfSignalSpec> signals;
    private final short[][] digital;
    private final double[] recordOnsets;
    private final List<EdfAnnotation> annotations;
    private final List<String> warnings;
    private final boolean recordCountRepaired;

    EdfFile(Path path, String patientIdentification, String recordingIdentification, LocalDateTime startDateTime,
            String reserved, long declaredDataRecords, int dataRecords, double recordDurationSeconds,
            List<EdfSignalSpec> signals, short[][] digital, double[] recordOnsets, List<EdfAnnotation> annotations,
            List<String> warnings, boolean recordCountRepaired) {
        this.path = path;
        this.patientIdentification = patientIdentification;
        this.recordingIdentification = recordingIdentification;
        this.startDateTime = startDateTime;
        this.reserved = reserved;
        this.declaredDataRecords = declaredDataRecords;
        this.dataRecords = dataRecords;
        this.recordDurationSeconds = recordDurationSeconds;
        this.signals = List.copyOf(signals);
        this.digital = digital;
        this.recordOnsets = recordOnsets;
        this.annotations = List.copyOf(annotations);
        this.warnings = List.copyOf(warnings);
        this.recordCountRepaired = recordCountRepaired;
    }

    public Path path() {
        return path;
    }

    /** The 80-character patient field without trailing blanks, e.g. {@code "X X X X"}. */
    public String patientIdentification() {
        return patientIdentification;
    }

    /** The 80-character recording field without trailing blanks, e.g. {@code "Startdate 02-MAR-2002 X X X"}. */
    public String recordingIdentification() {
        return recordingIdentification;
    }

    /**
     * Local start date and time of the file. Two-digit years 85..99 are 1985..1999 and 00..84 are 2000..2084; a year
     * {@code yy} (from 2085 on) is taken from the EDF+ recording field's {@code Startdate}.
     */
    public LocalDateTime startDateTime() {
        return startDateTime;
    }

    /** The header's reserved field: {@code "EDF+C"}, {@code "EDF+D"} or (plain EDF) usually empty. */
    public String reserved() {
        return reserved;
    }

    /** Whether this is an EDF+ file (continuous or discontinuous). */
    public boolean isEdfPlus() {
        return reserved.startsWith("EDF+C") || reserved.startsWith("EDF+D");
    }

    /** Whether the data records follow each other without gaps (plain EDF or EDF+C). */
    public boolean isContinuous() {
        return !reserved.startsWith("EDF+D");
    }

    /** The header's "number of data records" field as written, -1 when the writer never finished it. */
    public long declaredDataRecords() {
        return declaredDataRecords;
    }

    /** Complete data records read: the header's count, or the count derived from the file size when it was wrong. */
    public int dataRecords() {
        return dataRecords;
    }

    /** Duration of one data record in seconds. */
    public double recordDurationSeconds() {
        return recordDurationSeconds;
    }

    /**
     * Start of a data record in seconds from {@link #startDateTime()}: from its time-keeping annotation in EDF+, else
     * {@code record * recordDurationSeconds()}.
     */
    public double recordOnsetSeconds(int record) {
        return recordOnsets[record];
    }

    /** The sampled signals, annotations signals excluded. */
    public List<EdfSignalSpec> signals() {
        return signals;
    }

    public int signalCount() {
        return signals.size();
    }

    public EdfSignalSpec signal(int signal) {
        return signals.get(signal);
    }

    /** Sampling frequency of a signal in Hz. */
    public double samplingFrequency(int signal) {
        return signals.get(signal).samplesPerRecord() / recordDurationSeconds;
    }

    /** Number of samples of a signal: samples per record times {@link #dataRecords()}. */
    public int length(int signal) {
        return digital[signal].length;
    }

    /** A signal's samples as stored (digital values). */
    public int[] digital(int signal) {
        short[] d = digital[signal];
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i];
        }
        return out;
    }

    /** A signal's samples converted to its physical dimension. */
    public double[] physical(int signal) {
        EdfSignalSpec spec = signals.get(signal);
        double res = spec.resolution();
        double pmin = spec.physicalMin();
        int dmin = spec.digitalMin();
        short[] d = digital[signal];
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = pmin + (d[i] - dmin) * res;
        }
        return out;
    }

    /** All annotations except the time-keeping ones, in file order. */
    public List<EdfAnnotation> annotations() {
        return annotations;
    }

    /**
     * Problems the reader repaired, e.g. a record count of -1 or one larger than the file, or trailing bytes of a
     * partial data record; empty for a well-formed file.
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Whether the header's record count was -1 or larger than the file holds, so that {@link #dataRecords()} comes
     * from the file size instead.
     */
    public boolean recordCountRepaired() {
        return recordCountRepaired;
    }
}
