package dev.nristream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.sim.DatasetProvenance;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code system} an export stamps on model.json, which the stream and the demo match feeds by. */
class ModelSystemTest {

    @TempDir
    Path tmp;

    @Test
    void theDatasetsDeclaredSystemWinsOverItsSuffix() throws Exception {
        // Kuramoto on the unit circle: the suffix says "kuramoto5circle", the data is kuramoto
        DatasetProvenance.write(tmp, "_kuramoto5circle", "./nri simulate --system kuramoto --kuramoto-form circle",
                "./nri simulate ...", 10.0, Map.of("system", "kuramoto", "atoms", 5));
        assertThat(ModelExport.system(tmp, "_kuramoto5circle")).isEqualTo("kuramoto");
        assertThat(ModelExport.system("_kuramoto5circle")).isEqualTo("kuramoto5circle");
        // without a provenance file (research files from elsewhere): read from the suffix
        assertThat(ModelExport.system(tmp.resolve("elsewhere"), "_springs5")).isEqualTo("springs");
    }
}
