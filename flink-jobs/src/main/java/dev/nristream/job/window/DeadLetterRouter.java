package dev.nristream.job.window;

import dev.nristream.job.DeadLetterEvent;
import dev.nristream.job.DeadLetterKind;
import dev.nristream.job.FrameEnvelope;
import dev.nristream.job.JobMetrics;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends bad records from the source to the {@link SceneWindowFunction#DEAD_LETTERS} side output and passes good
 * frames on. Counts dead letters per kind ({@code deadLetters.<KIND>}).
 */
public final class DeadLetterRouter extends ProcessFunction<FrameEnvelope, FrameEnvelope> {

    private static final long serialVersionUID = 1L;

    private transient Map<DeadLetterKind, Counter> counters;

    @Override
    public void open(OpenContext openContext) {
        counters = deadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    static Map<DeadLetterKind, Counter> deadLetterCounters(MetricGroup group) {
        MetricGroup g = group.addGroup(JobMetrics.DEAD_LETTERS_GROUP);
        Map<DeadLetterKind, Counter> m = new EnumMap<>(DeadLetterKind.class);
        for (DeadLetterKind k : DeadLetterKind.values()) {
            m.put(k, g.counter(k.name()));
        }
        return m;
    }

    @Override
    public void processElement(FrameEnvelope e, Context ctx, Collector<FrameEnvelope> out) {
        if (e.isOk()) {
            out.collect(e);
            return;
        }
        DeadLetterEvent d = e.toDeadLetter(ctx.timerService().currentProcessingTime());
        counters.get(DeadLetterKind.valueOf(e.errorKind)).inc();
        ctx.output(SceneWindowFunction.DEAD_LETTERS, d);
    }
}
