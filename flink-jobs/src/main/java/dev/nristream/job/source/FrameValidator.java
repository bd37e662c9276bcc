package dev.nristream.job.source;

import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import dev.nristream.job.DeadLetterKind;
import dev.nristream.job.window.FrameSample;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a decoded frame and converts it to a {@link FrameSample}, or says what is wrong with it.
 *
 * <pre>{@code
 * FrameValidator.Verdict v = new FrameValidator(64).check(frame);
 * if (v.ok()) use(v.sample()); else deadLetter(v.kind(), v.reason());
 * }</pre>
 */
public final class FrameValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Longest scene or agent id, in characters. Ids are copied into every window, graph and forecast and kept in
     * the window state: a 10 kB id from a broken producer would be carried along for the scene's whole life.
     */
    public static final int MAX_ID_LENGTH = 256;

    private final int maxAgents;

    /** @param maxAgents frames with more agents are refused as {@link DeadLetterKind#TOO_MANY_AGENTS} */
    public FrameValidator(int maxAgents) {
        this.maxAgents = maxAgents;
    }

    /** The outcome: a sample, or a kind and a reason. */
    public record Verdict(FrameSample sample, DeadLetterKind kind, String reason) {
        public boolean ok() {
            return sample != null;
        }

        static Verdict bad(DeadLetterKind kind, String reason) {
            return new Verdict(null, kind, reason);
        }
    }

    public Verdict check(PositionFrame f) {
        String scene = f.getSceneId();
        if (scene == null || scene.isBlank()) {
            return Verdict.bad(DeadLetterKind.INVALID_FRAME, "frame " + f.getFrameIndex() + " has a blank scene_id");
        }
        if (scene.length() > MAX_ID_LENGTH) {
            return Verdict.bad(DeadLetterKind.INVALID_FRAME, "frame " + f.getFrameIndex() + " has a scene_id of "
                    + scene.length() + " characters (at most " + MAX_ID_LENGTH + "), starting '"
                    + scene.substring(0, 32) + "'");
        }
        String where = "scene " + scene + " frame " + f.getFrameIndex();
        int dims = f.getCoordinates() == null ? -1 : f.getCoordinates().getDimensions();
        if (dims != 2 && dims != 3) {
            return Verdict.bad(DeadLetterKind.INVALID_FRAME, where + ": coordinates.dimensions must be 2 or 3, got " + dims);
        }
        List<Agent> agents = f.getAgents();
        int n = agents == null ? 0 : agents.size();
        if (n < 2) {
            return Verdict.bad(DeadLetterKind.TOO_FEW_AGENTS, where + " has " + n + " agent" + (n == 1 ? "" : "s")
                    + "; at least 2 are needed to infer interactions");
        }
        if (n > maxAgents) {
            return Verdict.bad(DeadLetterKind.TOO_MANY_AGENTS, where + " has " + n + " agents, more than the "
                    + "configured maximum of " + maxAgents + " (max-agents)");
        }
        if (!Double.isFinite(f.getSamplingRateHz()) || f.getSamplingRateHz() <= 0) {
            return Verdict.bad(DeadLetterKind.INVALID_FRAME, where + ": sampling_rate_hz must be positive, got "
                    + f.getSamplingRateHz());
        }
        String[] ids = new String[n];
        double[] pos = new double[n * dims];
        double[] vel = new double[n * dims];
        boolean anyVelocity = false;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Agent a = agents.get(i);
            String id = a.getId();
            if (id == null || id.isBlank()) {
                return Verdict.bad(DeadLetterKind.INVALID_FRAME, where + ": agent #" + i + " has a blank id");
            }
            if (id.length() > MAX_ID_LENGTH) {
                return Verdict.bad(DeadLetterKind.INVALID_FRAME, where + ": agent #" + i + " has an id of "
                        + id.length() + " characters (at most " + MAX_ID_LENGTH + "), starting '" + id.substring(0, 32)
                        + "'");
            }
            if (!seen.add(id)) {
                return Verdict.bad(DeadLetterKind.INVALID_FRAME, where + ": agent id '" + id + "' appears twice");
            }
            ids[i] = id;
            Double z = a.getZ();
            // A 3D frame may leave an agent's z out (SportVU's players: no measured height). It travels as NaN; the
            // window stage refuses it only for a model that reads z (SceneWindowFunction).
            double[] p = dims == 2 ? new double[] {a.getX(), a.getY()}
                    : new double[] {a.getX(), a.getY(), z == null ? Double.NaN : z};
            Double[] v = dims == 2 ? new Double[] {a.getVx(), a.getVy()} : new Double[] {a.getVx(), a.getVy(), a.getVz()};
            String[] axes = {"x", "y", "z"};
            for (int d = 0; d < dims; d++) {
                if (!Double.isFinite(p[d]) && !(d == 2 && z == null)) {
                    return Verdict.bad(DeadLetterKind.NON_FINITE_COORDINATE, where + ": agent " + id + " has "
                            + axes[d] + " = " + p[d]);
                }
                pos[i * dims + d] = p[d];
                if (v[d] != null) {
                    if (!Double.isFinite(v[d])) {
                        return Verdict.bad(DeadLetterKind.NON_FINITE_COORDINATE, where + ": agent " + id + " has v"
                                + axes[d] + " = " + v[d]);
                    }
                    vel[i * dims + d] = v[d];
                    anyVelocity = true;
                } else {
                    vel[i * dims + d] = Double.NaN;
                }
            }
        }
        return new Verdict(FrameSample.of(f.getFrameIndex(), f.getEventTimeMs(), dims, ids, pos,
                anyVelocity ? vel : null), null, null);
    }
}
