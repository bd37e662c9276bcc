package dev.nristream.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The dataset suffix a model was trained on: its training command's, else system and atoms. */
class DefaultSuffixTest {
    private static ModelSpec withCommand(String command) throws Exception {
        String json = Files.readString(PlotPicturesTest.GOLDEN);
        return ModelSpec.parse(json.replaceFirst("\"command\" : \"[^\"]*\"", "\"command\" : \"" + command + "\""));
    }

    @Test
    void theTrainingCommandsSuffixWins() throws Exception {
        assertThat(DefaultSuffix.of(withCommand("./nri train --data d --suffix _mocap35 --atoms 31")))
                .isEqualTo("_mocap35");
        assertThat(DefaultSuffix.of(withCommand("./nri train --suffix=_nba --atoms 11"))).isEqualTo("_nba");
    }

    @Test
    void withoutOneItIsSystemAndAtoms() throws Exception {
        assertThat(DefaultSuffix.of(withCommand("random initialisation"))).isEqualTo("_springs5");
        assertThat(DefaultSuffix.of(ModelSpec.read(Path.of(PlotPicturesTest.GOLDEN.toString())))).isEqualTo("_springs5");
    }
}
