/**
 * Recordings: every stream of the gateway written to EDF+ files with beat, event and technical annotations, on demand
 * or continuously, rotated and retained, and exported to WFDB on request ({@link
 * org.cardiogate.gateway.recording.RecordingService}).
 */
package org.cardiogate.gateway.recording;
