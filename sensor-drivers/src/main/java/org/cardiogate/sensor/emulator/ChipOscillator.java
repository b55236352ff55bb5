package org.cardiogate.sensor.emulator;

/**
 * The conversion clock of an emulated chip: conversion {@code n} completes at host time
 * {@code start + n * nominalPeriod / (1 + drift)}, so a positive drift (ppm) means the chip runs fast.
 */
public final class ChipOscillator {
    private final double driftPpm;
    private double periodNanos;
    private long startNanos;

    public ChipOscillator(double driftPpm) {
        if (!(Math.abs(driftPpm) < 200_000)) {
            throw new IllegalArgumentException("emulated oscillator drift must be within +-200000 ppm, got " + driftPpm);
        }
        this.driftPpm = driftPpm;
    }

    /** Starts conversions at {@code nominalRateHz}; conversion 0 completes one period after {@code startNanos}. */
    public void start(double nominalRateHz, long startNanos) {
        this.periodNanos = 1e9 / (nominalRateHz * (1 + driftPpm * 1e-6));
        this.startNanos = startNanos;
    }

    /** Host time at which conversion {@code n} (from 0) completes. */
    public long completionNanos(long n) {
        return startNanos + (long) Math.floor((n + 1) * periodNanos);
    }

    /** Index of the latest conversion completed at host time {@code t}, or -1 before the first. */
    public long latestAt(long t) {
        long n = (long) Math.floor((t - startNanos) / periodNanos) - 1;
        // floor of the quotient may be off by one against completionNanos' rounding: settle it exactly
        while (n >= 0 && completionNanos(n) > t) {
            n--;
        }
        while (completionNanos(n + 1) <= t) {
            n++;
        }
        return Math.max(-1, n);
    }

    public double driftPpm() {
        return driftPpm;
    }

    /** Real conversion rate in Hz. */
    public double actualRateHz() {
        return 1e9 / periodNanos;
    }
}
