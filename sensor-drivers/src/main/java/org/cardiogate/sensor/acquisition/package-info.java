/** The acquisition life cycle shared by chip drivers: configure, read, fault, back off, recover. */
package org.cardiogate.sensor.acquisition;
