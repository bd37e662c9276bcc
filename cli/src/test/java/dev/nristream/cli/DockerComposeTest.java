package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.analytics.AnalyticsCommand;
import dev.nristream.analytics.AnalyticsService;
import dev.nristream.topic.TopicSpec;
import dev.nristream.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * docker-compose.yml without Docker (docker/compose-check.sh, run by CI after the test suite, runs it for real):
 * services, pinned images matching the build's versions, ports, volumes, and that every jar, script, model and data
 * path it mounts is in the repository or produced by the build, and that every ./nri command it runs parses.
 */
class DockerComposeTest {

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z0-9_]+):-([^}]*)}");

    private static Path root;
    private static JsonNode services;
    private static JsonNode compose;

    @BeforeAll
    static void load() throws Exception {
        root = Path.of(System.getProperty("nri.project.root", "..")).toAbsolutePath().normalize();
        // SnakeYAML (under jackson-dataformat-yaml) resolves the anchors and merge keys (<<) Docker Compose
        // resolves; Jackson's YAML parser leaves merge keys as plain keys.
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(root.resolve("docker-compose.yml")));
        compose = new ObjectMapper().valueToTree(tree);
        services = compose.get("services");
    }

    /** {@code ${VAR:-default}} -> default, as Compose does when VAR is unset. */
    private static String defaults(String s) {
        return VAR.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(2)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String pomProperty(String name) throws Exception {
        Document pom = xml(root.resolve("pom.xml"));
        return pom.getElementsByTagName(name).item(0).getTextContent().trim();
    }

    private static Document xml(Path p) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(p.toFile());
    }

    @Test
    void servicesAreTheClusterTheAnalyticsAndTheReplays() {
        Set<String> names = new HashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("kafka", "schema-registry", "topics", "jobmanager", "taskmanager",
                "analytics", "replay-mocap", "replay-nba", "replay-springs", "replay-sportvu");
        services.fields().forEachRemaining(s -> {
            JsonNode deps = s.getValue().get("depends_on");
            if (deps != null) {
                List<String> targets = new ArrayList<>();
                if (deps.isArray()) {
                    deps.forEach(d -> targets.add(d.asText()));
                } else {
                    deps.fieldNames().forEachRemaining(targets::add);
                }
                assertThat(names).as(s.getKey() + " depends_on").containsAll(targets);
            }
        });
    }

    @Test
    void imagesArePinnedToTheBuildsVersions() throws Exception {
        Map<String, String> images = new HashMap<>();
        services.fields().forEachRemaining(s -> images.put(s.getKey(), defaults(s.getValue().get("image").asText())));
        images.forEach((service, image) -> {
            assertThat(image).as(service).matches("[a-z0-9./-]+:[A-Za-z0-9._-]+");
            assertThat(image).as(service).doesNotEndWith(":latest");
        });
        assertThat(images.get("kafka")).isEqualTo("apache/kafka:" + pomProperty("kafka.broker.version"));
        assertThat(images.get("topics")).isEqualTo(images.get("kafka"));
        assertThat(images.get("jobmanager")).startsWith("flink:" + pomProperty("flink.version") + "-")
                .endsWith("-java" + pomProperty("maven.compiler.release"));
        assertThat(images.get("taskmanager")).isEqualTo(images.get("jobmanager"));
        assertThat(images.get("schema-registry")).matches("confluentinc/cp-schema-registry:\\d+\\.\\d+\\.\\d+");
        for (String app : List.of("analytics", "replay-mocap", "replay-nba", "replay-springs", "replay-sportvu")) {
            assertThat(images.get(app)).as(app)
                    .isEqualTo("eclipse-temurin:" + pomProperty("maven.compiler.release") + "-jre");
        }
    }

    @Test
    void publishedPortsAreDistinctAndTheAnalyticsServeAndCheckTheirPort() {
        Map<String, String> hostPorts = new HashMap<>();
        services.fields().forEachRemaining(s -> strings(s.getValue().get("ports")).forEach(p -> {
            String host = p.split(":")[0];
            assertThat(hostPorts.put(host, s.getKey())).as("host port " + host + " published twice").isNull();
        }));
        assertThat(hostPorts).containsEntry("9092", "kafka").containsEntry("8081", "schema-registry")
                .containsEntry("8090", "analytics");
        JsonNode analytics = services.get("analytics");
        List<String> cmd = strings(analytics.get("command"));
        String port = cmd.get(cmd.indexOf("--port") + 1);
        assertThat(port).isEqualTo(Integer.toString(AnalyticsService.DEFAULT_HTTP_PORT));
        assertThat(strings(analytics.get("ports"))).containsExactly(port + ":" + port);
        String health = String.join(" ", strings(analytics.get("healthcheck").get("test")));
        assertThat(health).contains("/dev/tcp/127.0.0.1/" + port).contains("GET /health");
    }

    @Test
    void everyMountedPathIsInTheRepositoryOrProducedByTheBuild() throws Exception {
        Set<String> namedVolumes = new HashSet<>();
        compose.get("volumes").fieldNames().forEachRemaining(namedVolumes::add);
        Set<String> checked = new LinkedHashSet<>();
        var it = services.fields();
        while (it.hasNext()) {
            var s = it.next();
            for (String v : strings(s.getValue().get("volumes"))) {
                String source = defaults(v).split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/") && !source.startsWith("~")) {
                    assertThat(namedVolumes).as(s.getKey() + " volume " + source).contains(source);
                    continue;
                }
                if (source.startsWith("~")) {
                    assertThat(source).as("only the Maven repository comes from the home directory")
                            .isEqualTo("~/.m2/repository");
                    continue;
                }
                checked.add(source);
            }
        }
        Path sharedData = Path.of(System.getProperty("nri.shared.data")).toRealPath();
        Set<Path> jars = producedJars();
        // Soft: one run names every missing piece (they come from different modules).
        SoftAssertions soft = new SoftAssertions();
        for (String source : checked) {
            Path p = root.resolve(source).normalize();
            if (source.equals(".")) {
                continue;
            }
            if (source.equals("../shared/data")) {
                soft.assertThat(p.toRealPath()).as("the data beside the repository").isEqualTo(sharedData);
            } else if (source.endsWith(".jar")) {
                soft.assertThat(jars).as("jar mounted from " + source + " must be built by a pom (flink-jobs: "
                        + "maven-shade-plugin with shadedClassifierName 'job', issue 6)").contains(p);
            } else if (source.startsWith("./models/")) {
                // The shipped model is a training output, not a build output: checked on its own in
                // defaultModelDirectoryIsShipped, which waits for it like the job's accuracy test does.
                soft.assertThat(p.getParent()).as("models directory for " + source).isDirectory();
            } else {
                soft.assertThat(p).as(source).exists();
            }
        }
        soft.assertAll();
        assertThat(checked).contains(".", "../shared/data", "./models/springs5-live",
                "./flink-jobs/target/nri-flink-jobs-0.1.0-SNAPSHOT-job.jar");
    }

    @Test
    void defaultModelDirectoryIsShipped() {
        Path model = root.resolve("models/springs5-live");
        assertThat(model.resolve("model.json")).isRegularFile();
        assertThat(model.resolve("encoder.onnx")).isRegularFile();
        assertThat(model.resolve("decoder.onnx")).isRegularFile();
    }

    /** Jars the poms produce: each module's main jar, shaded jars (by classifier) and the CLI's final name. */
    private static Set<Path> producedJars() throws Exception {
        String version = xml(root.resolve("pom.xml")).getElementsByTagName("version").item(0).getTextContent().trim();
        Set<Path> jars = new HashSet<>();
        NodeList modules = xml(root.resolve("pom.xml")).getElementsByTagName("module");
        for (int m = 0; m < modules.getLength(); m++) {
            String module = modules.item(m).getTextContent().trim();
            Document pom = xml(root.resolve(module).resolve("pom.xml"));
            String artifact = ((Element) pom.getDocumentElement()).getElementsByTagName("artifactId").item(1)
                    .getTextContent().trim();
            Path target = root.resolve(module).resolve("target");
            NodeList finalName = pom.getElementsByTagName("finalName");
            String base = finalName.getLength() > 0 ? finalName.item(0).getTextContent().trim()
                    : artifact + "-" + version;
            jars.add(target.resolve(base + ".jar"));
            NodeList plugins = pom.getElementsByTagName("plugin");
            for (int i = 0; i < plugins.getLength(); i++) {
                Element plugin = (Element) plugins.item(i);
                if (!plugin.getElementsByTagName("artifactId").item(0).getTextContent().equals("maven-shade-plugin")) {
                    continue;
                }
                NodeList classifier = plugin.getElementsByTagName("shadedClassifierName");
                if (classifier.getLength() > 0) {
                    jars.add(target.resolve(base + "-" + classifier.item(0).getTextContent().trim() + ".jar"));
                }
            }
        }
        return jars;
    }

    @Test
    void appContainersRunTheBuildsCliThroughTheRepositoryScript() throws Exception {
        Path script = root.resolve("docker/nri.sh");
        assertThat(script).isRegularFile();
        String text = Files.readString(script);
        assertThat(text).contains("/nri/cli/target/classpath.txt", "/nri/cli/target/nri-cli.jar",
                "dev.nristream.cli.Nri");
        assertThat(producedJars()).contains(root.resolve("cli/target/nri-cli.jar"),
                root.resolve("analytics/target/nri-analytics.jar"));
        String cliPom = Files.readString(root.resolve("cli/pom.xml"));
        assertThat(cliPom).contains("<outputFile>${project.build.directory}/classpath.txt</outputFile>");
        // The analytics run alone on their own module's class path (NRI_APP=analytics).
        assertThat(text).contains("/nri/analytics/target/classpath.txt", "/nri/analytics/target/nri-analytics.jar",
                "dev.nristream.analytics.AnalyticsCommand");
        String analyticsPom = Files.readString(root.resolve("analytics/pom.xml"));
        assertThat(analyticsPom).contains("<finalName>nri-analytics</finalName>",
                "<outputFile>${project.build.directory}/classpath.txt</outputFile>");
        assertThat(services.get("analytics").get("environment").get("NRI_APP").asText()).isEqualTo("analytics");
        for (String app : List.of("analytics", "replay-mocap", "replay-nba", "replay-springs", "replay-sportvu")) {
            assertThat(strings(services.get(app).get("entrypoint"))).as(app)
                    .containsExactly("bash", "/nri/docker/nri.sh");
            assertThat(strings(services.get(app).get("volumes"))).as(app).contains(".:/nri:ro");
        }
    }

    @Test
    void everyNriCommandParses() {
        List<String> analytics = strings(services.get("analytics").get("command")).stream()
                .map(DockerComposeTest::defaults).collect(Collectors.toList());
        AnalyticsCommand.commandLine().parseArgs(analytics.toArray(String[]::new));
        for (String app : List.of("replay-mocap", "replay-nba", "replay-springs", "replay-sportvu")) {
            List<String> args = strings(services.get(app).get("command")).stream().map(DockerComposeTest::defaults)
                    .collect(Collectors.toList());
            CommandLine cli = Nri.commandLine();
            assertThat(cli.getSubcommands()).as("./nri " + args.get(0) + " run by service " + app
                    + " must be registered in Nri (replay commands: issue 5)").containsKey(args.get(0));
            cli.parseArgs(args.toArray(String[]::new));
        }
    }

    @Test
    void replaysReadDataThatExists() {
        Path data = Path.of(System.getProperty("nri.shared.data"));
        List<String> mocap = strings(services.get("replay-mocap").get("command"));
        String dir = mocap.get(mocap.indexOf("--dir") + 1);
        assertThat(dir).startsWith("/data/");
        assertThat(data.resolve(dir.substring("/data/".length()))).isDirectory();
        assertThat(strings(services.get("replay-mocap").get("volumes")))
                .contains("${NRI_DATA_DIR:-../shared/data}:/data:ro");
        assertThat(strings(services.get("replay-sportvu").get("profiles"))).containsExactly("sportvu");
        List<String> nba = strings(services.get("replay-nba").get("command"));
        String tracking = nba.get(nba.indexOf("--cleveland") + 1);
        assertThat(tracking).startsWith("/data/");
        assertThat(data.resolve(tracking.substring("/data/".length())).resolve("cle_4games_5hz_players_ball.csv"))
                .isRegularFile();
    }

    @Test
    void topicServiceCreatesEveryDeclaredTopic() {
        String script = String.join("\n", strings(services.get("topics").get("command")));
        Matcher m = Pattern.compile("for t in ([^;]+);").matcher(script);
        assertThat(m.find()).isTrue();
        Set<String> created = Set.of(m.group(1).trim().split("\\s+"));
        Set<String> declared = new HashSet<>();
        Topics.streamTopics().stream().map(TopicSpec::name).forEach(declared::add);
        Topics.analyticsTopics().stream().map(TopicSpec::name).forEach(declared::add);
        assertThat(created).isEqualTo(declared);
    }

    @Test
    void flinkRunsTheJobWithPrometheusMetricsAndTheMountedModel() throws Exception {
        for (String s : List.of("jobmanager", "taskmanager")) {
            String props = services.get(s).get("environment").get("FLINK_PROPERTIES").asText();
            assertThat(props).as(s).contains(
                    "metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                    "jobmanager.rpc.address: jobmanager");
            assertThat(strings(services.get(s).get("volumes"))).as(s)
                    .anyMatch(v -> v.endsWith(":/models/current:ro"))
                    .anyMatch(v -> v.endsWith(":/models/mocap:ro"))
                    .anyMatch(v -> v.endsWith(":/models/nba:ro"))
                    .anyMatch(v -> v.contains(":/opt/flink/usrlib/"));
            // The default model directories ship with the project.
            for (String v : strings(services.get(s).get("volumes"))) {
                Matcher d = Pattern.compile("\\$\\{NRI_[A-Z_]*MODEL_DIR:-\\./([^}]+)}:.*").matcher(v);
                if (d.matches()) {
                    assertThat(root.resolve(d.group(1)).resolve("model.json")).as(v).isRegularFile();
                }
            }
        }
        List<String> cmd = strings(services.get("jobmanager").get("command"));
        assertThat(cmd.get(0)).isEqualTo("standalone-job");
        // Three models side by side: springs and 2D feeds get the first, the mocap replay mocap35, SportVU nba
        // (docs/SERVING.md).
        assertThat(cmd.get(cmd.indexOf("--model.dir") + 1)).isEqualTo("/models/current,/models/mocap,/models/nba");
        // Every --key the job is given is one of the job's declared options.
        String jobConfig = Files.readString(root.resolve("flink-jobs/src/main/java/dev/nristream/job/JobConfig.java"));
        Set<String> keys = new HashSet<>();
        Matcher m = Pattern.compile("ConfigOptions\\.key\\(\"([^\"]+)\"\\)").matcher(jobConfig);
        while (m.find()) {
            keys.add(m.group(1));
        }
        cmd.stream().filter(a -> a.startsWith("--")).forEach(a -> assertThat(keys).as("job option " + a)
                .contains(a.substring(2)));
    }

    /**
     * Every image is {@code ${NRI_..._IMAGE:-official}}, and docker/compose-check.sh (which runs the file on images it
     * builds under docker/local/) sets each of those variables and the registry URL its registry serves.
     */
    @Test
    void imagesAreOverridableAndTheComposeCheckSetsEveryOverride() throws Exception {
        Pattern image = Pattern.compile("\\$\\{(NRI_[A-Z]+_IMAGE):-[^}]+}");
        Set<String> variables = new HashSet<>();
        services.fields().forEachRemaining(s -> {
            Matcher m = image.matcher(s.getValue().get("image").asText());
            assertThat(m.matches()).as(s.getKey() + " image " + s.getValue().get("image").asText()).isTrue();
            variables.add(m.group(1));
        });
        assertThat(variables).containsExactlyInAnyOrder("NRI_KAFKA_IMAGE", "NRI_REGISTRY_IMAGE", "NRI_FLINK_IMAGE",
                "NRI_JRE_IMAGE");
        String check = Files.readString(root.resolve("docker/compose-check.sh"));
        for (String v : variables) {
            assertThat(check).as("compose-check sets " + v).containsPattern("export [^\\n]*\\b" + v + "=");
            String dir = v.substring("NRI_".length(), v.length() - "_IMAGE".length()).toLowerCase();
            assertThat(root.resolve("docker/local").resolve(dir).resolve("Dockerfile")).as(v).isRegularFile();
        }
        assertThat(check).contains("export NRI_REGISTRY_URL=http://schema-registry:8081/apis/ccompat/v7");
        String compose = Files.readString(root.resolve("docker-compose.yml"));
        assertThat(compose).doesNotContain("\"http://schema-registry:8081\"")
                .contains("${NRI_REGISTRY_URL:-http://schema-registry:8081}");
    }
}
