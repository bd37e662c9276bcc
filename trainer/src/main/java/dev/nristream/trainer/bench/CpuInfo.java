package dev.nristream.trainer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU a benchmark ran on, from the first processor of {@code /proc/cpuinfo}: benchmark numbers are only
 * comparable per CPU model, and cloud "model name" strings are often generic, so family, model and the widest
 * vector extension are printed beside it.
 *
 * @param modelName "model name", or the OS architecture where /proc/cpuinfo is missing
 * @param family "cpu family", or "?"
 * @param model "model", or "?"
 * @param vector widest x86 vector extension among avx512f, avx2, avx (or "")
 * @param logicalCpus processors the JVM may use
 */
public record CpuInfo(String modelName, String family, String model, String vector, int logicalCpus) {

    /** Reads /proc/cpuinfo; never fails (unknown fields are "?"). */
    public static CpuInfo read() {
        int cpus = Runtime.getRuntime().availableProcessors();
        try {
            return parse(Files.readAllLines(Path.of("/proc/cpuinfo")), cpus);
        } catch (IOException | RuntimeException e) {
            return new CpuInfo(System.getProperty("os.arch"), "?", "?", "", cpus);
        }
    }

    static CpuInfo parse(List<String> lines, int cpus) {
        Map<String, String> first = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() && !first.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                first.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        String flags = " " + first.getOrDefault("flags", "") + " ";
        String vector = flags.contains(" avx512f ") ? "avx512f" : flags.contains(" avx2 ") ? "avx2"
                : flags.contains(" avx ") ? "avx" : "";
        return new CpuInfo(first.getOrDefault("model name", System.getProperty("os.arch")),
                first.getOrDefault("cpu family", "?"), first.getOrDefault("model", "?"), vector, cpus);
    }

    /** e.g. {@code AMD EPYC (family 26 model 2, avx512f, 2 logical CPUs)}. */
    @Override
    public String toString() {
        return modelName + " (family " + family + " model " + model + (vector.isEmpty() ? "" : ", " + vector)
                + ", " + logicalCpus + " logical CPUs)";
    }
}
