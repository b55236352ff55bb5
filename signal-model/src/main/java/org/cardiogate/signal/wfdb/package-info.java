/**
 * Reading and writing PhysioNet WFDB records: headers ({@code .hea}), signal files (formats 212, 16, 61, 80, 160,
 * 24 and 32) and MIT-format annotation files ({@code .atr}, {@code .q1c}, ...).
 *
 * <p>Everything here reads or writes whole files at once; nothing is meant for the real-time loop. All types are
 * immutable or stateless and safe to share between threads. Malformed input throws {@link
 * org.cardiogate.signal.wfdb.WfdbFormatException} with the file and the problem in the message.
 */
package org.cardiogate.signal.wfdb;
