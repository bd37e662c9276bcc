package dev.nristream.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model directory: {@code model.json} plus the encoder and decoder ONNX files it names.
 *
 * <pre>{@code
 * ModelDirectory dir = ModelDirectory.open(Path.of("models/springs5"));
 * try (NriOnnxModel model = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults())) { ... }
 * }</pre>
 *
 * @param path the directory
 * @param spec its validated description
 * @param encoder path of the encoder file
 * @param decoder path of the decoder file
 */
public record ModelDirectory(Path path, ModelSpec spec, Path encoder, Path decoder) {

    /**
     * Opens and validates a model directory.
     *
     * @throws ModelException naming the directory and every missing file, or the invalid fields of model.json
     */
    public static ModelDirectory open(Path path) {
        if (!Files.isDirectory(path)) {
            throw new ModelException("model directory " + path + " does not exist"
                    + (Files.exists(path) ? " (it is a file)" : ""));
        }
        Path json = path.resolve(ModelSpec.FILE_NAME);
        if (!Files.isRegularFile(json)) {
            List<String> missing = new ArrayList<>(List.of(ModelSpec.FILE_NAME));
            for (String f : List.of(ModelSpec.DEFAULT_ENCODER_FILE, ModelSpec.DEFAULT_DECODER_FILE)) {
                if (!Files.isRegularFile(path.resolve(f))) {
                    missing.add(f);
                }
            }
            throw new ModelException("model directory " + path + " is missing " + String.join(", ", missing));
        }
        ModelSpec spec = ModelSpec.read(json);
        Path encoder = path.resolve(spec.encoderFileOrDefault());
        Path decoder = path.resolve(spec.decoderFileOrDefault());
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(encoder)) {
            missing.add(spec.encoderFileOrDefault());
        }
        if (!Files.isRegularFile(decoder)) {
            missing.add(spec.decoderFileOrDefault());
        }
        if (!missing.isEmpty()) {
            throw new ModelException("model directory " + path + " is missing " + String.join(", ", missing)
                    + " (named by " + ModelSpec.FILE_NAME + ")");
        }
        return new ModelDirectory(path, spec, encoder, decoder);
    }

    /** The sparse rollout file ({@link ModelSpec#ROLLOUT_FILE}) when the directory has one. */
    public java.util.Optional<Path> rollout() {
        Path r = path.resolve(ModelSpec.ROLLOUT_FILE);
        return Files.isRegularFile(r) ? java.util.Optional.of(r) : java.util.Optional.empty();
    }
}
