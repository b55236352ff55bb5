/** Maxim MAX30102 / MAX30101 pulse-oximetry front-end on I2C. */
package org.cardiogate.sensor.max3010x;
