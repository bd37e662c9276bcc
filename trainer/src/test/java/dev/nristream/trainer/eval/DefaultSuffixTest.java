package dev.nristream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which dataset files {@code ./nri evaluate --model DIR} reads when no --suffix is given. */
class DefaultSuffixTest {

    @TempDir
    Path data;

    static ModelSpec mocap35() {
        return ModelSpec.read(Path.of(System.getProperty("nri.project.root", "..")).resolve("models/mocap35")
                .resolve(ModelSpec.FILE_NAME));
    }

    @Test
    void theSplitsOnlyFileSetWins() throws Exception {
        Files.createFile(data.resolve("loc_test_walk2.npy"));
        Files.createFile(data.resolve("loc_train_other.npy"));
        assertThat(ModelEvaluation.defaultSuffix(data, "test", mocap35())).isEqualTo("_walk2");
    }

    @Test
    void otherwiseTheSuffixTheModelWasTrainedOn() throws Exception {
        // mocap35: 31 joints, trained on _mocap35 (system + atoms would say _mocap31)
        assertThat(ModelEvaluation.defaultSuffix(data, "test", mocap35())).isEqualTo("_mocap35");
        Files.createFile(data.resolve("loc_test_a.npy"));
        Files.createFile(data.resolve("loc_test_b.npy"));
        assertThat(ModelEvaluation.defaultSuffix(data, "test", mocap35())).isEqualTo("_mocap35");
    }
}
