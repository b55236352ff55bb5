/** ST LSM6DSO accelerometer on I2C, batched through its FIFO with timestamps, for seismocardiography. */
package org.cardiogate.sensor.lsm6dso;
