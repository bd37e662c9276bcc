package dev.nristream.job;

/**
 * Names of every metric the job registers, under each operator's metric group (Flink scope
 * {@code <host>.taskmanager.<tm>.<job>.<operator>.<subtask>.}), so dashboards and tests use the same strings.
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><th>Operator</th><th>Name</th><th>Kind</th><th>Meaning</th></tr>
 *   <tr><td>dead-letter-router</td><td>{@code deadLetters.<KIND>}</td><td>counter</td>
 *       <td>records sent to the DLQ, one counter per {@link DeadLetterKind} (UNDECODABLE, UNKNOWN_SCHEMA,
 *       INVALID_FRAME, NON_FINITE_COORDINATE, TOO_FEW_AGENTS, TOO_MANY_AGENTS)</td></tr>
 *   <tr><td>scene-windows</td><td>{@code framesIn}</td><td>counter</td><td>good frames received</td></tr>
 *   <tr><td>scene-windows</td><td>{@code framesPerSecond}</td><td>meter</td><td>rate of {@code framesIn}</td></tr>
 *   <tr><td>scene-windows</td><td>{@code duplicateFrames}</td><td>counter</td>
 *       <td>frames dropped because the scene already had that frame index</td></tr>
 *   <tr><td>scene-windows</td><td>{@code staleFrames}</td><td>counter</td>
 *       <td>frames dropped as older than every frame still needed</td></tr>
 *   <tr><td>scene-windows</td><td>{@code windows}</td><td>counter</td><td>windows sent to inference</td></tr>
 *   <tr><td>scene-windows</td><td>{@code windowsPerSecond}</td><td>meter</td><td>rate of {@code windows}</td></tr>
 *   <tr><td>scene-windows</td><td>{@code windowsSkipped}</td><td>counter</td>
 *       <td>due windows with fewer than 2 usable nodes (or a node count a fixed-size model cannot take)</td></tr>
 *   <tr><td>scene-windows</td><td>{@code agentsExcluded}</td><td>counter</td>
 *       <td>agents left out of a window for missing in too many frames</td></tr>
 *   <tr><td>scene-windows</td><td>{@code windowsOutOfRange}</td><td>counter</td>
 *       <td>windows with normalised inputs beyond the model's trained range by more than the margin (the graph
 *       record's {@code out_of_range_fraction} says how many)</td></tr>
 *   <tr><td>scene-windows</td><td>{@code pointsInterpolated}</td><td>counter</td>
 *       <td>(agent, frame) points filled by interpolation</td></tr>
 *   <tr><td>scene-windows</td><td>{@code scenesExpired}</td><td>counter</td>
 *       <td>scenes whose state was dropped after {@code scene.idle-timeout-ms} without frames</td></tr>
 *   <tr><td>scene-windows</td><td>{@code deadLetters.LATE}, {@code deadLetters.MODEL_MISMATCH},
 *       {@code deadLetters.INVALID_FRAME}</td><td>counter</td><td>frames too far behind the watermark; frames that
 *       do not fit the model; 3D frames without an agent's z for a model that reads z</td></tr>
 *   <tr><td>scene-windows</td><td>{@code modelSwaps}, {@code modelSwapsRefused}</td><td>counter</td>
 *       <td>model hot swaps applied and refused (with {@code model.control-topic}; a refusal is also the dead
 *       letter {@code MODEL_REFUSED})</td></tr>
 *   <tr><td>inference</td><td>{@code inferenceLatencyMs}</td><td>histogram</td>
 *       <td>wall time of one batch: encoder plus decoder rollout, ms</td></tr>
 *   <tr><td>inference</td><td>{@code batchSize}</td><td>histogram</td><td>windows per ONNX run</td></tr>
 *   <tr><td>inference</td><td>{@code endToEndLagMs}</td><td>histogram</td>
 *       <td>processing time at output minus the window's last event time, ms (meaningful when feeds stamp
 *       wall-clock event times)</td></tr>
 *   <tr><td>inference</td><td>{@code graphs}</td><td>counter</td><td>windows inferred: one graph and one
 *       forecast each</td></tr>
 *   <tr><td>inference</td><td>{@code graphsPerSecond}</td><td>meter</td><td>rate of {@code graphs}</td></tr>
 *   <tr><td>inference</td><td>{@code windowsShed}</td><td>counter</td><td>windows dropped by load shedding
 *       (stride lengthened)</td></tr>
 *   <tr><td>inference</td><td>{@code forecastsShed}</td><td>counter</td><td>windows published without a
 *       forecast by load shedding</td></tr>
 *   <tr><td>inference</td><td>{@code shedLevel}</td><td>gauge</td><td>0 normal, 1 no forecasts, 2 and up
 *       stride x2^(level-1) as well</td></tr>
 *   <tr><td>inference</td><td>{@code shedStrideFactor}</td><td>gauge</td><td>stride multiple applied now</td></tr>
 * </table>
 */
public final class JobMetrics {
    public static final String DEAD_LETTERS_GROUP = "deadLetters";
    public static final String FRAMES_IN = "framesIn";
    public static final String FRAMES_PER_SECOND = "framesPerSecond";
    public static final String DUPLICATE_FRAMES = "duplicateFrames";
    public static final String STALE_FRAMES = "staleFrames";
    public static final String WINDOWS = "windows";
    public static final String WINDOWS_PER_SECOND = "windowsPerSecond";
    public static final String WINDOWS_SKIPPED = "windowsSkipped";
    public static final String AGENTS_EXCLUDED = "agentsExcluded";
    public static final String WINDOWS_OUT_OF_RANGE = "windowsOutOfRange";
    public static final String POINTS_INTERPOLATED = "pointsInterpolated";
    public static final String SCENES_EXPIRED = "scenesExpired";
    /** Counter: model hot swaps applied ({@code ModelSwapWindowFunction}). */
    public static final String MODEL_SWAPS = "modelSwaps";
    /** Counter: model hot-swap requests refused. */
    public static final String MODEL_SWAPS_REFUSED = "modelSwapsRefused";
    public static final String INFERENCE_LATENCY_MS = "inferenceLatencyMs";
    public static final String BATCH_SIZE = "batchSize";
    public static final String END_TO_END_LAG_MS = "endToEndLagMs";
    public static final String GRAPHS = "graphs";
    public static final String GRAPHS_PER_SECOND = "graphsPerSecond";
    /** Counter: windows dropped by load shedding (stride lengthened). */
    public static final String WINDOWS_SHED = "windowsShed";
    /** Counter: windows published as a graph without a forecast by load shedding. */
    public static final String FORECASTS_SHED = "forecastsShed";
    /** Gauge: load-shedding level, 0 normal, 1 no forecasts, 2 and up stride x2^(level-1) too. */
    public static final String SHED_LEVEL = "shedLevel";
    /** Gauge: the stride multiple load shedding applies now (1 normally). */
    public static final String STRIDE_FACTOR = "shedStrideFactor";

    /** Samples kept by each histogram. */
    public static final int HISTOGRAM_WINDOW = 1024;

    private JobMetrics() {
    }
}
