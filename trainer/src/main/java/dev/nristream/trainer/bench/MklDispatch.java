package dev.nristream.trainer.bench;

/**
 * Which of MKL's kernels the PyTorch engine's products run on, as far as this process can tell: libtorch's
 * statically linked MKL picks its kernels by CPU vendor, so on an AMD CPU with AVX-512 it runs generic AVX2 kernels
 * unless {@code ./nri} preloaded its vendor shim ({@code trainer/src/main/c/mkl_vendor_shim.c}). Benchmarks print
 * this beside the CPU, because the same CPU gives ~2.4x different SGEMM rates either way.
 *
 * <pre>{@code
 * LOG.info("MKL: {}", MklDispatch.describe(CpuInfo.read(), System.getenv("LD_PRELOAD")));
 * }</pre>
 */
public final class MklDispatch {

    /** The file name ./nri compiles the shim to; its presence in LD_PRELOAD means the shim is loaded. */
    public static final String SHIM_LIBRARY = "libnri-mkl-vendor-shim.so";

    private MklDispatch() {
    }

    /** Whether {@code ldPreload} (the LD_PRELOAD value, may be null) loads the vendor shim. */
    public static boolean shimLoaded(String ldPreload) {
        if (ldPreload == null) {
            return false;
        }
        for (String lib : ldPreload.split("[:\\s]+")) {
            if (lib.endsWith("/" + SHIM_LIBRARY) || lib.equals(SHIM_LIBRARY)) {
                return true;
            }
        }
        return false;
    }

    /** One line for logs and benchmark output. */
    public static String describe(CpuInfo cpu, String ldPreload) {
        boolean amd = cpu.modelName().contains("AMD");
        if (shimLoaded(ldPreload)) {
            return "vendor check answered by ./nri's shim: MKL's kernels for this CPU's instruction set ("
                    + (cpu.vector().isEmpty() ? "unknown" : cpu.vector()) + ")";
        }
        if (amd && cpu.vector().equals("avx512f")) {
            return "MKL's own choice on an AMD CPU: generic AVX2 kernels although the CPU has AVX-512 (./nri "
                    + "preloads its vendor shim for the training commands unless NRI_MKL_VENDOR_SHIM=0)";
        }
        return "MKL's own choice";
    }

    /** {@link #describe} for this process. */
    public static String current() {
        return describe(CpuInfo.read(), System.getenv("LD_PRELOAD"));
    }
}
