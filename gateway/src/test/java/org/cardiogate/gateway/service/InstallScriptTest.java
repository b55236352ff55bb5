package org.cardiogate.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs packaging/install.sh and uninstall.sh into scratch roots (DESTDIR); nothing on the host is changed. */
class InstallScriptTest {
    @TempDir
    static Path distDir;
    private static Path dist;

    @BeforeAll
    static void layOutADistribution() throws Exception {
        dist = distDir.resolve("cardiogate-test");
        RepoFiles.distribution(dist);
    }

    private static RepoFiles.Result install(Path root, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(dist.resolve("install.sh").toString()));
        cmd.addAll(List.of(args));
        return RepoFiles.run(cmd, dist, "DESTDIR", root.toString());
    }

    @Test
    void installsTheDistributionUnitsAndUserIntoAScratchRoot(@TempDir Path root) throws Exception {
        String hostPasswd = Files.readString(Path.of("/etc/passwd"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ndialout:x:20:pi\n");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");

        RepoFiles.Result r = install(root, "--no-systemctl");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(mode(root.resolve("opt/cardiogate/bin/gateway"))).isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("opt/cardiogate/lib/gateway-test.jar")).isRegularFile();
        assertThat(mode(root.resolve("etc/systemd/system/cardiogate.service"))).isEqualTo("rw-r--r--");
        assertThat(root.resolve("etc/udev/rules.d/99-cardiogate.rules")).isRegularFile();
        assertThat(root.resolve("usr/lib/sysusers.d/cardiogate.conf")).isRegularFile();
        assertThat(root.resolve("usr/lib/tmpfiles.d/cardiogate.conf")).isRegularFile();
        assertThat(mode(root.resolve("etc/cardiogate"))).isEqualTo("rwxr-x---");
        assertThat(mode(root.resolve("etc/cardiogate/gateway.yaml"))).isEqualTo("rw-r-----");
        assertThat(mode(root.resolve("var/lib/cardiogate"))).isEqualTo("rwxr-x---");
        assertThat(root.resolve("etc/cardiogate/gateway.yaml"))
                .hasSameTextualContentAs(dist.resolve("config/gateway.example.yaml"));

        List<String> passwd = Files.readAllLines(root.resolve("etc/passwd"));
        assertThat(passwd).anySatisfy(l -> assertThat(l).startsWith("cardiogate:x:").endsWith(":/var/lib/cardiogate:/usr/sbin/nologin"));
        List<String> group = Files.readAllLines(root.resolve("etc/group"));
        assertThat(group).contains("dialout:x:20:pi,cardiogate");
        for (String g : List.of("spi", "i2c", "gpio")) {
            assertThat(group).anySatisfy(l -> assertThat(l).startsWith(g + ":x:").endsWith(":cardiogate"));
        }
        String log = Files.readString(root.resolve("var/log/cardiogate-install.log"));
        assertThat(log).contains("would run: systemctl enable cardiogate.service")
                .contains("would run: udevadm control --reload").doesNotContain("run: useradd");
        assertThat(Files.readString(Path.of("/etc/passwd"))).as("host untouched").isEqualTo(hostPasswd);
    }

    @Test
    void anotherPrefixIsWrittenIntoTheUnit(@TempDir Path root) throws Exception {
        RepoFiles.Result r = install(root, "--no-systemctl", "--prefix", "/srv/cg");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(root.resolve("srv/cg/bin/gateway")).isExecutable();
        assertThat(Files.readString(root.resolve("etc/systemd/system/cardiogate.service")))
                .contains("ExecStart=/srv/cg/bin/gateway run").doesNotContain("/opt/cardiogate");
    }

    @Test
    void anUpgradeKeepsTheEditedConfigurationAndThePreviousVersion(@TempDir Path root) throws Exception {
        assertThat(install(root, "--no-systemctl").exit()).isZero();
        Files.writeString(root.resolve("etc/cardiogate/gateway.yaml"), "gateway:\n  id: bed-7\n");

        RepoFiles.Result r = install(root, "--no-systemctl");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(root.resolve("etc/cardiogate/gateway.yaml")).hasContent("gateway:\n  id: bed-7");
        assertThat(root.resolve("etc/cardiogate/gateway.yaml.new")).isRegularFile();
        assertThat(root.resolve("opt/cardiogate.old/bin/gateway")).isRegularFile();
        assertThat(Files.readAllLines(root.resolve("etc/passwd"))).filteredOn(l -> l.startsWith("cardiogate:"))
                .hasSize(1);
    }

    @Test
    void theInstalledLauncherRunsTheJarsWithoutBuilding(@TempDir Path root) throws Exception {
        assertThat(install(root, "--no-systemctl").exit()).isZero();
        RepoFiles.Result r = RepoFiles.run(List.of(root.resolve("opt/cardiogate/bin/gateway").toString(), "version"),
                root, "JAVA_HOME", System.getProperty("java.home"), "CARDIOGATE_JVM_DIRS", "/nonexistent");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("CardioGate ").contains("Java " + Runtime.version().feature());
    }

    @Test
    void uninstallRemovesTheProgramButKeepsDataUnlessPurged(@TempDir Path root) throws Exception {
        assertThat(install(root, "--no-systemctl").exit()).isZero();
        Files.writeString(root.resolve("var/lib/cardiogate/cardiogate.mv.db"), "data");
        RepoFiles.Result r = RepoFiles.run(List.of(dist.resolve("uninstall.sh").toString()), dist,
                "DESTDIR", root.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(root.resolve("opt/cardiogate")).doesNotExist();
        assertThat(root.resolve("etc/systemd/system/cardiogate.service")).doesNotExist();
        assertThat(root.resolve("etc/udev/rules.d/99-cardiogate.rules")).doesNotExist();
        assertThat(root.resolve("var/lib/cardiogate/cardiogate.mv.db")).exists();
        assertThat(root.resolve("etc/cardiogate/gateway.yaml")).exists();

        r = RepoFiles.run(List.of(dist.resolve("uninstall.sh").toString(), "--purge"), dist, "DESTDIR", root.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(root.resolve("var/lib/cardiogate")).doesNotExist();
        assertThat(Files.readString(root.resolve("etc/passwd"))).doesNotContain("cardiogate");
        assertThat(Files.readString(root.resolve("etc/group"))).doesNotContain("cardiogate");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
