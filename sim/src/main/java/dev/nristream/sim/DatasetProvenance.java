package dev.nristream.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nristream.model.DatasetLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code dataset<suffix>.json} beside a dataset's .npy files: the command that makes the same bytes again
 * ({@code reproduce}), the command as typed, the frame rate of the recorded states ({@code sampling_rate_hz}, which
 * {@code ./nri export} stamps on the model) and whatever else describes the data. {@code ./nri simulate} and
 * {@code ./nri mocap dataset} both write it through this class.
 *
 * <pre>{@code
 * DatasetProvenance.write(outDir, "_springs5", "./nri simulate --system springs ...", typed, 10.0,
 *         Map.of("system", "springs", "atoms", 5));
 * }</pre>
 */
public final class DatasetProvenance {
    /** Key of the command line that makes the same files again. */
    public static final String REPRODUCE = "reproduce";
    /** Key of the frame rate of the recorded states, in Hz. */
    public static final String SAMPLING_RATE_HZ = "sampling_rate_hz";

    private DatasetProvenance() {
    }

    /**
     * @param reproduce every flag that changes the bytes, defaults included, so the line makes the same files
     *     whatever the defaults become
     * @param command the command as typed
     * @param details further fields, written in iteration order after these
     * @return the file written
     */
    public static Path write(Path outDir, String suffix, String reproduce, String command, double samplingRateHz,
            Map<String, Object> details) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(REPRODUCE, reproduce);
        m.put("command", command);
        m.putAll(details);
        m.put(SAMPLING_RATE_HZ, samplingRateHz);
        m.put("created", Instant.now().toString());
        Path f = outDir.resolve(DatasetLayout.provenanceFileName(suffix));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(f.toFile(), m);
        return f;
    }
}
