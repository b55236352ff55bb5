/**
 * Technical events (sensor faults, lost samples, recoveries) and the backoff that paces recovery attempts.
 * Every driver reports through a {@link org.cardiogate.sensor.fault.TechnicalEventListener}.
 */
package org.cardiogate.sensor.fault;
