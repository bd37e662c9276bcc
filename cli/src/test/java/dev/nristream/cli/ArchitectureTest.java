package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The module graph, read from the poms, against the layout: one module per stage, arrows only downstream. A module
 * that reaches one it must not (the analytics reaching the Flink job, the job reaching the trainer, the simulators
 * or the feeds, anything reaching the cli) fails here, naming the module, the dependency and its scope.
 */
class ArchitectureTest {

    /** What each module's own code (compile, runtime and provided scope) may depend on. */
    static final Map<String, Set<String>> MAIN = new LinkedHashMap<>();
    /** What each module's tests may add: the service harness, and simulated scenes as job test input. */
    static final Map<String, Set<String>> TEST = new LinkedHashMap<>();

    static {
        MAIN.put("schemas", Set.of());
        MAIN.put("model", Set.of());
        MAIN.put("sim", Set.of("model"));
        MAIN.put("kafka-broker", Set.of());
        MAIN.put("sandbox", Set.of("schemas", "kafka-broker"));
        MAIN.put("connectors", Set.of("schemas", "model", "sim"));
        MAIN.put("flink-jobs", Set.of("schemas", "model"));
        MAIN.put("analytics", Set.of("schemas"));
        MAIN.put("trainer", Set.of("model", "sim"));
        MAIN.put("cli", Set.of("schemas", "model", "sim", "sandbox", "kafka-broker", "connectors", "flink-jobs",
                "analytics", "trainer"));
        // The consumer examples need what a consumer has: the schemas.
        MAIN.put("examples/java", Set.of("schemas"));
        // Tests that start the broker need its class path (kafka-broker holds no code, only that list).
        for (String m : MAIN.keySet()) {
            TEST.put(m, Set.of("sandbox", "kafka-broker"));
        }
        TEST.put("flink-jobs", Set.of("sandbox", "kafka-broker", "sim"));
        // The web view's browser test draws frames of a real simulated feed.
        TEST.put("analytics", Set.of("sandbox", "kafka-broker", "sim", "connectors"));
        // The end-to-end test runs the example consumers (artifact nri-examples, module examples/java) against the job.
        TEST.put("cli", Set.of("sandbox", "kafka-broker", "examples"));
    }

    static Path root;
    static Map<String, List<Dep>> graph;

    record Dep(String module, String scope) {
    }

    @BeforeAll
    static void readPoms() throws Exception {
        root = Path.of(System.getProperty("nri.project.root", "..")).toAbsolutePath().normalize();
        graph = new TreeMap<>();
        for (String module : modules(parse(root.resolve("pom.xml")))) {
            graph.put(module, internalDependencies(parse(root.resolve(module).resolve("pom.xml"))));
        }
    }

    @Test
    void everyModuleHasARule() {
        assertThat(graph.keySet()).as("modules in the parent pom").containsExactlyInAnyOrderElementsOf(MAIN.keySet());
    }

    @Test
    void modulesReachOnlyTheModulesTheLayoutAllows() {
        List<String> violations = new ArrayList<>();
        graph.forEach((module, deps) -> {
            for (Dep d : deps) {
                boolean test = d.scope().equals("test");
                Set<String> allowed = new TreeSet<>(MAIN.getOrDefault(module, Set.of()));
                if (test) {
                    allowed.addAll(TEST.getOrDefault(module, Set.of()));
                }
                if (!allowed.contains(d.module())) {
                    violations.add(module + " -> " + d.module() + " (" + d.scope() + " scope)");
                }
            }
        });
        assertThat(violations).as("dependencies the layout forbids").isEmpty();
    }

    @Test
    void theRulesThemselvesForbidTheArrowsTheLayoutIsAbout() {
        assertThat(MAIN.get("analytics")).containsOnly("schemas");
        assertThat(MAIN.get("flink-jobs")).doesNotContain("trainer", "sim", "connectors", "sandbox", "cli");
        MAIN.forEach((m, deps) -> assertThat(deps).as(m).doesNotContain("cli"));
        TEST.forEach((m, deps) -> assertThat(deps).as(m + " tests").doesNotContain("cli", "flink-jobs", "trainer"));
    }

    @Test
    void theCheckSeesAForbiddenArrow() throws Exception {
        // The same reading on a pom that has the analytics reach the job: the rule must see it.
        Path pom = Files.createTempFile("analytics-", ".xml");
        try {
            Files.writeString(pom, """
                    <project><dependencies>
                      <dependency><groupId>dev.nristream</groupId><artifactId>nri-schemas</artifactId></dependency>
                      <dependency><groupId>dev.nristream</groupId><artifactId>nri-flink-jobs</artifactId></dependency>
                      <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-streams</artifactId></dependency>
                    </dependencies></project>
                    """);
            List<Dep> deps = internalDependencies(parse(pom));
            assertThat(deps).containsExactly(new Dep("schemas", "compile"), new Dep("flink-jobs", "compile"));
            assertThat(deps).anyMatch(d -> !MAIN.get("analytics").contains(d.module()));
        } finally {
            Files.deleteIfExists(pom);
        }
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static List<String> modules(Document parent) {
        List<String> out = new ArrayList<>();
        NodeList l = parent.getElementsByTagName("module");
        for (int i = 0; i < l.getLength(); i++) {
            out.add(l.item(i).getTextContent().strip());
        }
        return out;
    }

    /** The project's own artifacts ({@code dev.nristream:nri-X}) among the dependencies, outside dependencyManagement. */
    static List<Dep> internalDependencies(Document pom) {
        List<Dep> out = new ArrayList<>();
        NodeList l = pom.getElementsByTagName("dependency");
        for (int i = 0; i < l.getLength(); i++) {
            Element d = (Element) l.item(i);
            if (insideDependencyManagement(d) || !"dev.nristream".equals(text(d, "groupId"))) {
                continue;
            }
            String artifact = text(d, "artifactId");
            String scope = text(d, "scope");
            out.add(new Dep(artifact.replaceFirst("^nri-", ""), scope == null ? "compile" : scope));
        }
        return out;
    }

    private static boolean insideDependencyManagement(Node n) {
        for (Node p = n.getParentNode(); p != null; p = p.getParentNode()) {
            if ("dependencyManagement".equals(p.getNodeName())) {
                return true;
            }
        }
        return false;
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
    }
}
