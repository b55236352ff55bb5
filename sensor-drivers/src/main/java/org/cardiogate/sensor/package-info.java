/**
 * Sensor sources: chip drivers behind small bus interfaces, chip emulators, serial boards and the built-in
 * physiological simulator ({@code org.cardiogate.sensor.sim}). Each source runs its own acquisition thread and
 * publishes {@link org.cardiogate.signal.SampleBlock}s into single-producer rings.
 */
package org.cardiogate.sensor;
