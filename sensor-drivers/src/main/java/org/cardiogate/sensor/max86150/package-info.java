/**
 * Maxim / Analog Devices MAX86150 ECG + PPG module on I2C: one FIFO carrying ECG (18-bit, mV) and two-LED PPG (19-bit
 * counts) at one rate, published as an ECG stream and a PPG stream of one
 * {@link org.cardiogate.sensor.acquisition.ChipSource}.
 */
package org.cardiogate.sensor.max86150;
