/**
 * The signal model every stage speaks: stream descriptors, reusable sample blocks that carry a per-stream
 * sample sequence number and a monotonic timestamp, the single-producer ring that moves blocks between
 * threads, and the value types that leave the real-time loop (beats, vitals, events).
 *
 * <p>Threading: a {@link org.cardiogate.signal.SampleBlock} is owned by exactly one thread at a time; it
 * changes hands only through a {@link org.cardiogate.signal.BlockRing}. The record types ({@code Beat},
 * {@code Vital}, {@code CardiacEvent}) are immutable and may be shared freely.
 */
package org.cardiogate.signal;
