package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs a new user gets wrong, through the real command objects: each ends in exit code 2 with one line naming
 * the file and what is wrong (no stack trace), and leaves no output behind.
 */
class BadInputCommandTest {

    private static final Path MOCAP = Path.of(System.getProperty("nri.shared.data"), "cmu-mocap", "subject35");

    @TempDir
    Path tmp;

    private final CapturedNri cli = new CapturedNri();

    private int run(String... args) {
        return cli.run(args);
    }

    /** Exit 2, a one-line "nri <command>: ..." error containing every fragment, and no stack trace. */
    private void assertUserError(int code, String... fragments) {
        assertThat(code).as(cli.err()).isEqualTo(2);
        String last = cli.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("nri ");
        for (String f : fragments) {
            assertThat(last).contains(f);
        }
        assertThat(cli.err()).doesNotContain("\tat ").doesNotContain("Exception in");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void sportVuFilesThatYieldNothingExitNonZero() throws IOException {
        for (String text : new String[] {"", "{}", "this is not json", "{\"gameid\": \"1\", \"events\": {\"a\": 1}}",
            "[1, 2, 3]"}) {
            Path f = write("g.json", text);
            int code = run("replay", "sportvu", f.toString(), "--speed", "max", "--print");
            assertUserError(code, f.toString(), "yielded no frames");
            assertThat(cli.out()).as(text).isBlank();
        }
    }

    @Test
    void csvFilesThatYieldNothingExitNonZero() throws IOException {
        Path header = write("h.csv", "frame,agent,x,y\n");
        assertUserError(run("replay", "csv", header.toString(), "--rate", "10", "--layout", "long", "--print"),
                header.toString(), "yielded no frames");
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path bin = Files.write(tmp.resolve("random.csv"), noise);
        int code = run("replay", "csv", bin.toString(), "--rate", "10", "--print");
        assertThat(code).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).doesNotContain("\tat ").contains(bin.toString());
    }

    @Test
    void mocapConversionsThatYieldNothingOrPartOfTheTrialFail() throws IOException {
        String asf = MOCAP.resolve("35.asf").toString();
        Path csv = tmp.resolve("out.csv");

        Path empty = write("empty.amc", "");
        assertUserError(run("mocap", "positions", "--asf", asf, "--amc", empty.toString(), "--out", csv.toString()),
                empty.toString(), "yielded no frames");
        assertThat(csv).doesNotExist();
        assertThat(tmp.resolve("out.csv.part")).doesNotExist();

        // An ASF whose bones are all renamed matches none of the AMC's joint lines.
        String text = Files.readString(MOCAP.resolve("35.asf"), StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(?m)^\\s*name\\s+(\\S+)").matcher(text);
        String renamed = text;
        while (m.find()) {
            renamed = renamed.replaceAll("\\b" + Pattern.quote(m.group(1)) + "\\b", m.group(1) + "_x");
        }
        Path otherAsf = Files.writeString(tmp.resolve("other.asf"), renamed, StandardCharsets.ISO_8859_1);
        int code = run("mocap", "positions", "--asf", otherAsf.toString(), "--amc",
                MOCAP.resolve("35_30.amc").toString(), "--out", csv.toString());
        assertThat(code).as(cli.err()).isEqualTo(2);
        assertThat(csv).doesNotExist();

        // A trial cut in the middle of a frame: an error unless --allow-partial.
        String amc = Files.readString(MOCAP.resolve("35_30.amc"), StandardCharsets.ISO_8859_1);
        Path cut = Files.writeString(tmp.resolve("cut.amc"), amc.substring(0, amc.length() / 2),
                StandardCharsets.ISO_8859_1);
        assertUserError(run("mocap", "positions", "--asf", asf, "--amc", cut.toString(), "--out", csv.toString()),
                cut.toString(), "is truncated", "--allow-partial");
        assertThat(csv).doesNotExist();
        assertThat(run("mocap", "positions", "--asf", asf, "--amc", cut.toString(), "--out", csv.toString(),
                "--allow-partial")).as(cli.err()).isZero();
        assertThat(Files.readAllLines(csv).size()).isGreaterThan(1);
    }

    @Test
    void mocapFlagsThatMeantSomethingElseAreErrors() throws IOException {
        String asf = MOCAP.resolve("35.asf").toString();
        String amc = MOCAP.resolve("35_30.amc").toString();
        assertUserError(run("mocap", "positions", "--asf", asf, "--amc", amc, "--out", tmp.resolve("a.csv").toString(),
                "--fps", "0"), "--fps must divide 120 and be positive", "got 0");
        assertUserError(run("replay", "mocap", "--asf", asf, "--amc", amc, "--fps", "-5", "--print"),
                "--fps must divide 120", "got -5");
        Path dir = Files.createDirectory(tmp.resolve("adir"));
        assertUserError(run("mocap", "positions", "--asf", asf, "--amc", amc, "--out", dir.toString()),
                dir.toString(), "is a directory");
    }

    @Test
    void upgradeModelNamesWhatIsMissing() throws IOException {
        assertUserError(run("upgrade-model", "--model", tmp.resolve("absent").toString()), "--model",
                "is not a directory");
        Path empty = Files.createDirectories(tmp.resolve("empty-model"));
        assertUserError(run("upgrade-decoder", "--model", empty.toString()), "model.json", "decoder.onnx");
    }

    @Test
    void simulateRefusesDatasetsThatCannotFit() {
        Path outDir = tmp.resolve("huge");
        assertUserError(run("simulate", "--train", "2000000000", "--out", outDir.toString(), "--no-progress"),
                "the dataset would take about", "TB", "free");
        assertThat(outDir).doesNotExist();
        assertUserError(run("simulate", "--atoms", "1000000", "--train", "1", "--valid", "0", "--test", "0",
                "--out", outDir.toString(), "--no-progress"), "--atoms 1000000", "too large for one simulation");
        assertThat(outDir).doesNotExist();
    }

    @Test
    void exportNamesABrokenRunJsonAndRefusesAnExistingFileAsOut() throws IOException {
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.writeString(run.resolve("run.json"), "{ this is not json");
        Path model = tmp.resolve("model");
        assertUserError(run("export", "--run", run.toString(), "--out", model.toString()),
                run.resolve("run.json").toString(), "is not a valid run.json");
        assertThat(model).doesNotExist();

        Path file = write("model.txt", "keep me");
        assertUserError(run("export", "--run", run.toString(), "--out", file.toString()),
                file.toString(), "exists and is not a directory");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void corruptNpyDatasetsAreOneLineErrors() throws IOException {
        Path data = Files.createDirectory(tmp.resolve("data"));
        for (String f : new String[] {"loc_test.npy", "vel_test.npy", "edges_test.npy"}) {
            Files.writeString(data.resolve(f), "\u0093NUMPY garbage");
        }
        Path model = Path.of(System.getProperty("user.dir")).getParent().resolve("models/springs5");
        int code = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--suffix", "");
        assertThat(code).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).doesNotContain("\tat ").contains(data.toString());
    }
}
