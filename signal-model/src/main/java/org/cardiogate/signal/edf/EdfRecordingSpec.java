package org.cardiogate.signal.edf;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link EdfWriter} needs to know before the first sample: identification, start, data record
 * duration and the sampled signals. The annotations signal is added by the writer.
 *
 * @param patientIdentification    the EDF+ patient field: code, sex, birthdate and name separated by blanks, e.g.
 *                                 {@code "MCH-0234567 F 02-MAY-1951 Haagse_Harry"} or {@code "X X X X"}; see
 *                                 {@link #patient(String, char, LocalDate, String)}
 * @param adminCode                hospital administration code of the investigation, or {@code X}
 * @param technician               code of the responsible technician, or {@code X}
 * @param equipment                code of the equipment used, or {@code X}
 * @param start                    local date and time of the first sample, whole seconds (EDF has no finer field),
 *                                 years 1985 to 9999
 * @param recordDurationSeconds    duration of one data record, e.g. 1.0; every signal's sampling frequency times this
 *                                 must be its {@link EdfSignalSpec#samplesPerRecord()}
 * @param signals                  the sampled signals, in file order, none labelled {@value
 *                                 EdfSignalSpec#ANNOTATIONS_LABEL}
 * @param annotationBytesPerRecord bytes of annotation space in each data record (even, at least 64); annotations
 *                                 that do not fit move to the next record
 */
public record EdfRecordingSpec(String patientIdentification, String adminCode, String technician, String equipment,
                               LocalDateTime start, double recordDurationSeconds, List<EdfSignalSpec> signals,
                               int annotationBytesPerRecord) {

    public EdfRecordingSpec {
        Objects.requireNonNull(patientIdentification, "patientIdentification");
        Objects.requireNonNull(start, "start");
        adminCode = EdfFields.subfield(adminCode);
        technician = EdfFields.subfield(technician);
        equipment = EdfFields.subfield(equipment);
        signals = List.copyOf(signals);
        EdfFields.checkAscii("patient identification", patientIdentification, 80);
        if (patientIdentification.isBlank()) {
            throw new IllegalArgumentException("patient identification is empty; use \"X X X X\" when unknown");
        }
        if (start.getNano() != 0) {
            throw new IllegalArgumentException("start " + start + " has a fraction of a second; EDF start times have"
                    + " whole seconds, truncate it and shift the samples");
        }
        if (start.getYear() < 1985 || start.getYear() > 9999) {
            throw new IllegalArgumentException("start year " + start.getYear() + " is outside 1985..9999, which EDF+"
                    + " cannot represent");
        }
        if (!(recordDurationSeconds > 0) || Double.isInfinite(recordDurationSeconds)) {
            throw new IllegalArgumentException("data record duration must be a positive number of seconds, got "
                    + recordDurationSeconds);
        }
        EdfFields.number("data record duration", recordDurationSeconds, 8);
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("a recording needs at least one sampled signal");
        }
        for (int i = 0; i < signals.size(); i++) {
            EdfSignalSpec s = signals.get(i);
            String name = "signal " + i + " ('" + s.label() + "')";
            if (s.isAnnotations()) {
                throw new IllegalArgumentException(name + ": the writer adds the annotations signal itself");
            }
            EdfFields.checkAscii(name + " label", s.label(), 16);
            EdfFields.checkAscii(name + " transducer", s.transducer(), 80);
            EdfFields.checkAscii(name + " physical dimension", s.physicalDimension(), 8);
            EdfFields.checkAscii(name + " prefilter", s.prefilter(), 80);
            EdfFields.number(name + " physical minimum", s.physicalMin(), 8);
            EdfFields.number(name + " physical maximum", s.physicalMax(), 8);
            if (s.samplesPerRecord() < 1) {
                throw new IllegalArgumentException(name + ": needs at least one sample per data record");
            }
        }
        if (annotationBytesPerRecord < 64 || annotationBytesPerRecord % 2 != 0) {
            throw new IllegalArgumentException("annotation bytes per data record must be even and at least 64, got "
                    + annotationBytesPerRecord);
        }
        if (signals.size() + 1 > 9999) {
            throw new IllegalArgumentException(signals.size() + " signals do not fit the 4-character signal count");
        }
        EdfFields.checkAscii("recording identification", recordingIdentification(start, adminCode, technician,
                equipment), 80);
    }

    /**
     * A recording with unknown patient ({@code X X X X}), unknown administration code, technician and equipment, and
     * {@link #defaultAnnotationBytes(double)} of annotation space per data record.
     */
    public static EdfRecordingSpec of(LocalDateTime start, double recordDurationSeconds, List<EdfSignalSpec> signals) {
        return new EdfRecordingSpec("X X X X", "X", "X", "X", start, recordDurationSeconds, signals,
                defaultAnnotationBytes(recordDurationSeconds));
    }

    /**
     * Room for about eight beat annotations per second plus the time-keeping annotation: 128 bytes per second of data
     * record, at least 128.
     */
    public static int defaultAnnotationBytes(double recordDurationSeconds) {
        long bytes = Math.max(128, (long) Math.ceil(128 * recordDurationSeconds));
        return (int) Math.min(32766, bytes + (bytes & 1));
    }

    /**
     * The EDF+ patient field.
     *
     * @param code      hospital patient code, or {@code null} when unknown
     * @param sex       {@code 'M'}, {@code 'F'} or {@code 'X'} (unknown)
     * @param birthdate birthdate, or {@code null} when unknown
     * @param name      patient name, or {@code null} when unknown; blanks become {@code _}
     */
    public static String patient(String code, char sex, LocalDate birthdate, String name) {
        if (sex != 'M' && sex != 'F' && sex != 'X') {
            throw new IllegalArgumentException("sex must be 'M', 'F' or 'X', got '" + sex + "'");
        }
        return EdfFields.subfield(code) + ' ' + sex + ' ' + (birthdate == null ? "X" : date(birthdate)) + ' '
                + EdfFields.subfield(name);
    }

    /** The EDF+ recording field, e.g. {@code "Startdate 02-MAR-2002 PSG-1234/2002 NN Telemetry03"}. */
    public String recordingIdentification() {
        return recordingIdentification(start, adminCode, technician, equipment);
    }

    private static String recordingIdentification(LocalDateTime start, String adminCode, String technician,
                                                   String equipment) {
        return "Startdate " + date(start.toLocalDate()) + ' ' + adminCode + ' ' + technician + ' ' + equipment;
    }

    static String date(LocalDate d) {
        return String.format("%02d-%s-%04d", d.getDayOfMonth(), EdfFields.MONTHS[d.getMonthValue() - 1], d.getYear());
    }
}
