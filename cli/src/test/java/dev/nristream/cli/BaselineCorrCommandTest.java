package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri baseline corr} against an independent numpy computation of the same baseline: Pearson correlation of
 * the raw positions (the command reads normalised ones: the same values), the best of the four threshold rules on
 * the validation edges, and the test accuracy of the rule the command chose.
 */
class BaselineCorrCommandTest {

    @TempDir
    Path tmp;

    private final CapturedNri cli = new CapturedNri();

    private int run(String... args) {
        return cli.run(args);
    }

    static final String REFERENCE = """
            import json, sys
            import numpy as np
            d, sfx, steps, rule, thr = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
            def corr(split):
                loc = np.load(f"{d}/loc_{split}{sfx}.npy")[:, :steps]          # [S, T, 2, N]
                edges = np.load(f"{d}/edges_{split}{sfx}.npy")                  # [S, N, N]
                c = loc - loc.mean(axis=1, keepdims=True)
                n = loc.shape[3]
                out, lab = [], []
                for s in range(loc.shape[0]):
                    for i in range(n):
                        for j in range(n):
                            if i != j:
                                a, b = c[s, :, :, i].ravel(), c[s, :, :, j].ravel()
                                out.append(a @ b / np.sqrt((a @ a) * (b @ b)))
                                lab.append(int(np.floor((edges[s, i, j] + 1) / 2)))
                return np.array(out), np.array(lab)
            def predict(r, x, t):
                return {"ABOVE": x > t, "BELOW": x < t, "ABS_ABOVE": np.abs(x) > t, "ABS_BELOW": np.abs(x) < t}[r]
            cv, lv = corr("valid")
            best = 0.0
            for r in ["ABOVE", "BELOW", "ABS_ABOVE", "ABS_BELOW"]:
                s = np.unique(np.abs(cv) if r.startswith("ABS") else cv)
                for t in np.concatenate([[s[0] - 1], (s[1:] + s[:-1]) / 2, [s[-1] + 1]]):
                    best = max(best, float(np.mean(predict(r, cv, t) == (lv == 1))))
            ct, lt = corr("test")
            print(json.dumps({"valid_best": best, "valid_chosen": float(np.mean(predict(rule, cv, thr) == (lv == 1))),
                              "test": float(np.mean(predict(rule, ct, thr) == (lt == 1)))}))
            """;

    @Test
    void theFittedRuleMatchesNumpyOnValidationAndTest() throws Exception {
        Path data = tmp.resolve("data");
        assertThat(run("simulate", "--atoms", "4", "--train", "4", "--valid", "60", "--test", "40", "--out",
                data.toString(), "--threads", "1", "--no-progress", "--seed", "7")).as(cli.err()).isZero();
        assertThat(run("baseline", "corr", "--data", data.toString(), "--suffix", "_springs4", "--json"))
                .as(cli.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(cli.out());
        assertThat(j.get("samples").asInt()).isEqualTo(40);
        double acc = j.get("edge_accuracy").asDouble();
        assertThat(acc).isBetween(0.3, 1.0);

        Process p = new ProcessBuilder("python3", "-c", REFERENCE, data.toString(), "_springs4", "49",
                j.get("rule").asText(), Double.toString(j.get("threshold").asDouble())).redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String py = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("python3 with numpy (.ci/run installs it): %s", py).isZero();
        JsonNode ref = new ObjectMapper().readTree(py.lines().reduce((a, b) -> b).orElseThrow());
        // the command's choice is the best any rule and threshold reach on the validation edges
        assertThat(j.get("valid_accuracy").asDouble()).isCloseTo(ref.get("valid_best").asDouble(), within(1e-12))
                .isCloseTo(ref.get("valid_chosen").asDouble(), within(1e-12));
        assertThat(acc).isCloseTo(ref.get("test").asDouble(), within(1e-12));

        assertThat(run("baseline", "corr", "--data", data.toString(), "--suffix", "_springs4")).isZero();
        assertThat(cli.out()).contains("Corr. (path), the path being positions: threshold fitted on valid_springs4 "
                + "(60 samples)")
                .contains("test_springs4: 40 samples, edge accuracy");
        assertThat(run("baseline", "corr", "--data", data.toString(), "--suffix", "_springs4", "--timesteps", "500"))
                .isEqualTo(2);
        assertThat(cli.err()).contains("--timesteps must be 2..49");
        assertThat(run("baseline", "corr", "--data", data.toString(), "--suffix", "_springs4", "--path", "sin-phase"))
                .isEqualTo(2);
        assertThat(cli.err()).contains("--path sin-phase is for Kuramoto's feat_ datasets");
    }
    static final String KURAMOTO_REFERENCE = """
            import json, sys
            import numpy as np
            d, sfx, ch, rule, thr = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
            def corr(split, c):
                x = np.load(f"{d}/feat_{split}{sfx}.npy").astype(np.float64)[:, :, :49, c]   # [S, N, T]
                e = np.load(f"{d}/edges_{split}{sfx}.npy")
                x = x - x.mean(axis=2, keepdims=True)
                c = np.einsum("sit,sjt->sij", x, x) / np.sqrt(np.einsum("sit,sit->si", x, x)[:, :, None]
                                                              * np.einsum("sjt,sjt->sj", x, x)[:, None, :])
                m = ~np.eye(x.shape[1], dtype=bool)
                return c[:, m], e[:, m]
            def predict(r, x, t):
                return {"ABOVE": x > t, "BELOW": x < t, "ABS_ABOVE": np.abs(x) > t, "ABS_BELOW": np.abs(x) < t}[r]
            best = []
            for c in range(np.load(f"{d}/feat_valid{sfx}.npy", mmap_mode="r").shape[3] - 1):   # omega is no path
                cv, lv = corr("valid", c)
                b = 0.0
                for r in ["ABOVE", "BELOW", "ABS_ABOVE", "ABS_BELOW"]:
                    s = np.unique(np.abs(cv) if r.startswith("ABS") else cv)
                    for t in np.concatenate([[s[0] - 1], (s[1:] + s[:-1]) / 2, [s[-1] + 1]]):
                        b = max(b, float(np.mean(predict(r, cv, t) == (lv == 1))))
                best.append(b)
            ct, lt = corr("test", ch)
            print(json.dumps({"valid_best": best, "test": float(np.mean(predict(rule, ct, thr) == (lt == 1)))}))
            """;

    @Test
    void kuramotosPathIsTheSeriesThatClassifiesValidationBestAndTheDirectedLabelsAreScored() throws Exception {
        Path data = tmp.resolve("kuramoto");
        assertThat(run("simulate", "--system", "kuramoto", "--atoms", "4", "--train", "4", "--valid", "60", "--test",
                "40", "--out", data.toString(), "--threads", "1", "--no-progress", "--seed", "7"))
                .as(cli.err()).isZero();
        List<String> names = List.of("phase velocity (feature 0)", "sin phase (feature 1)", "phase (feature 2)");

        assertThat(run("baseline", "corr", "--data", data.toString(), "--suffix", "_kuramoto4", "--json"))
                .as(cli.err()).isZero();
        JsonNode auto = new ObjectMapper().readTree(cli.out());
        JsonNode ref = reference(data, names.indexOf(auto.get("path").asText()), auto);
        assertThat(names).contains(auto.get("path").asText());
        JsonNode byPath = auto.get("valid_accuracy_by_path");
        assertThat(byPath.size()).as("d phi/dt, sin phi and phi; never omega").isEqualTo(3);
        double bestValid = 0;
        for (int c = 0; c < 3; c++) {
            double v = ref.get("valid_best").get(c).asDouble();
            assertThat(byPath.get(names.get(c)).asDouble()).as(names.get(c)).isCloseTo(v, within(1e-12));
            bestValid = Math.max(bestValid, v);
        }
        assertThat(auto.get("valid_accuracy").asDouble()).as("the best path on validation is chosen")
                .isCloseTo(bestValid, within(1e-12));
        assertThat(auto.get("edge_accuracy").asDouble()).isCloseTo(ref.get("test").asDouble(), within(1e-12));

        assertThat(run("baseline", "corr", "--data", data.toString(), "--suffix", "_kuramoto4", "--json", "--path",
                "phase-velocity")).as(cli.err()).isZero();
        JsonNode forced = new ObjectMapper().readTree(cli.out());
        assertThat(forced.get("path").asText()).isEqualTo(names.get(0));
        assertThat(forced.get("valid_accuracy_by_path").size()).isEqualTo(1);
        assertThat(forced.get("edge_accuracy").asDouble()).isCloseTo(reference(data, 0, forced).get("test").asDouble(),
                within(1e-12));
        assertThat(run("baseline", "corr", "--data", data.toString(), "--suffix", "_kuramoto4", "--path", "omega"))
                .isEqualTo(2);
        assertThat(cli.err()).contains("--path must be auto, phase-velocity, sin-phase or phase");
    }

    /** The numpy reference: best validation accuracy per path, and the test accuracy of {@code j}'s rule on one. */
    private static JsonNode reference(Path data, int channel, JsonNode j) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", KURAMOTO_REFERENCE, data.toString(), "_kuramoto4",
                Integer.toString(channel), j.get("rule").asText(), Double.toString(j.get("threshold").asDouble()))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String py = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("python3 with numpy: %s", py).isZero();
        return new ObjectMapper().readTree(py.lines().reduce((a, b) -> b).orElseThrow());
    }
}
