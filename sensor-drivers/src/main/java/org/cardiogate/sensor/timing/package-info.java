/**
 * Host time for drivers ({@link org.cardiogate.sensor.timing.HostTime}) and per-stream timestamping with oscillator
 * drift estimation ({@link org.cardiogate.sensor.timing.StreamClock}).
 */
package org.cardiogate.sensor.timing;
