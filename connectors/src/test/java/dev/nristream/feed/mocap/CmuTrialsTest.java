package dev.nristream.feed.mocap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every trial of the real CMU subject 35 data, checked against facts read independently from the files. */
class CmuTrialsTest {

    private static AsfSkeleton skeleton;
    private static List<Path> trials;

    @BeforeAll
    static void load() throws IOException {
        Path dir = TestData.cmuSubject35();
        skeleton = AsfSkeleton.parse(dir.resolve("35.asf"));
        try (Stream<Path> s = Files.list(dir)) {
            trials = s.filter(p -> p.toString().endsWith(".amc")).sorted().toList();
        }
    }

    @Test
    void skeletonHas31JointsAnd30Edges() {
        assertThat(skeleton.jointNames()).hasSize(31).startsWith("root", "lhipjoint", "lfemur");
        assertThat(skeleton.edges()).hasSize(30);
        // Every bone is the child of exactly one edge; the root is nobody's child.
        assertThat(skeleton.edges().stream().map(SkeletonEdge::child).distinct())
                .containsExactlyInAnyOrderElementsOf(skeleton.jointNames().subList(1, 31));
        assertThat(skeleton.edges()).contains(new SkeletonEdge("root", "lhipjoint"),
                new SkeletonEdge("thorax", "lclavicle"), new SkeletonEdge("rwrist", "rthumb"));
        assertThat(skeleton.metresPerUnit()).isCloseTo(0.05644, within(1e-5));
    }

    @Test
    void everyTrialParsesWith31JointsPreservedFrameNumbersRigidBonesAndTheRootOnItsTranslation() throws IOException {
        assertThat(trials).hasSize(20);
        Map<String, Double> boneLength = new HashMap<>();
        skeleton.bones().forEach(b -> boneLength.put(b.name(), b.length()));
        long total = 0;
        for (Path amc : trials) {
            AmcFacts facts = AmcFacts.read(amc);
            FeedProblems problems = FeedProblems.silent();
            List<Long> numbers = new ArrayList<>();
            try (MocapFrameSource src = MocapFrameSource.open(skeleton, amc, MocapOptions.defaults(), problems)) {
                int k = 0;
                while (src.hasNext()) {
                    PositionFrame f = src.next();
                    numbers.add(f.getFrameIndex());
                    assertThat(f.getSceneId()).isEqualTo("cmu-" + MocapFrameSource.trialName(amc));
                    assertThat(f.getSourceKind()).isEqualTo(SourceKind.MOCAP);
                    assertThat(f.getSamplingRateHz()).isEqualTo(120.0);
                    assertThat(f.getAgents()).extracting(Agent::getId).containsExactlyElementsOf(skeleton.jointNames());
                    Map<String, Agent> byId = new HashMap<>();
                    f.getAgents().forEach(a -> byId.put(a.getId(), a));
                    double[] t = facts.rootTranslation.get(k);
                    Agent root = byId.get("root");
                    assertThat(new double[] {root.getX(), root.getY(), root.getZ()}).containsExactly(t, within(1e-9));
                    for (SkeletonEdge e : skeleton.edges()) {
                        double len = distance(byId.get(e.parent()), byId.get(e.child()));
                        assertThat(len).as("%s %s frame %d", amc.getFileName(), e, f.getFrameIndex())
                                .isCloseTo(boneLength.get(e.child()), within(1e-6));
                    }
                    // Walking on a floor at y = 0: in every frame one foot touches it (the lowest foot point
                    // stays within ~1 ASF unit, 6 cm, of the floor), and the head stays at standing height.
                    // A wrong rotation convention lifts the feet off the floor.
                    double lowestFoot = Stream.of("lfoot", "ltoes", "rfoot", "rtoes")
                            .mapToDouble(j -> byId.get(j).getY()).min().orElseThrow();
                    assertThat(lowestFoot).as("%s frame %d", amc.getFileName(), f.getFrameIndex())
                            .isBetween(-0.5, 1.5);
                    assertThat(byId.get("head").getY()).isBetween(28.0, 30.0);
                    k++;
                }
            }
            assertThat(numbers).as(amc.toString()).containsExactlyElementsOf(facts.frameNumbers);
            assertThat(problems.problemCount()).as(problems.summary()).isZero();
            total += numbers.size();
        }
        assertThat(total).isGreaterThan(7000);
    }

    @Test
    void metresScaleEveryCoordinateByTheAsfUnit() throws IOException {
        Path amc = trials.get(0);
        List<PositionFrame> asf = read(amc, MocapOptions.defaults());
        List<PositionFrame> m = read(amc, MocapOptions.defaults().withMetres(true));
        assertThat(m).hasSameSizeAs(asf);
        assertThat(m.get(0).getCoordinates().getUnit()).isEqualTo("m");
        assertThat(asf.get(0).getCoordinates().getUnit()).isEqualTo("asf");
        double s = 0.0254 / 0.45;
        for (int i = 0; i < m.size(); i += 37) {
            for (int j = 0; j < 31; j++) {
                Agent a = asf.get(i).getAgents().get(j);
                Agent b = m.get(i).getAgents().get(j);
                assertThat(b.getX()).isCloseTo(a.getX() * s, within(1e-9));
                assertThat(b.getZ()).isCloseTo(a.getZ() * s, within(1e-9));
            }
        }
        // A person about 1.7 m tall: head height above the lower toe.
        PositionFrame f = m.get(0);
        double head = f.getAgents().get(skeleton.jointNames().indexOf("head")).getY();
        double toe = Math.min(f.getAgents().get(skeleton.jointNames().indexOf("ltoes")).getY(),
                f.getAgents().get(skeleton.jointNames().indexOf("rtoes")).getY());
        assertThat(head - toe).isBetween(1.4, 2.0);
    }

    @Test
    void fpsKeepsEveryNthAmcFrameWithAnExactRate() throws IOException {
        Path amc = trials.stream().filter(p -> p.getFileName().toString().equals("35_02.amc")).findFirst()
                .orElseThrow();
        AmcFacts facts = AmcFacts.read(amc);
        List<PositionFrame> frames = read(amc, MocapOptions.defaults().withFps(30));
        long first = facts.frameNumbers.get(0);
        List<Long> expected = facts.frameNumbers.stream().filter(n -> (n - first) % 4 == 0).toList();
        assertThat(frames).extracting(PositionFrame::getFrameIndex).containsExactlyElementsOf(expected);
        assertThat(frames).allSatisfy(f -> assertThat(f.getSamplingRateHz()).isEqualTo(30.0));
        // Event times stay on the original 120 Hz clock: 4 frames = 33.3 ms apart.
        assertThat(frames.get(1).getEventTimeMs() - frames.get(0).getEventTimeMs()).isBetween(33L, 34L);
    }

    private static List<PositionFrame> read(Path amc, MocapOptions o) throws IOException {
        List<PositionFrame> out = new ArrayList<>();
        try (MocapFrameSource src = MocapFrameSource.open(skeleton, amc, o, FeedProblems.silent())) {
            src.forEachRemaining(out::add);
        }
        return out;
    }

    private static double distance(Agent a, Agent b) {
        double dx = a.getX() - b.getX();
        double dy = a.getY() - b.getY();
        double dz = a.getZ() - b.getZ();
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** Frame numbers and root translations read with a plain scan, independent of the parser. */
    private record AmcFacts(List<Long> frameNumbers, List<double[]> rootTranslation) {
        static AmcFacts read(Path amc) throws IOException {
            List<Long> numbers = new ArrayList<>();
            List<double[]> roots = new ArrayList<>();
            for (String raw : Files.readAllLines(amc, StandardCharsets.ISO_8859_1)) {
                String l = raw.strip();
                if (l.matches("\\d+")) {
                    numbers.add(Long.parseLong(l));
                } else if (l.startsWith("root ")) {
                    String[] t = l.split("\\s+");
                    roots.add(new double[] {Double.parseDouble(t[1]), Double.parseDouble(t[2]),
                        Double.parseDouble(t[3])});
                }
            }
            return new AmcFacts(numbers, roots);
        }
    }
}
