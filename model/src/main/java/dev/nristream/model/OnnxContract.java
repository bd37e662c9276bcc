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

    private OnnxContract() {
    }

    /** The feature layout as written into the metadata, e.g. {@code x,y,vx,vy}. */
    public static String layout(List<String> featureLayout) {
        return String.join(",", featureLayout);
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
