package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.gateway.page.PageHooks;
import org.cardiogate.inference.RhythmLimits;
import org.cardiogate.ui.ConfigResult;
import org.cardiogate.ui.GatewayStatus;
import org.cardiogate.ui.SensorStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's status and configuration form, backed by a running gateway. */
class PageHooksIT {

    @Test
    void statusShowsEverySensorWithItsAchievedRateAndTheFormAppliesOnlyValidAlarmLimits(@TempDir Path data) throws Exception {
        GatewayConfig config = TestGateways.simulated(data, "hooks", 70, 5);
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            PageHooks hooks = new PageHooks(config, g.pipeline(), g.publisher(), g.brokerUri(), () -> "rules");
            Thread.sleep(1500);
            // the first read already has an achieved rate (since the start); later ones between reads
            GatewayStatus s = hooks.status();
            assertThat(s.sensors()).extracting(SensorStatus::streamId).containsExactly("ecg", "ppg", "scg");
            SensorStatus ecg = s.sensors().get(0);
            assertThat(ecg.connected()).isTrue();
            assertThat(ecg.nominalRateHz()).isEqualTo(500);
            assertThat(ecg.achievedRateHz()).isBetween(400.0, 600.0);
            assertThat(ecg.droppedSamples()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> hooks.status().mqtt().connected());
            await().atMost(Duration.ofSeconds(10)).until(() -> hooks.status().mqtt().lastAck() != null);
            assertThat(hooks.status().mqtt().lastAck()).isBetween(java.time.Instant.now().minusSeconds(30),
                    java.time.Instant.now().plusSeconds(1));

            ConfigResult bad = hooks.apply(Map.of("alarms.tachyBpm", "20"), "nurse");
            assertThat(bad.applied()).isFalse();
            assertThat(bad.errors()).containsOnlyKeys("alarms.tachyBpm");
            ConfigResult notNumber = hooks.apply(Map.of("alarms.bradyBpm", "slow"), "nurse");
            assertThat(notNumber.errors().get("alarms.bradyBpm")).contains("must be a number");
            ConfigResult readOnly = hooks.apply(Map.of("gateway.id", "x"), "nurse");
            assertThat(readOnly.errors()).containsKey("gateway.id");
            assertThat(g.pipeline().rhythmLimits()).isEqualTo(RhythmLimits.ADULT_DEFAULTS);

            ConfigResult ok = hooks.apply(Map.of("alarms.tachyBpm", "130"), "nurse");
            assertThat(ok.applied()).isTrue();
            assertThat(g.pipeline().rhythmLimits().tachyBpm()).isEqualTo(130);
            // field keys are names within their section; the page posts them back as section.key
            assertThat(hooks.current()).anySatisfy(sec -> assertThat(sec.fields()).anySatisfy(
                    f -> assertThat(sec.name() + "." + f.key() + "=" + f.value()).isEqualTo("alarms.tachyBpm=130")));
            assertThat(hooks.current()).allSatisfy(sec -> assertThat(sec.fields())
                    .allSatisfy(f -> assertThat(f.key()).doesNotContain(".")));
        }
    }
}
