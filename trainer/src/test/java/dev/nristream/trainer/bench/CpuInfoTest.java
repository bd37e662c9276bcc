package dev.nristream.trainer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuInfoTest {
    @Test
    void readsTheFirstProcessor() {
        List<String> lines = List.of(
                "processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 23", "model\t\t: 1",
                "model name\t: AMD EPYC 7551 32-Core Processor", "flags\t\t: fpu sse avx avx2 fma", "",
                "processor\t: 1", "cpu family\t: 99", "model name\t: other", "flags\t\t: avx512f");

        CpuInfo c = CpuInfo.parse(lines, 2);

        assertThat(c.modelName()).isEqualTo("AMD EPYC 7551 32-Core Processor");
        assertThat(c.family()).isEqualTo("23");
        assertThat(c.model()).isEqualTo("1");
        assertThat(c.vector()).isEqualTo("avx2");
        assertThat(c.toString()).isEqualTo("AMD EPYC 7551 32-Core Processor (family 23 model 1, avx2, 2 logical CPUs)");
    }

    @Test
    void unknownFieldsAreMarked() {
        CpuInfo c = CpuInfo.parse(List.of("processor : 0"), 1);

        assertThat(c.family()).isEqualTo("?");
        assertThat(c.vector()).isEmpty();
    }
}
