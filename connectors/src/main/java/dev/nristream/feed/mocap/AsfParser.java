package dev.nristream.feed.mocap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Line-oriented reader of ASF text; errors name the file and line. */
final class AsfParser {

    private static final Set<String> ROTATION_DOFS = Set.of("rx", "ry", "rz");

    private final String source;
    private final List<String> lines;
    private int lineNo;

    private double lengthMultiplier = 1.0;
    private boolean degrees = true;
    private List<String> rootOrder = List.of("TX", "TY", "TZ", "RX", "RY", "RZ");
    private String rootAxisOrder = "XYZ";
    private double[] rootOrientation = new double[3];
    private final List<AsfBone> bones = new ArrayList<>();
    private final List<SkeletonEdge> edges = new ArrayList<>();

    private AsfParser(String source, List<String> lines) {
        this.source = source;
        this.lines = lines;
    }

    static AsfSkeleton parse(String source, List<String> lines) {
        return new AsfParser(source, lines).run();
    }

    private AsfSkeleton run() {
        String section = "";
        while (lineNo < lines.size()) {
            String line = lines.get(lineNo++).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith(":")) {
                String[] t = tokens(line);
                section = t[0].toLowerCase(Locale.ROOT);
                continue;
            }
            switch (section) {
                case ":units" -> units(tokens(line));
                case ":root" -> root(tokens(line));
                case ":bonedata" -> {
                    if (line.equalsIgnoreCase("begin")) {
                        bones.add(bone());
                    }
                }
                case ":hierarchy" -> hierarchy(line);
                default -> {
                    // :version, :name, :documentation carry nothing the kinematics need.
                }
            }
        }
        if (bones.isEmpty()) {
            throw error("no :bonedata section with bones");
        }
        checkHierarchy();
        return new AsfSkeleton(source, lengthMultiplier, degrees, rootOrder, rootAxisOrder, rootOrientation, bones,
                edges);
    }

    private void units(String[] t) {
        if (t.length < 2) {
            return;
        }
        switch (t[0].toLowerCase(Locale.ROOT)) {
            case "length" -> {
                lengthMultiplier = number(t[1]);
                if (!(lengthMultiplier > 0)) {
                    throw error("length multiplier must be positive, got " + t[1]);
                }
            }
            case "angle" -> degrees = !t[1].toLowerCase(Locale.ROOT).startsWith("rad");
            default -> {
            }
        }
    }

    private void root(String[] t) {
        switch (t[0].toLowerCase(Locale.ROOT)) {
            case "order" -> {
                List<String> order = new ArrayList<>();
                for (int i = 1; i < t.length; i++) {
                    order.add(t[i].toUpperCase(Locale.ROOT));
                }
                rootOrder = order;
            }
            case "axis" -> rootAxisOrder = axisOrder(t.length > 1 ? t[1] : "");
            case "orientation" -> rootOrientation = angles(t, 1);
            default -> {
                // "position" is the rest offset; CMU's AMC root translation is absolute.
            }
        }
    }

    private AsfBone bone() {
        int id = -1;
        String name = null;
        double[] direction = null;
        double length = Double.NaN;
        double[] axis = new double[3];
        String axisOrder = "XYZ";
        List<String> dofs = List.of();
        int begin = lineNo;
        while (lineNo < lines.size()) {
            String line = lines.get(lineNo++).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = tokens(line);
            switch (t[0].toLowerCase(Locale.ROOT)) {
                case "end" -> {
                    if (name == null) {
                        throw errorAt(begin, "bone without a name");
                    }
                    if (direction == null || Double.isNaN(length)) {
                        throw errorAt(begin, "bone " + name + " lacks direction or length");
                    }
                    return new AsfBone(id, name, normalise(direction, name), length, axis, axisOrder, dofs);
                }
                case "id" -> id = (int) number(t[1]);
                case "name" -> name = t[1];
                case "direction" -> direction = new double[] {number(t[1]), number(t[2]), number(t[3])};
                case "length" -> length = number(t[1]);
                case "axis" -> {
                    axis = angles(t, 1);
                    axisOrder = axisOrder(t.length > 4 ? t[4] : "XYZ");
                }
                case "dof" -> {
                    List<String> d = new ArrayList<>();
                    for (int i = 1; i < t.length; i++) {
                        String dof = t[i].toLowerCase(Locale.ROOT);
                        if (!ROTATION_DOFS.contains(dof)) {
                            throw error("bone " + name + ": unsupported degree of freedom '" + t[i]
                                    + "' (only rx, ry, rz)");
                        }
                        d.add(dof);
                    }
                    dofs = List.copyOf(d);
                }
                default -> {
                    // limits (and its continuation lines), bodymass, cofmass: not needed for positions.
                }
            }
        }
        throw errorAt(begin, "bone not closed by 'end' (truncated file?)");
    }

    private void hierarchy(String line) {
        String[] t = tokens(line);
        String first = t[0].toLowerCase(Locale.ROOT);
        if (first.equals("begin") || first.equals("end")) {
            return;
        }
        for (int i = 1; i < t.length; i++) {
            edges.add(new SkeletonEdge(t[0], t[i]));
        }
    }

    private void checkHierarchy() {
        Set<String> known = new HashSet<>();
        known.add("root");
        bones.forEach(b -> known.add(b.name()));
        Map<String, String> parentOf = new HashMap<>();
        for (SkeletonEdge e : edges) {
            if (!known.contains(e.parent()) || !known.contains(e.child())) {
                throw error("hierarchy names unknown segment in " + e.parent() + " -> " + e.child());
            }
            if (parentOf.put(e.child(), e.parent()) != null) {
                throw error("segment " + e.child() + " has two parents in :hierarchy");
            }
        }
        for (AsfBone b : bones) {
            if (!parentOf.containsKey(b.name())) {
                throw error("bone " + b.name() + " is not attached in :hierarchy");
            }
        }
    }

    private double[] angles(String[] t, int from) {
        if (t.length < from + 3) {
            throw error("expected three angles");
        }
        double[] a = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = number(t[from + i]);
            a[i] = degrees ? Math.toRadians(v) : v;
        }
        return a;
    }

    private String axisOrder(String s) {
        String o = s.toUpperCase(Locale.ROOT);
        if (o.length() != 3 || o.chars().distinct().count() != 3 || !o.chars().allMatch(c -> c >= 'X' && c <= 'Z')) {
            throw error("axis order must be a permutation of XYZ, got '" + s + "'");
        }
        return o;
    }

    private double[] normalise(double[] d, String name) {
        double n = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (!(n > 0)) {
            throw error("bone " + name + " has a zero direction");
        }
        return new double[] {d[0] / n, d[1] / n, d[2] / n};
    }

    private double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error("not a number: '" + s + "'");
        }
    }

    private static String[] tokens(String line) {
        return line.strip().split("\\s+");
    }

    private IllegalArgumentException error(String msg) {
        return errorAt(lineNo, msg);
    }

    private IllegalArgumentException errorAt(int line, String msg) {
        return new IllegalArgumentException(source + " line " + line + ": " + msg);
    }
}
