package dev.nristream.feed.mocap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An Acclaim skeleton (ASF) file: units, root, bones and hierarchy. Immutable.
 *
 * <pre>{@code
 * AsfSkeleton skel = AsfSkeleton.parse(Path.of("35.asf"));
 * skel.jointNames();   // root, lhipjoint, lfemur, ... (31 for CMU)
 * skel.edges();        // 30 parent-child pairs
 * }</pre>
 */
public final class AsfSkeleton {

    /** Metres per inch: CMU's ASF units are inches times the {@code :units length} multiplier. */
    static final double METRES_PER_INCH = 0.0254;

    private final String source;
    private final double lengthMultiplier;
    private final boolean degrees;
    private final List<String> rootOrder;
    private final String rootAxisOrder;
    private final double[] rootOrientation;
    private final List<AsfBone> bones;
    private final Map<String, AsfBone> byName;
    private final List<SkeletonEdge> edges;

    AsfSkeleton(String source, double lengthMultiplier, boolean degrees, List<String> rootOrder, String rootAxisOrder,
            double[] rootOrientation, List<AsfBone> bones, List<SkeletonEdge> edges) {
        this.source = source;
        this.lengthMultiplier = lengthMultiplier;
        this.degrees = degrees;
        this.rootOrder = List.copyOf(rootOrder);
        this.rootAxisOrder = rootAxisOrder;
        this.rootOrientation = rootOrientation.clone();
        this.bones = List.copyOf(bones);
        Map<String, AsfBone> m = new LinkedHashMap<>();
        bones.forEach(b -> m.put(b.name(), b));
        this.byName = Collections.unmodifiableMap(m);
        this.edges = List.copyOf(edges);
    }

    /**
     * Reads an ASF file.
     *
     * @throws java.nio.file.NoSuchFileException when the file is missing
     * @throws IllegalArgumentException naming the file and line when the skeleton is unusable (a bone without
     *     length, a hierarchy naming an unknown segment, an unsupported degree of freedom)
     */
    public static AsfSkeleton parse(Path asf) throws IOException {
        return AsfParser.parse(asf.toString(), Files.readAllLines(asf, StandardCharsets.ISO_8859_1));
    }

    /** Parses ASF text (tests). */
    public static AsfSkeleton parse(String source, String text) {
        return AsfParser.parse(source, text.lines().toList());
    }

    /** Like {@link #parse(Path)} for callers that cannot throw checked exceptions. */
    public static AsfSkeleton parseUnchecked(Path asf) {
        try {
            return parse(asf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String source() {
        return source;
    }

    /** The {@code :units length} multiplier (CMU: 0.45, i.e. one ASF unit is 1/0.45 inch). */
    public double lengthMultiplier() {
        return lengthMultiplier;
    }

    /** Metres per ASF length unit: 0.0254 / length multiplier (CMU: 0.05644...). */
    public double metresPerUnit() {
        return METRES_PER_INCH / lengthMultiplier;
    }

    /** True when angles (ASF axis, AMC values) are in degrees. */
    public boolean degrees() {
        return degrees;
    }

    /** The root's AMC value order, upper case, e.g. TX TY TZ RX RY RZ. */
    public List<String> rootOrder() {
        return rootOrder;
    }

    public String rootAxisOrder() {
        return rootAxisOrder;
    }

    /** Root orientation in radians. */
    public double[] rootOrientation() {
        return rootOrientation.clone();
    }

    /** Bones in {@code :bonedata} order. */
    public List<AsfBone> bones() {
        return bones;
    }

    public AsfBone bone(String name) {
        return byName.get(name);
    }

    /** "root" followed by every bone name in {@code :bonedata} order: the joints of a frame. */
    public List<String> jointNames() {
        List<String> names = new ArrayList<>(bones.size() + 1);
        names.add("root");
        bones.forEach(b -> names.add(b.name()));
        return names;
    }

    /** The hierarchy's parent-child pairs in file order (CMU: 30). */
    public List<SkeletonEdge> edges() {
        return edges;
    }

    /** Number of AMC values a segment carries per frame; -1 for an unknown segment. */
    public int dofCount(String segment) {
        if ("root".equals(segment)) {
            return rootOrder.size();
        }
        AsfBone b = byName.get(segment);
        return b == null ? -1 : b.dofs().size();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AsfSkeleton[%s, %d joints, %d edges]", source, bones.size() + 1,
                edges.size());
    }
}
