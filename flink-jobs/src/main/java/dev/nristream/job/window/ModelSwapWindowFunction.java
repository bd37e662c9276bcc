package dev.nristream.job.window;

import dev.nristream.job.DeadLetterEvent;
import dev.nristream.job.DeadLetterKind;
import dev.nristream.job.FrameEnvelope;
import dev.nristream.job.JobMetrics;
import dev.nristream.job.WindowTask;
import dev.nristream.job.serving.ModelCatalog;
import dev.nristream.job.serving.ModelControlEvent;
import dev.nristream.job.serving.ServedModel;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.NriOnnxModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SceneWindowFunction} with model hot swap (issue 15): frames keyed by scene on one input, {@code ModelControl}
 * requests broadcast to every instance on the other. A request names a model directory (a path every task manager
 * can read) and optionally the model id it replaces. The new model is opened (model.json, the ONNX contract) and
 * checked against the model it replaces ({@link ModelCatalog#swapProblem}: same system, dimensions, agent counts,
 * window length and rate); if it passes it takes the old one's slot in broadcast state, else it is refused: logged,
 * counted and dead-lettered ({@code MODEL_REFUSED}, by instance 0 only, as every instance decides the same), and the
 * old model keeps serving.
 *
 * <p>A window is made whole for one model when its last frame arrives, and a swap lands between two elements, so
 * each scene's outputs switch from the old model to the new at a window boundary; the slot's window grid is the
 * same for both models, so no window is lost or made twice. The broadcast state is checkpointed with the windows
 * and the control topic's offsets, so after a restore a swap is neither forgotten nor undone, and the outputs of
 * windows after the last checkpoint are made again (under the swap state of that checkpoint, plus any request read
 * again) in the sink's new transaction: exactly-once across the swap.
 *
 * <p>Metrics (operator {@code scene-windows}): those of {@link SceneWindowFunction}, plus the counters
 * {@code modelSwaps} and {@code modelSwapsRefused}.
 */
public final class ModelSwapWindowFunction
        extends KeyedBroadcastProcessFunction<String, FrameEnvelope, ModelControlEvent, WindowTask>
        implements CheckpointListener {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelSwapWindowFunction.class);

    /** Broadcast state: slot -> the model swapped into it (slots never swapped are absent). */
    public static final MapStateDescriptor<String, ServedModel> SWAPPED = new MapStateDescriptor<>("swapped-models",
            Types.STRING, TypeInformation.of(ServedModel.class));

    private final SceneWindowFunction windows;
    private final NriOnnxModel.Options modelOptions;
    private transient Counter swaps;
    private transient Counter refused;

    /**
     * @param windows the windowing of the configured models
     * @param modelOptions how a new model is opened to check it (the inference operator opens it the same way)
     */
    public ModelSwapWindowFunction(SceneWindowFunction windows, NriOnnxModel.Options modelOptions) {
        this.windows = Objects.requireNonNull(windows);
        this.modelOptions = modelOptions;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        windows.setRuntimeContext(getRuntimeContext());
        windows.open(openContext);
        swaps = getRuntimeContext().getMetricGroup().counter(JobMetrics.MODEL_SWAPS);
        refused = getRuntimeContext().getMetricGroup().counter(JobMetrics.MODEL_SWAPS_REFUSED);
    }

    @Override
    public void processElement(FrameEnvelope e, ReadOnlyContext ctx, Collector<WindowTask> out) throws Exception {
        ReadOnlyBroadcastState<String, ServedModel> swapped = ctx.getBroadcastState(SWAPPED);
        windows.onFrame(e, ctx.timerService(), d -> ctx.output(SceneWindowFunction.DEAD_LETTERS, d),
                slot -> get(swapped, slot), out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowTask> out) throws Exception {
        windows.onCleanupTimer(timestamp, ctx.timerService());
    }

    @Override
    public void processBroadcastElement(ModelControlEvent c, Context ctx, Collector<WindowTask> out)
            throws Exception {
        BroadcastState<String, ServedModel> state = ctx.getBroadcastState(SWAPPED);
        Function<String, ServedModel> swapped = slot -> get(state, slot);
        List<ServedModel> served = windows.currentModels(swapped);
        ServedModel candidate = null;
        ServedModel replaced = null;
        String refusal = c.error;
        if (refusal == null) {
            try {
                ModelDirectory dir = ModelDirectory.open(Path.of(c.modelDir));
                try (NriOnnxModel checked = NriOnnxModel.open(dir, modelOptions)) {
                    candidate = ServedModel.of(null, checked.spec(), dir.path().toAbsolutePath().toString());
                }
            } catch (RuntimeException ex) {
                refusal = "cannot serve model directory " + c.modelDir + ": " + ex.getMessage();
            }
        }
        if (candidate != null) {
            replaced = replaced(c, candidate, served);
            if (replaced == null) {
                refusal = "model " + candidate.describe() + (c.replaces != null
                        ? " was to replace " + c.replaces + ", which is not served"
                        : " replaces no served model: none or several have its system and dimensions (name one "
                                + "in 'replaces')") + "; served: " + served.stream().map(ServedModel::describe).toList();
            } else {
                refusal = ModelCatalog.swapProblem(replaced, candidate, served);
            }
        }
        if (refusal != null) {
            refused.inc();
            LOG.warn("Model swap refused ({}, requested by {}): {}; still serving {}", c.at(), c.requestedBy, refusal,
                    served.stream().map(m -> m.modelId).toList());
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                ctx.output(SceneWindowFunction.DEAD_LETTERS, DeadLetterEvent.of(c.topic, c.partition, c.offset,
                        DeadLetterKind.MODEL_REFUSED, refusal, c.key, c.value, ctx.currentProcessingTime()));
            }
            return;
        }
        candidate.slot = replaced.slot;
        state.put(replaced.slot, candidate);
        swaps.inc();
        LOG.info("Model swap ({}, requested by {}): {} replaces {} from each scene's next window", c.at(),
                c.requestedBy, candidate.describe(), replaced.modelId);
    }

    /** The served model the request replaces: the one it names, else the only one of the candidate's kind. */
    private static ServedModel replaced(ModelControlEvent c, ServedModel candidate, List<ServedModel> served) {
        if (c.replaces != null) {
            return served.stream().filter(m -> m.modelId.equals(c.replaces)).findFirst().orElse(null);
        }
        List<ServedModel> sameKind = served.stream().filter(m -> Objects.equals(m.system(), candidate.system())
                && Objects.equals(m.spec().spatialDims(), candidate.spec().spatialDims())).toList();
        return sameKind.size() == 1 ? sameKind.get(0) : null;
    }

    private static ServedModel get(ReadOnlyBroadcastState<String, ServedModel> state, String slot) {
        try {
            return state.get(slot);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the swapped-models state", e);
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        windows.notifyCheckpointComplete(checkpointId);
    }
}
