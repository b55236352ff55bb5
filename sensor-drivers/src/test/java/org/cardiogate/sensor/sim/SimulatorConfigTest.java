package org.cardiogate.sensor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void defaultsArePlausibleAndValid() {
        SimulatorConfig c = SimulatorConfig.defaults();
        assertThat(c.heartRateBpm()).isEqualTo(72);
        assertThat(c.ecgRateHz()).isEqualTo(500);
        assertThat(c.ppgRateHz()).isEqualTo(100);
        assertThat(c.scgRateHz()).isEqualTo(500);
        assertThat(c.withoutNoise().whiteNoiseMv()).isZero();
        assertThat(c.withoutNoise().scgNoiseMg()).isZero();
        assertThat(c.withoutHrv().rsaMs()).isZero();
    }

    @Test
    void rejectsValuesOutOfRangeNamingTheField() {
        SimulatorConfig c = SimulatorConfig.defaults();
        assertThatThrownBy(() -> c.withHeartRate(19)).hasMessageContaining("heartRateBpm").hasMessageContaining("19");
        assertThatThrownBy(() -> c.withHeartRate(Double.NaN)).hasMessageContaining("heartRateBpm");
        assertThatThrownBy(() -> c.withRates(500, 50, 500)).hasMessageContaining("ppgRateHz");
        assertThatThrownBy(() -> c.withRates(2500, 100, 500)).hasMessageContaining("ecgRateHz");
        assertThatThrownBy(() -> c.withRates(500, 100, 99)).hasMessageContaining("scgRateHz");
        assertThatThrownBy(() -> c.withEcgNoise(-0.1, 0, 0)).hasMessageContaining("baselineWanderMv");
        assertThatThrownBy(() -> c.withEcgNoise(0, Double.POSITIVE_INFINITY, 0)).hasMessageContaining("whiteNoiseMv");
        assertThatThrownBy(() -> c.withMechanicalNoise(0, -1)).hasMessageContaining("scgNoiseMg");
        assertThatThrownBy(() -> c.withTiming(100, 110)).hasMessageContaining("patMs");
        assertThatThrownBy(() -> c.withTiming(20, 200)).hasMessageContaining("pepMs");
        assertThatThrownBy(() -> c.withHrv(-5, 0)).hasMessageContaining("rsaMs");
        assertThatThrownBy(() -> c.withMainsHz(100)).hasMessageContaining("mainsHz");
        assertThatThrownBy(() -> c.withSpo2(101)).hasMessageContaining("spo2Percent");
        assertThatThrownBy(() -> c.withRespirationRate(2)).hasMessageContaining("respirationRateBpm");
    }
}
