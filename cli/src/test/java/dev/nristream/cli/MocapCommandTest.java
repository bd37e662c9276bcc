package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MocapCommandTest {

    private static final Path DIR = Path.of(System.getProperty("nri.shared.data"), "cmu-mocap", "subject35");

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
    void positionsWritesFrameJointXyzRowsWithAmcFrameNumbers() throws IOException {
        Path csv = tmp.resolve("out/35_30.csv");
        int code = run("mocap", "positions", "--asf", DIR.resolve("35.asf").toString(), "--amc",
                DIR.resolve("35_30.amc").toString(), "--out", csv.toString(), "--fps", "30");
        assertThat(code).as(err.toString()).isZero();
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo("frame,joint,x,y,z");
        // 35_30 holds AMC frames 160..412: every 4th from 160 is 64 frames.
        assertThat(rows).hasSize(1 + 64 * 31);
        assertThat(rows.get(1)).startsWith("160,root,");
        assertThat(rows.get(2)).startsWith("160,lhipjoint,");
        assertThat(rows.get(32)).startsWith("164,root,");
        assertThat(out.toString()).contains("wrote 64 frames x 31 joints").contains("ASF units");

        Path m = tmp.resolve("m.csv");
        assertThat(run("mocap", "positions", "--asf", DIR.resolve("35.asf").toString(), "--amc",
                DIR.resolve("35_30.amc").toString(), "--out", m.toString(), "--fps", "30", "--metres")).isZero();
        double xAsf = Double.parseDouble(rows.get(1).split(",")[2]);
        double xM = Double.parseDouble(Files.readAllLines(m).get(1).split(",")[2]);
        assertThat(xM).isCloseTo(xAsf * 0.0254 / 0.45, within(1e-9));
    }

    @Test
    void edgesPrintsTheThirtyParentChildPairs() {
        assertThat(run("mocap", "edges", "--asf", DIR.resolve("35.asf").toString())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("parent,child");
        assertThat(lines).hasSize(31).contains("root,lhipjoint", "lhipjoint,lfemur", "rhand,rfingers");
    }

    @Test
    void missingFilesExitWithTwo() {
        assertThat(run("mocap", "edges", "--asf", tmp.resolve("none.asf").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--asf: no such file").contains("none.asf");
        err.getBuffer().setLength(0);
        assertThat(run("mocap", "positions", "--asf", DIR.resolve("35.asf").toString(), "--amc",
                tmp.resolve("none.amc").toString(), "--out", tmp.resolve("o.csv").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--amc: no such file");
        err.getBuffer().setLength(0);
        assertThat(run("mocap", "positions", "--asf", DIR.resolve("35.asf").toString(), "--amc",
                DIR.resolve("35_30.amc").toString(), "--out", tmp.resolve("o.csv").toString(), "--fps", "50"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("must divide 120");
    }

    @Test
    void datasetWritesTheLayoutAndAProvenanceLineThatMakesTheSameBytes() throws IOException {
        Path ds = tmp.resolve("mocap");
        int code = run("mocap", "dataset", "--data", DIR.toString(), "--out", ds.toString(), "--train", "01,02",
                "--valid", "13", "--test", "28,30");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("test  trial 30: 253 frames").contains("4 phase(s) shorter than 81 steps")
                .contains("loc_train_mocap35.npy").contains("(36, 60, 3, 31)");
        for (String split : List.of("train", "valid", "test")) {
            for (String kind : List.of("loc", "vel", "edges")) {
                assertThat(ds.resolve(kind + "_" + split + "_mocap35.npy")).isRegularFile();
            }
        }
        JsonNode p = new ObjectMapper().readTree(ds.resolve("dataset_mocap35.json").toFile());
        assertThat(p.get("sampling_rate_hz").asDouble()).isEqualTo(30.0);
        assertThat(p.get("atoms").asInt()).isEqualTo(31);
        assertThat(p.get("spatial_dims").asInt()).isEqualTo(3);
        String reproduce = p.get("reproduce").asText();
        assertThat(reproduce).startsWith("./nri mocap dataset ").contains("--fps 30").contains("--train 01,02");

        Path again = tmp.resolve("again");
        List<String> args = new java.util.ArrayList<>(List.of(reproduce.substring("./nri ".length()).split(" ")));
        args.addAll(List.of("--out", again.toString()));
        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
        for (String split : List.of("train", "valid", "test")) {
            for (String kind : List.of("loc", "vel", "edges")) {
                String f = kind + "_" + split + "_mocap35.npy";
                assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(ds.resolve(f)));
            }
        }
    }

    @Test
    void datasetNamesAMissingTrialAndABadRate() {
        assertThat(run("mocap", "dataset", "--data", DIR.toString(), "--out", tmp.resolve("d").toString(),
                "--train", "01,03")).isEqualTo(2);
        assertThat(err.toString()).contains("trial 03").contains("35_03.amc");
        err.getBuffer().setLength(0);
        assertThat(run("mocap", "dataset", "--data", DIR.toString(), "--out", tmp.resolve("d").toString(),
                "--fps", "7")).isEqualTo(2);
        assertThat(err.toString()).contains("fps must divide 120").contains("got 7");
        err.getBuffer().setLength(0);
        assertThat(run("mocap", "dataset", "--data", tmp.resolve("none").toString(), "--out",
                tmp.resolve("d").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("none does not exist");
    }
}
