package dev.nristream.model;

import java.util.List;
import java.util.Map;

/**
 * The contract fields the exporter writes into each ONNX file's {@code metadata_props} and the runtime checks when
 * it opens a model: the model id, the {@link EdgeOrder} and the feature layout. A file without a field (older
 * exports) passes; a file whose field differs from what this code or {@code model.json} says is refused, since it
 * would read its inputs in another order than the runtime feeds them.
 *
 * <pre>{@code
 * Map<String, String> meta = OnnxContract.metadata(spec);       // exporter: model_id, edge_order, feature_layout
 * OnnxContract.check("encoder.onnx", session.getMetadata().getCustomMetadata(), spec);   // runtime
 * }</pre>
 */
public final class OnnxContract {

    public static final String MODEL_ID = "model_id";
    public static final String EDGE_ORDER = "edge_order";
    public static final String FEATURE_LAYOUT = "feature_layout";
    /**
     * Rollout graph only: the edge types that send no messages, comma-separated ascending ({@code "0"} for a
     * skip-first model, {@code ""} when every type sends). The runtime lists message pairs for the other types only.
     */
    public static final String SILENT_EDGE_TYPES = "silent_edge_types";
    /** Rollout graph only: how messages reach their receivers; {@link #AGGREGATION_SCATTER_ADD} is the one form. */
    public static final String MESSAGE_AGGREGATION = "message_aggregation";
    /** Messages of the listed active pairs only, summed per receiver by ScatterND with reduction add. */
    public static final String AGGREGATION_SCATTER_ADD = "scatter_add_active_pairs";
    /**
     * Decoder and rollout graphs only: the half-width of the box whose walls the graph reflects every predicted
     * state at ({@link ReflectingWalls}); absent when the graph has no walls.
     */
    public static final String WALLS_HALF_WIDTH = "walls_half_width";

    private OnnxContract() {
    }

    /** Edge types as written into {@link #SILENT_EDGE_TYPES}, e.g. {@code 0} or {@code 0,2} or empty. */
    public static String typeList(int[] types) {
        return java.util.Arrays.stream(types).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(","));
    }

    /**
     * Parses {@link #SILENT_EDGE_TYPES} of a rollout file into a mask over the K edge types.
     *
     * @throws ModelException naming the file when the key is missing or a type is out of range
     */
    public static boolean[] silentTypes(String file, Map<String, String> metadata, int edgeTypes) {
        String v = metadata.get(SILENT_EDGE_TYPES);
        if (v == null) {
            throw new ModelException(file + " lacks the metadata key '" + SILENT_EDGE_TYPES + "'");
        }
        boolean[] silent = new boolean[edgeTypes];
        for (String part : v.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int t;
            try {
                t = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new ModelException(file + ": " + SILENT_EDGE_TYPES + " '" + v + "' is not a list of integers");
            }
            if (t < 0 || t >= edgeTypes) {
                throw new ModelException(file + ": silent edge type " + t + " is outside [0, " + edgeTypes + ")");
            }
            silent[t] = true;
        }
        String agg = metadata.get(MESSAGE_AGGREGATION);
        if (!AGGREGATION_SCATTER_ADD.equals(agg)) {
            throw new ModelException(file + ": " + MESSAGE_AGGREGATION + " is '" + agg + "', this runtime reads '"
                    + AGGREGATION_SCATTER_ADD + "'");
        }
        return silent;
    }

    /** The feature layout as written into the metadata, e.g. {@code x,y,vx,vy}. */
    public static String layout(List<String> featureLayout) {
        return String.join(",", featureLayout);
    }

    /**
     * {@link #check} for a decoder or rollout graph, which must also reflect at the walls {@code model.json}
     * declares, and at no others.
     */
    public static void checkDecoder(String file, Map<String, String> metadata, ModelSpec spec) {
        check(file, metadata, spec);
        String stamped = metadata.get(WALLS_HALF_WIDTH);
        ReflectingWalls walls = spec.walls();
        if (walls == null && stamped != null) {
            throw new ModelException("model " + spec.modelId() + ": " + file + " reflects its forecasts at walls of "
                    + "half-width " + stamped + " but " + ModelSpec.FILE_NAME + " declares no walls");
        }
        if (walls != null && (stamped == null || Double.parseDouble(stamped) != walls.halfWidth())) {
            throw new ModelException("model " + spec.modelId() + ": " + ModelSpec.FILE_NAME + " declares walls of "
                    + "half-width " + walls.halfWidth() + " but " + file + (stamped == null ? " has none (re-export "
                    + "the model)" : " was exported with " + stamped));
        }
    }

    /** The walls as written into {@link #WALLS_HALF_WIDTH}. */
    public static String wallsValue(ReflectingWalls walls) {
        return Double.toString(walls.halfWidth());
    }

    /**
     * Checks one file's metadata against the code's edge order and the model description.
     *
     * @param file the ONNX file, for the message
     * @throws ModelException naming the model, the field and both values on a mismatch
     */
    public static void check(String file, Map<String, String> metadata, ModelSpec spec) {
        String id = metadata.get(MODEL_ID);
        if (id != null && !id.equals(spec.modelId())) {
            throw new ModelException(file + " was exported for model_id '" + id + "' but " + ModelSpec.FILE_NAME
                    + " says '" + spec.modelId() + "'");
        }
        String order = metadata.get(EDGE_ORDER);
        if (order != null && !order.equals(EdgeOrder.DESCRIPTION)) {
            throw new ModelException("model " + spec.modelId() + ": " + file + " was exported with edge order '"
                    + order + "' but this runtime uses '" + EdgeOrder.DESCRIPTION + "'");
        }
        String layout = metadata.get(FEATURE_LAYOUT);
        if (layout != null && spec.featureLayout() != null && !layout.equals(layout(spec.featureLayout()))) {
            throw new ModelException("model " + spec.modelId() + ": " + file + " was exported with feature layout '"
                    + layout + "' but " + ModelSpec.FILE_NAME + " says '" + layout(spec.featureLayout()) + "'");
        }
    }
}
