package org.cardiogate.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module graph is the architecture: signal model at the bottom, then drivers -> dsp -> inference -> bridge / ui,
 * wired together in gateway only. This test keeps the direction from reversing, in the POMs and in the bytecode.
 */
class ArchitectureTest {

    /** Module (and its root package) -> the project modules it may depend on. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();
    static final Map<String, String> PACKAGE = Map.of(
            "signal-model", "org.cardiogate.signal",
            "sensor-drivers", "org.cardiogate.sensor",
            "realtime-dsp", "org.cardiogate.dsp",
            "edge-inference", "org.cardiogate.inference",
            "mqtt-bridge", "org.cardiogate.mqtt",
            "local-ui", "org.cardiogate.ui",
            "gateway", "org.cardiogate.gateway",
            "hw-tests", "org.cardiogate.hwtests");

    static {
        ALLOWED.put("signal-model", Set.of());
        ALLOWED.put("sensor-drivers", Set.of("signal-model"));
        ALLOWED.put("realtime-dsp", Set.of("signal-model"));
        ALLOWED.put("edge-inference", Set.of("signal-model", "realtime-dsp"));
        ALLOWED.put("mqtt-bridge", Set.of("signal-model", "realtime-dsp", "edge-inference"));
        ALLOWED.put("local-ui", Set.of("signal-model", "realtime-dsp", "edge-inference"));
        ALLOWED.put("gateway", Set.of("signal-model", "sensor-drivers", "realtime-dsp", "edge-inference", "mqtt-bridge",
                "local-ui"));
        ALLOWED.put("hw-tests", Set.of("signal-model", "sensor-drivers"));
    }

    /** Test-scope exceptions: a stage's tests may use the simulator as a signal source. */
    static final Map<String, Set<String>> ALLOWED_IN_TESTS = Map.of(
            "realtime-dsp", Set.of("sensor-drivers"),
            "edge-inference", Set.of("sensor-drivers"),
            "mqtt-bridge", Set.of("sensor-drivers"),
            "local-ui", Set.of("sensor-drivers"));

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // production classes only: not the test classes of this module, nor of local-ui's test jar (its browser
        // driver), which this module's tests use
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.cardiogate");
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        assertThat(p).as("project root with mvnw above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    @Test
    void everyModuleOfTheParentPomHasARuleAndNoOthers() throws Exception {
        Document parent = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root().resolve("pom.xml").toFile());
        NodeList modules = parent.getElementsByTagName("module");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) {
            names.add(modules.item(i).getTextContent().trim());
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
    }

    static List<String> modules() {
        return List.copyOf(ALLOWED.keySet());
    }

    @ParameterizedTest
    @MethodSource("modules")
    void pomDependsOnlyOnModulesBelowIt(String module) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root().resolve(module).resolve("pom.xml").toFile());
        NodeList deps = pom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String group = d.getElementsByTagName("groupId").item(0).getTextContent().trim();
            if (!group.equals("org.cardiogate")) {
                continue;
            }
            String artifact = d.getElementsByTagName("artifactId").item(0).getTextContent().trim();
            NodeList scope = d.getElementsByTagName("scope");
            boolean test = scope.getLength() > 0 && scope.item(0).getTextContent().trim().equals("test");
            boolean allowed = ALLOWED.get(module).contains(artifact)
                    || (test && ALLOWED_IN_TESTS.getOrDefault(module, Set.of()).contains(artifact));
            assertThat(allowed).as(module + " must not depend on " + artifact + (test ? " (test scope)" : "")).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("modules")
    void codeReachesOnlyIntoAllowedModules(String module) {
        if (module.equals("hw-tests")) {
            return; // not on the gateway's class path; its POM is checked above
        }
        String own = PACKAGE.get(module);
        List<String> forbidden = new ArrayList<>();
        for (var e : PACKAGE.entrySet()) {
            if (!e.getKey().equals(module) && !ALLOWED.get(module).contains(e.getKey())) {
                forbidden.add(e.getValue() + "..");
            }
        }
        noClasses().that().resideInAPackage(own + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("the module graph is drivers -> dsp -> inference -> bridge/ui, wired in gateway only")
                .allowEmptyShould(true)
                .check(classes);
    }
}
