package dev.nristream.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link ModelSpec#trainingSuffix()}: the training command's --suffix, else system and atoms. */
class DefaultSuffixTest {
    private static ModelSpec withCommand(String command) throws Exception {
        String json = Files.readString(PlotPicturesTest.GOLDEN);
        return ModelSpec.parse(json.replaceFirst("\"command\" : \"[^\"]*\"", "\"command\" : \"" + command + "\""));
    }

    @Test
    void theTrainingCommandsSuffixWins() throws Exception {
        assertThat(withCommand("./nri train --data d --suffix _mocap35 --atoms 31").trainingSuffix())
                .isEqualTo("_mocap35");
        assertThat(withCommand("./nri train --suffix=_nba --atoms 11").trainingSuffix()).isEqualTo("_nba");
    }

    @Test
    void withoutOneItIsSystemAndAtoms() throws Exception {
        assertThat(withCommand("random initialisation").trainingSuffix()).isEqualTo("_springs5");
        assertThat(ModelSpec.read(Path.of(PlotPicturesTest.GOLDEN.toString())).trainingSuffix()).isEqualTo("_springs5");
    }
}
