package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
}
