package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void missingDirectoryIsNamed() {
        Path nowhere = dir.resolve("nope");
        assertThatThrownBy(() -> ModelDirectory.open(nowhere))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(nowhere.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void namesEveryMissingFile() {
        assertThatThrownBy(() -> ModelDirectory.open(dir))
                .hasMessageContaining("missing model.json, encoder.onnx, decoder.onnx");
    }

    @Test
    void namesMissingOnnxFile() throws Exception {
        Files.writeString(dir.resolve("model.json"), ModelSpecTest.SPRINGS);
        Files.write(dir.resolve("encoder.onnx"), new byte[] {1});
        assertThatThrownBy(() -> ModelDirectory.open(dir))
                .hasMessageContaining("missing decoder.onnx")
                .hasMessageNotContaining("encoder.onnx,");
    }

    @Test
    void opensCompleteDirectory() throws Exception {
        Files.writeString(dir.resolve("model.json"), ModelSpecTest.SPRINGS);
        Files.write(dir.resolve("encoder.onnx"), new byte[] {1});
        Files.write(dir.resolve("decoder.onnx"), new byte[] {1});
        ModelDirectory md = ModelDirectory.open(dir);
        assertThat(md.spec().modelId()).isEqualTo("springs5-test");
        assertThat(md.encoder()).isEqualTo(dir.resolve("encoder.onnx"));
    }

    @Test
    void invalidJsonFieldsAreNamedWithTheFile() throws Exception {
        Files.writeString(dir.resolve("model.json"), "{\"model_id\": \"x\"}");
        assertThatThrownBy(() -> ModelDirectory.open(dir))
                .hasMessageContaining("model.json is invalid")
                .hasMessageContaining("atoms is missing");
    }

    @Test
    void notAnOnnxFileIsReported() throws Exception {
        Files.writeString(dir.resolve("model.json"), ModelSpecTest.SPRINGS);
        Files.write(dir.resolve("encoder.onnx"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("decoder.onnx"), new byte[] {1, 2, 3});
        ModelDirectory md = ModelDirectory.open(dir);
        assertThatThrownBy(() -> NriOnnxModel.open(md, NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("cannot load the ONNX models in " + dir);
    }
}
