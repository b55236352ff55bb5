package org.cardiogate.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** systemd/verify-units.sh: {@code systemd-analyze verify} on the units in a scratch root (skips without systemd). */
class SystemdUnitsTest {
    private static final int SKIPPED = 77;

    @Test
    void systemdAnalyzeAcceptsTheUnit() throws Exception {
        Path root = RepoFiles.root();
        RepoFiles.Result r = RepoFiles.run(List.of(root.resolve("systemd/verify-units.sh").toString()), root);
        Assumptions.assumeTrue(r.exit() != SKIPPED, r.output());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("cardiogate.service ok");
    }

    @Test
    void theCheckRejectsASettingSystemdWouldIgnore(@TempDir Path dir) throws Exception {
        Path root = RepoFiles.root();
        Path bad = dir.resolve("cardiogate-typo.service");
        Files.writeString(bad, Files.readString(root.resolve("systemd/cardiogate.service"))
                .replace("WatchdogSec=10s", "WatchdogSecs=10s"));
        RepoFiles.Result r = RepoFiles.run(List.of(root.resolve("systemd/verify-units.sh").toString(), bad.toString()), root);
        Assumptions.assumeTrue(r.exit() != SKIPPED, r.output());
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("WatchdogSecs").contains("FAILED");
    }

    @Test
    void theUnitIsANotifyServiceWithAWatchdogAndTheDeviceGroupsOnly() throws Exception {
        String unit = Files.readString(RepoFiles.root().resolve("systemd/cardiogate.service"));
        assertThat(unit).contains("\nType=notify\n").contains("\nWatchdogSec=10s\n").contains("\nNotifyAccess=main\n")
                .contains("\nRestart=on-failure\n").contains("\nUser=cardiogate\n")
                .contains("\nSupplementaryGroups=spi i2c gpio dialout\n").contains("\nNoNewPrivileges=yes\n")
                .contains("\nProtectSystem=strict\n").contains("\nPrivateTmp=yes\n").contains("\nCapabilityBoundingSet=\n");
    }
}
