package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.trainer.bench.CpuInfo;
import dev.nristream.trainer.bench.MklDispatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MKL vendor shim ./nri preloads for training on AMD CPUs with AVX-512 (trainer/src/main/c/mkl_vendor_shim.c):
 * it compiles, a training run with it preloaded says so in its log, and it learns the same as a run without it
 * (same seed, same data): on such a CPU the two runs use different SGEMM kernels, so the metrics agree to rounding,
 * elsewhere MKL's choice does not change and they agree exactly.
 */
class MklVendorShimTest {

    @TempDir
    Path tmp;

    @Test
    void aRunWithTheShimPreloadedLearnsWhatARunWithoutItLearns() throws Exception {
        Path shim = tmp.resolve(MklDispatch.SHIM_LIBRARY);
        Path src = Path.of(System.getProperty("nri.project.root", ".."), "trainer", "src", "main", "c",
                "mkl_vendor_shim.c");
        assertThat(src).exists();
        Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O2", "-o", shim.toString(), src.toString())
                .redirectErrorStream(true).start();
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cc.exitValue()).as("cc (a C compiler is needed; .ci/run installs gcc): %s",
                new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        Path data = tmp.resolve("data");
        CapturedNri cli = new CapturedNri();
        assertThat(cli.run("simulate", "--atoms", "3", "--train", "32", "--valid", "8", "--test", "4", "--seed", "5",
                "--out", data.toString(), "--threads", "1", "--no-progress")).as(cli.err()).isZero();

        String plain = train(data, tmp.resolve("plain"), null);
        String shimmed = train(data, tmp.resolve("shimmed"), shim.toString());
        assertThat(plain).contains("MKL: ").doesNotContain("vendor check answered by ./nri's shim");
        assertThat(shimmed).contains("MKL: vendor check answered by ./nri's shim");

        List<JsonNode> a = metrics(tmp.resolve("plain"));
        List<JsonNode> b = metrics(tmp.resolve("shimmed"));
        assertThat(a).hasSize(2);
        assertThat(b).hasSize(2);
        for (int e = 0; e < 2; e++) {
            for (String key : List.of("train_nll", "val_nll", "val_mse")) {
                double x = a.get(e).get(key).asDouble();
                assertThat(b.get(e).get(key).asDouble()).as("epoch %d %s", e + 1, key)
                        .isCloseTo(x, within(1e-3 * Math.abs(x)));
            }
        }
    }

    @Test
    void theDispatchLineNamesWhatMklRuns() {
        CpuInfo zen5 = new CpuInfo("AMD EPYC 9B45", "26", "2", "avx512f", 2);
        CpuInfo zen2 = new CpuInfo("AMD EPYC 7B12", "23", "49", "avx2", 2);
        CpuInfo xeon = new CpuInfo("Intel(R) Xeon(R) Platinum 8581C", "6", "207", "avx512f", 2);
        String preload = "/x/libother.so:/p/cli/target/native/" + MklDispatch.SHIM_LIBRARY;
        assertThat(MklDispatch.shimLoaded(preload)).isTrue();
        assertThat(MklDispatch.shimLoaded("/x/libnri-mkl-vendor-shim.so.bak")).isFalse();
        assertThat(MklDispatch.shimLoaded(null)).isFalse();
        assertThat(MklDispatch.describe(zen5, preload)).contains("shim").contains("avx512f");
        assertThat(MklDispatch.describe(zen5, null)).contains("generic AVX2 kernels")
                .contains("NRI_MKL_VENDOR_SHIM");
        assertThat(MklDispatch.describe(zen2, null)).isEqualTo("MKL's own choice");
        assertThat(MklDispatch.describe(xeon, null)).isEqualTo("MKL's own choice");
    }

    /** ./nri train in a fresh JVM (LD_PRELOAD acts at process start), with the CLI's console log, returned. */
    private String train(Path data, Path out, String preload) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dlog4j2.configurationFile=log4j2.xml", "-cp", classPath,
                Nri.class.getName(), "train", "--data", data.toString(), "--suffix", "_springs3", "--atoms", "3",
                "--out", out.toString(), "--epochs", "2",
                "--batch-size", "8", "--encoder-hidden", "32", "--decoder-hidden", "32", "--windows", "paper",
                "--seed", "3", "--threads", "1", "--no-progress"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().remove("LD_PRELOAD");
        if (preload != null) {
            pb.environment().put("LD_PRELOAD", preload);
        }
        Process p = pb.start();
        byte[] log = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String text = new String(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    private static List<JsonNode> metrics(Path run) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            if (!line.isBlank()) {
                rows.add(json.readTree(line));
            }
        }
        return rows;
    }
}
