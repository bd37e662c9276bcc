/*
 * Answers Intel MKL's CPU-vendor query with "Intel", for libtorch's statically linked MKL.
 *
 * MKL chooses its kernels by vendor before it looks at the instruction set: on an AMD CPU it runs its generic
 * AVX2 ("zen") SGEMM kernels even where the CPU has AVX-512, while on an Intel CPU of the same instruction set
 * it runs its AVX-512 kernels, which libtorch_cpu.so also carries. MKL still checks the CPU's features (CPUID)
 * after this answer, so it never dispatches an instruction the CPU lacks.
 *
 * ./nri compiles this file and preloads it (LD_PRELOAD) for the training commands on AMD CPUs with AVX-512 only;
 * NRI_MKL_VENDOR_SHIM=0 turns it off. Measured effect and the check that training results stay the same:
 * docs/BENCHMARKS.md (issue 12).
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
