package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
}
