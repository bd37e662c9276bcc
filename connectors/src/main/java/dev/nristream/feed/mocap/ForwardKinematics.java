package dev.nristream.feed.mocap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joint positions of an ASF skeleton from one AMC frame's values. A bone's global rotation is its parent's times
 * {@code C M C^-1}, where C comes from the bone's {@code axis} angles and M from the frame's rx/ry/rz values, both
 * composed in the bone's axis order (the first axis applies first); the bone's end point is the parent's plus the
 * global rotation applied to {@code direction x length}. The root is at the frame's TX TY TZ.
 *
 * <pre>{@code
 * ForwardKinematics fk = new ForwardKinematics(skeleton);
 * double[][] xyz = fk.positions(values); // [joint][3], joints in skeleton.jointNames() order
 * }</pre>
 *
 * Not thread-safe (reuses scratch arrays); one instance per reader.
 */
public final class ForwardKinematics {

    private final int joints;
    /** Bones in an order where every parent precedes its children (indexes into joint order). */
    private final int[] solveOrder;
    private final int[] parent;
    private final double[][] c;
    private final double[][] cInv;
    private final double[][] offset;
    private final String[] axisOrder;
    /** Per joint, index of the rx, ry, rz value in that segment's AMC values (-1 when not a dof). */
    private final int[][] rotIndex;
    private final int[] rootTrans;
    private final boolean degrees;
    private final double scale;

    private final double[][] global;
    private final double[] m = new double[9];
    private final double[] tmp = new double[9];
    private final double[] r = new double[9];
    private final double[] t = new double[9];

    /** Positions in ASF length units. */
    public ForwardKinematics(AsfSkeleton skel) {
        this(skel, 1.0);
    }

    /**
     * @param scale multiplier applied to every output coordinate (e.g. {@link AsfSkeleton#metresPerUnit()})
     */
    public ForwardKinematics(AsfSkeleton skel, double scale) {
        this.scale = scale;
        this.degrees = skel.degrees();
        List<String> names = skel.jointNames();
        joints = names.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < joints; i++) {
            index.put(names.get(i), i);
        }
        parent = new int[joints];
        parent[0] = -1;
        Map<String, List<String>> children = new HashMap<>();
        for (SkeletonEdge e : skel.edges()) {
            parent[index.get(e.child())] = index.get(e.parent());
            children.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e.child());
        }
        solveOrder = new int[joints];
        int n = 0;
        List<String> queue = new ArrayList<>(List.of("root"));
        for (int q = 0; q < queue.size(); q++) {
            String s = queue.get(q);
            solveOrder[n++] = index.get(s);
            queue.addAll(children.getOrDefault(s, List.of()));
        }
        if (n != joints) {
            throw new IllegalArgumentException(skel.source() + ": hierarchy does not reach every bone from root");
        }
        c = new double[joints][];
        cInv = new double[joints][];
        offset = new double[joints][];
        axisOrder = new String[joints];
        rotIndex = new int[joints][3];
        c[0] = euler(skel.rootOrientation(), skel.rootAxisOrder());
        cInv[0] = transpose(c[0]);
        axisOrder[0] = skel.rootAxisOrder();
        List<String> ro = skel.rootOrder();
        rootTrans = new int[] {ro.indexOf("TX"), ro.indexOf("TY"), ro.indexOf("TZ")};
        rotIndex[0] = new int[] {ro.indexOf("RX"), ro.indexOf("RY"), ro.indexOf("RZ")};
        offset[0] = new double[3];
        for (int i = 1; i < joints; i++) {
            AsfBone b = skel.bones().get(i - 1);
            c[i] = euler(b.axis(), b.axisOrder());
            cInv[i] = transpose(c[i]);
            axisOrder[i] = b.axisOrder();
            offset[i] = new double[] {b.direction()[0] * b.length(), b.direction()[1] * b.length(),
                b.direction()[2] * b.length()};
            rotIndex[i] = new int[] {b.dofs().indexOf("rx"), b.dofs().indexOf("ry"), b.dofs().indexOf("rz")};
        }
        global = new double[joints][9];
    }

    /** Number of joints (root + bones). */
    public int joints() {
        return joints;
    }

    /** Index of each joint's parent in joint order; -1 for the root. */
    public int[] parents() {
        return parent.clone();
    }

    /**
     * Computes every joint's position.
     *
     * @param values per joint (skeleton joint order) the segment's AMC values in its dof order; a bone without
     *     dofs may have an empty or null array
     * @return [joint][x, y, z], scaled
     */
    public double[][] positions(double[][] values) {
        double[][] out = new double[joints][3];
        positions(values, out);
        return out;
    }

    /** As {@link #positions(double[][])}, writing into {@code out} [joints][3]. */
    public void positions(double[][] values, double[][] out) {
        double[] angles = new double[3];
        for (int k = 0; k < joints; k++) {
            int j = solveOrder[k];
            double[] v = values[j];
            for (int a = 0; a < 3; a++) {
                int idx = rotIndex[j][a];
                double val = idx < 0 || v == null ? 0.0 : v[idx];
                angles[a] = degrees ? Math.toRadians(val) : val;
            }
            eulerInto(angles, axisOrder[j], m, r, t);
            // global = parentGlobal * C * M * C^-1
            mul(c[j], m, tmp);
            mul(tmp, cInv[j], m);
            if (j == 0) {
                System.arraycopy(m, 0, global[0], 0, 9);
                out[0][0] = v[rootTrans[0]] * scale;
                out[0][1] = v[rootTrans[1]] * scale;
                out[0][2] = v[rootTrans[2]] * scale;
            } else {
                int p = parent[j];
                mul(global[p], m, global[j]);
                double[] g = global[j];
                double[] o = offset[j];
                out[j][0] = out[p][0] + (g[0] * o[0] + g[1] * o[1] + g[2] * o[2]) * scale;
                out[j][1] = out[p][1] + (g[3] * o[0] + g[4] * o[1] + g[5] * o[2]) * scale;
                out[j][2] = out[p][2] + (g[6] * o[0] + g[7] * o[1] + g[8] * o[2]) * scale;
            }
        }
    }

    static double[] euler(double[] anglesRad, String order) {
        double[] r = new double[9];
        eulerInto(anglesRad, order, r);
        return r;
    }

    /** R = R_last * R_middle * R_first for angles given as (x, y, z) and an order like "XYZ". */
    static void eulerInto(double[] xyz, String order, double[] out) {
        eulerInto(xyz, order, out, new double[9], new double[9]);
    }

    private static void eulerInto(double[] xyz, String order, double[] out, double[] r, double[] t) {
        identity(out);
        for (int i = 0; i < 3; i++) {
            char axis = order.charAt(i);
            rotation(axis, xyz[axis - 'X'], r);
            mul(r, out, t);
            System.arraycopy(t, 0, out, 0, 9);
        }
    }

    private static void rotation(char axis, double a, double[] r) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        switch (axis) {
            case 'X' -> set(r, 1, 0, 0, 0, c, -s, 0, s, c);
            case 'Y' -> set(r, c, 0, s, 0, 1, 0, -s, 0, c);
            default -> set(r, c, -s, 0, s, c, 0, 0, 0, 1);
        }
    }

    private static void set(double[] r, double... v) {
        System.arraycopy(v, 0, r, 0, 9);
    }

    private static void identity(double[] r) {
        set(r, 1, 0, 0, 0, 1, 0, 0, 0, 1);
    }

    static void mul(double[] a, double[] b, double[] out) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
            }
        }
    }

    private static double[] transpose(double[] a) {
        return new double[] {a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
    }
}
