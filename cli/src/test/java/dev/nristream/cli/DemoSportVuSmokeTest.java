package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nristream.feed.nba.ClevelandGameFile;
import dev.nristream.feed.nba.ClevelandTracking;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri demo --scenario sportvu} without a game file: the real Cleveland test plays (never trained on) as
 * SportVU moments, 3D frames with the ball's height, through the job to the shipped models/nba, which reads their
 * court plane. Every window is scored by that model, none is out of its trained range, nothing is dead-lettered,
 * and the one-step forecast is far closer than a player standing still.
 */
class DemoSportVuSmokeTest {

    private static final Path NBA = Path.of(System.getProperty("nri.shared.data", "../../shared/data"),
            "nba-tracking");

    @TempDir
    Path tmp;

    @Test
    void theBasketballModelScoresTheRealTestPlays() throws Exception {
        Path summary = tmp.resolve("summary.json");
        DemoCommandTest.Run r = DemoCommandTest.run("demo", "--scenario", "sportvu", "--duration", "40s",
                "--summary", summary.toString(), "--log", tmp.resolve("demo.log").toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(summary.toFile());
        assertThat(j.get("outcome").asText()).isEqualTo("completed");
        assertThat(j.get("model").get("id").asText()).isEqualTo("nba");
        assertThat(j.get("records_per_topic").get("nri.graphs").asLong()).isPositive();
        assertThat(j.get("records_per_topic").get("nri.forecasts").asLong()).isPositive();
        // before feed_dims, every SportVU frame was refused: the players carry no z, the 2D model no third axis
        assertThat(j.get("dead_letters_by_kind").size()).as("dead letters %s", j.get("dead_letters_by_kind"))
                .isZero();
        assertThat(j.get("graphs_out_of_range").asLong()).isZero();
        assertThat(j.get("forecast_error_unit").asText()).isEqualTo("ft");
        JsonNode first = j.get("forecast_error_by_step").get(0);
        assertThat(first.get("step").asInt()).isEqualTo(1);
        assertThat(first.get("mean_error").asDouble()).isPositive()
                .isLessThan(0.5 * standingStillError());
    }

    @Test
    void playsWithoutTheBallOrWithAPlayerMissingNowAndThenAreScoredToo() throws Exception {
        // The real test plays' 4th and 5th pieces: the 4th without the ball (10 agents, as SportVU logs often are),
        // the 5th with one player missing from every 5th moment (a tracking dropout).
        Path game = tmp.resolve("cle-test.json");
        ClevelandGameFile.write(NBA, "test", game, 1_453_590_000_000L);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(game.toFile());
        ArrayNode kept = json.createArrayNode();
        for (JsonNode event : root.get("events")) {
            String id = event.get("eventId").asText();
            if (!id.equals("4") && !id.equals("5")) {
                continue;
            }
            int m = 0;
            for (JsonNode moment : event.get("moments")) {
                ArrayNode rows = (ArrayNode) moment.get(5);
                for (int r = rows.size() - 1; r >= 0; r--) {
                    long player = rows.get(r).get(1).asLong();
                    boolean drop = id.equals("4") ? player == -1
                            : m % 5 == 2 && player == ClevelandGameFile.playerId(5);
                    if (drop) {
                        rows.remove(r);
                    }
                }
                m++;
            }
            kept.add(event);
        }
        root.set("events", kept);
        json.writeValue(game.toFile(), root);

        Path summary = tmp.resolve("summary.json");
        DemoCommandTest.Run r = DemoCommandTest.run("demo", "--scenario", "sportvu", game.toString(), "--duration",
                "40s", "--summary", summary.toString(), "--log", tmp.resolve("demo.log").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode j = json.readTree(summary.toFile());
        assertThat(j.get("model").get("id").asText()).isEqualTo("nba");
        assertThat(j.get("dead_letters_by_kind").size()).as("dead letters %s", j.get("dead_letters_by_kind"))
                .isZero();
        assertThat(j.get("graphs_out_of_range").asLong()).isZero();
        Map<String, JsonNode> scenes = new java.util.HashMap<>();
        j.get("scenes").forEach(s -> scenes.put(s.get("id").asText(), s));
        assertThat(scenes.get("cle4-p4").get("graphs").asInt()).isPositive();
        assertThat(scenes.get("cle4-p4").get("agents").asInt()).isEqualTo(10);
        assertThat(scenes.get("cle4-p5").get("graphs").asInt()).isPositive();
        assertThat(scenes.get("cle4-p5").get("agents").asInt()).isEqualTo(11); // the gaps filled, not dropped
    }

    /** Mean distance an agent moves in one 5 Hz step over the test plays: the error of forecasting no motion. */
    static double standingStillError() throws Exception {
        ClevelandTracking t = ClevelandTracking.read(NBA.resolve(ClevelandTracking.FRAMES_FILE),
                NBA.resolve(ClevelandTracking.PLAYS_FILE));
        List<ClevelandTracking.Play> plays = t.plays();
        double sum = 0;
        long n = 0;
        for (ClevelandTracking.Play p : plays.subList(205, plays.size())) { // the test split (NbaCommandTest)
            for (int f = p.start() + 1; f < p.stop(); f++) {
                for (int a = 0; a <= ClevelandTracking.PLAYERS; a++) {
                    double d = Math.hypot(t.frame(f)[a][0] - t.frame(f - 1)[a][0],
                            t.frame(f)[a][1] - t.frame(f - 1)[a][1]);
                    if (d < 10) { // the dataset's cut: a longer jump is a tracking glitch
                        sum += d;
                        n++;
                    }
                }
            }
        }
        assertThat(sum / n).as("standing-still error, ft").isGreaterThan(0.5); // players move ~1 ft per step
        return sum / n;
    }
}
