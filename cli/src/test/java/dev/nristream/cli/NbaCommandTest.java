package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import dev.nristream.feed.nba.ClevelandTracking;
import dev.nristream.replay.Feeds;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NbaCommandTest {

    private static final Path DIR = Path.of(System.getProperty("nri.shared.data"), "nba-tracking");

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void datasetWritesTheLayoutAndAProvenanceLineThatMakesTheSameBytes() throws IOException {
        Path ds = tmp.resolve("nba");
        assertThat(run("nba", "dataset", "--data", DIR.toString(), "--out", ds.toString(), "--train-hop", "5"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("train plays   0-168 (169)").contains("loc_train_nba.npy")
                .contains(", 25, 2, 11)");
        JsonNode p = new ObjectMapper().readTree(ds.resolve("dataset_nba.json").toFile());
        assertThat(p.get("sampling_rate_hz").asDouble()).isEqualTo(5.0);
        assertThat(p.get("atoms").asInt()).isEqualTo(11);
        assertThat(p.get("roles").get(10).asText()).isEqualTo("ball");
        // the model trained on it reads the court plane of SportVU's 3D frames (model.json feed_dims)
        assertThat(p.get("spatial_dims").asInt()).isEqualTo(2);
        assertThat(p.get("feed_dims").asInt()).isEqualTo(3);
        String reproduce = p.get("reproduce").asText();
        assertThat(reproduce).startsWith("./nri nba dataset ").contains("--train-hop 5").contains("--suffix _nba");

        Path again = tmp.resolve("again");
        List<String> args = new ArrayList<>(List.of(reproduce.substring("./nri ".length()).split(" ")));
        args.addAll(List.of("--out", again.toString()));
        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
        for (String split : List.of("train", "valid", "test")) {
            for (String kind : List.of("loc", "vel", "edges")) {
                String f = kind + "_" + split + "_nba.npy";
                assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(ds.resolve(f)));
            }
        }
    }

    @Test
    void badSettingsAndAMissingFolderExitWithTwoAndSayWhy() {
        assertThat(run("nba", "dataset", "--data", tmp.resolve("none").toString(), "--out", tmp.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no such file").contains("cle_4games_5hz_players_ball.csv");
        err.getBuffer().setLength(0);
        assertThat(run("nba", "dataset", "--data", DIR.toString(), "--out", tmp.toString(), "--train-percent", "90",
                "--valid-percent", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("leave >= 1% of the plays for test");
    }

    @Test
    void gameWritesTheTestPlaysAsASportVuGameFileThatTheFeedReadsBackExactly() throws IOException {
        Path game = tmp.resolve("cle-test.json");
        assertThat(run("nba", "game", "--data", DIR.toString(), "--out", game.toString(), "--start", "1000000"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("the test split, 37 plays as").contains("moments at 5.0 Hz");

        ClevelandTracking t = ClevelandTracking.read(DIR.resolve(ClevelandTracking.FRAMES_FILE),
                DIR.resolve(ClevelandTracking.PLAYS_FILE));
        // the test split: the plays after the first 70% + 15% (169 + 36 of 242), never trained on
        ClevelandTracking.Play first = t.plays().get(205);
        List<PositionFrame> frames = new ArrayList<>();
        FeedProblems problems = FeedProblems.silent();
        try (FrameSource src = Feeds.sportVu(List.of(game)).open(problems)) {
            while (src.hasNext()) {
                frames.add(src.next());
            }
        }
        assertThat(problems.problemCount()).as("%s", problems.counts()).isZero();
        assertThat(frames).hasSizeGreaterThan(1000);
        PositionFrame f0 = frames.get(0);
        assertThat(f0.getSceneId()).isEqualTo("cle4-p1");
        assertThat(f0.getSourceKind()).isEqualTo(SourceKind.SPORTVU);
        assertThat(f0.getCoordinates().getDimensions()).isEqualTo(3);
        assertThat(f0.getEventTimeMs()).isEqualTo(1_000_000L + first.start() * 200L);
        assertThat(f0.getAgents()).hasSize(11);
        Agent ball = f0.getAgents().stream().filter(a -> a.getId().equals("ball")).findFirst().orElseThrow();
        assertThat(ball.getX()).isCloseTo(t.frame(first.start())[10][0], within(1e-4));
        assertThat(ball.getZ()).isCloseTo(t.ballHeightFt(first.start()), within(1e-4));
        assertThat(f0.getAgents().stream().filter(a -> a.getZ() == null)).hasSize(10);
        // every piece of a play is a scene of its own; frames within one are 200 ms apart
        long scenes = frames.stream().map(PositionFrame::getSceneId).distinct().count();
        assertThat(scenes).isGreaterThanOrEqualTo(37);
        assertThat(frames.get(1).getEventTimeMs() - f0.getEventTimeMs()).isEqualTo(200L);
    }
}
