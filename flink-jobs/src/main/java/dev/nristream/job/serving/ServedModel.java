package dev.nristream.job.serving;

import dev.nristream.model.ModelSpec;
import java.io.Serializable;
import java.util.Locale;

/**
 * One model the job serves: its {@code model.json} text, where its directory is, and the slot it fills. A slot is
 * named after the model first configured in it ({@code --model.dir}); a hot swap puts another model into the same
 * slot, so the scenes that slot serves move to the new model. A Flink POJO (it lives in broadcast state).
 */
public class ServedModel implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The slot: the model id of the model configured there when the job started. */
    public String slot;
    public String modelId;
    /** The model's {@code model.json} text. */
    public String modelJson;
    /** The model directory as the job was told it (a path the task managers can read, or a cache entry's origin). */
    public String modelDir;

    private transient ModelSpec spec;

    public ServedModel() {
    }

    public static ServedModel of(String slot, ModelSpec spec, String modelDir) {
        ServedModel m = new ServedModel();
        m.slot = slot;
        m.modelId = spec.modelId();
        m.modelJson = spec.toJson();
        m.modelDir = modelDir;
        m.spec = spec;
        return m;
    }

    /** The parsed description (cached). */
    public ModelSpec spec() {
        if (spec == null) {
            spec = ModelSpec.parse(modelJson);
        }
        return spec;
    }

    /** The source kind the model's system implies: simulators' systems are SIMULATION, "nba" SPORTVU, ... */
    public String system() {
        return spec().system() == null ? null : spec().system().toLowerCase(Locale.ROOT);
    }

    /** E.g. {@code springs5-live (springs 2D 5 agents (any count), T=49 at 10.0 Hz)}. */
    public String describe() {
        ModelSpec s = spec();
        return modelId + " (" + (s.system() == null ? "no system" : s.system()) + " " + s.spatialDims() + "D "
                + s.atoms() + " agents" + (Boolean.TRUE.equals(s.dynamicAtoms()) ? " or any other count" : "")
                + ", T=" + s.windowLength() + " at " + s.samplingRateHz() + " Hz)";
    }

    @Override
    public String toString() {
        return "ServedModel{" + slot + " -> " + modelId + " @" + modelDir + "}";
    }
}
