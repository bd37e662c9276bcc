package dev.nristream.analytics;

import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * What the forecast matcher keeps of one actual frame: agent ids and positions. {@code z} is null for 2D frames;
 * in a 3D frame an agent without z has NaN there.
 */
record FrameSnapshot(long frameIndex, long timeMs, String unit, int dimensions, List<String> ids, double[] x,
        double[] y, double[] z) {

    static FrameSnapshot of(PositionFrame f) {
        List<Agent> agents = f.getAgents();
        int n = agents.size();
        List<String> ids = new ArrayList<>(n);
        double[] x = new double[n];
        double[] y = new double[n];
        boolean threeD = f.getCoordinates().getDimensions() == 3;
        double[] z = threeD ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            Agent a = agents.get(i);
            ids.add(a.getId());
            x[i] = a.getX();
            y[i] = a.getY();
            if (threeD) {
                z[i] = a.getZ() == null ? Double.NaN : a.getZ();
            }
        }
        return new FrameSnapshot(f.getFrameIndex(), f.getEventTimeMs(), f.getCoordinates().getUnit(),
                threeD ? 3 : 2, ids, x, y, z);
    }

    int indexOf(String agentId) {
        return ids.indexOf(agentId);
    }
}
