/**
 * Reading and writing EDF and EDF+ recordings (European Data Format, https://www.edfplus.info): a streaming,
 * append-only, crash-safe {@link org.cardiogate.signal.edf.EdfWriter} for EDF+C files with annotations, and an {@link
 * org.cardiogate.signal.edf.EdfReader} for EDF, EDF+C and EDF+D files, including files left behind by a killed writer.
 *
 * <p>Malformed input throws {@link org.cardiogate.signal.edf.EdfFormatException} with the file and the problem in the
 * message.
 */
package org.cardiogate.signal.edf;
