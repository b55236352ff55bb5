/** TI ADS1292R / ADS1298 ECG front-ends on SPI with a DRDY line. */
package org.cardiogate.sensor.ads129x;
