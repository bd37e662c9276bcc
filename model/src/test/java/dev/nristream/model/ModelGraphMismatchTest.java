package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model.json whose window_length disagrees with its ONNX graph is refused at open, naming both files. */
class ModelGraphMismatchTest {

    @TempDir
    Path tmp;

    @Test
    void windowLengthOtherThanTheGraphsIsAClearError() throws Exception {
        Path golden = Path.of(ModelGraphMismatchTest.class.getResource("/golden-model/model.json").toURI())
                .getParent();
        Path copy = Files.createDirectory(tmp.resolve("m"));
        for (String f : new String[] {"encoder.onnx", "decoder.onnx"}) {
            Files.copy(golden.resolve(f), copy.resolve(f));
        }
        String json = Files.readString(golden.resolve("model.json"));
        Files.writeString(copy.resolve("model.json"), json.replaceFirst("\"window_length\"\\s*:\\s*49",
                "\"window_length\" : 30"));
        ModelDirectory dir = ModelDirectory.open(copy);
        assertThatThrownBy(() -> NriOnnxModel.open(dir, NriOnnxModel.Options.defaults()))
                .isInstanceOf(ModelException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(copy.resolve("model.json").toString())
                .hasMessageContaining("window_length 30")
                .hasMessageContaining("takes 49 steps");
    }
}
