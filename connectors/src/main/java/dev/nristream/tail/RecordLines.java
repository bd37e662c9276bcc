package dev.nristream.tail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nristream.registry.AvroJson;
import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.ForecastError;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.graph.StrongestEdges;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text {@link TopicTail} prints for a record: a JSON line or a compact table line.
 *
 * <pre>{@code
 * String line = RecordLines.format(record, TailFormat.TABLE);
 * // nri.graphs 0@41 scene-3 frames 100..148 t 10000..14800 model springs5 5 agents: p1->p0 spring 0.97, ...
 * }</pre>
 */
public final class RecordLines {

    /** Edges shown per graph in the table format. */
    public static final int TABLE_EDGES = 3;
    /** Agents shown per forecast in the table format. */
    public static final int TABLE_AGENTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordLines() {
    }

    public static String format(TailRecord r, TailFormat format) {
        return format == TailFormat.JSON ? json(r) : table(r);
    }

    /** {@code {"topic":...,"partition":...,"offset":...,"timestamp":...,"key":...,"value":{...}}}; undecodable records carry {@code "undecodable": reason} instead of a value. */
    public static String json(TailRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("topic", r.topic());
        o.put("partition", r.partition());
        o.put("offset", r.offset());
        o.put("timestamp", r.timestampMs());
        o.put("key", r.key());
        if (r.undecodable()) {
            o.put("undecodable", r.problem());
            o.put("value_bytes", r.valueBytes());
        } else if (r.value() == null) {
            o.putNull("value");
        } else {
            o.set("value", AvroJson.toJson(r.value()));
        }
        return o.toString();
    }

    /** One compact line. */
    public static String table(TailRecord r) {
        String head = r.topic() + " " + r.partition() + "@" + r.offset() + " ";
        if (r.undecodable()) {
            return head + "UNDECODABLE key " + quote(r.key()) + " (" + r.valueBytes() + " bytes): "
                    + oneLine(r.problem());
        }
        if (r.value() == null) {
            return head + r.key() + " null value (tombstone)";
        }
        return head + body(r);
    }

    private static String body(TailRecord r) {
        Object v = r.value();
        if (v instanceof InteractionGraph g) {
            return graph(g);
        } else if (v instanceof TrajectoryForecast f) {
            return forecast(f);
        } else if (v instanceof DeadLetter d) {
            return deadLetter(d);
        } else if (v instanceof PositionFrame p) {
            return frame(p);
        } else if (v instanceof ForecastError e) {
            return forecastError(e);
        } else if (v instanceof EdgeStats s) {
            return edgeStats(s);
        }
        return r.key() + " " + AvroJson.toJson(r.value());
    }

    static String graph(InteractionGraph g) {
        return String.format(Locale.ROOT, "%s frames %d..%d t %d..%d model %s %d agents: %s", g.getSceneId(),
                g.getWindowStartFrame(), g.getWindowEndFrame(), g.getWindowStartMs(), g.getWindowEndMs(),
                g.getModelId(), g.getAgentIds().size(), StrongestEdges.summary(g, TABLE_EDGES));
    }

    static String forecast(TrajectoryForecast f) {
        List<String> agents = new ArrayList<>();
        for (AgentForecast a : f.getAgents().subList(0, Math.min(TABLE_AGENTS, f.getAgents().size()))) {
            int last = a.getX().size() - 1;
            agents.add(last < 0 ? a.getAgentId() + " ()" : String.format(Locale.ROOT, "%s (%.3f, %.3f%s)",
                    a.getAgentId(), a.getX().get(last), a.getY().get(last),
                    a.getZ() == null || a.getZ().size() <= last ? "" : String.format(Locale.ROOT, ", %.3f",
                            a.getZ().get(last))));
        }
        String more = f.getAgents().size() > TABLE_AGENTS ? " ..." : "";
        return String.format(Locale.ROOT, "%s from frame %d t %d, %d steps of %.1f ms, model %s, %d agents at step %d: %s%s",
                f.getSceneId(), f.getOriginFrame(), f.getOriginTimeMs(), f.getHorizon(), f.getStepPeriodMs(),
                f.getModelId(), f.getAgents().size(), f.getHorizon(), String.join(" ", agents), more);
    }

    static String deadLetter(DeadLetter d) {
        return String.format(Locale.ROOT, "DEAD LETTER %s from %s %d@%d key %s (%s value bytes): %s",
                d.getErrorKind(), d.getSourceTopic(), d.getSourcePartition(), d.getSourceOffset(),
                quote(text(d.getKey())), d.getValue() == null ? "no" : Integer.toString(d.getValue().remaining()),
                oneLine(d.getReason()));
    }

    static String frame(PositionFrame p) {
        return String.format(Locale.ROOT, "%s frame %d t %d, %d agents, %s, %.1f Hz", p.getSceneId(),
                p.getFrameIndex(), p.getEventTimeMs(), p.getAgents().size(), p.getCoordinates().getUnit(),
                p.getSamplingRateHz());
    }

    static String forecastError(ForecastError e) {
        return String.format(Locale.ROOT, "%s from frame %d step %d/%d: mean %.4f max %.4f %s over %d agents",
                e.getSceneId(), e.getOriginFrame(), e.getStep(), e.getHorizon(), e.getMeanError(), e.getMaxError(),
                e.getUnit(), e.getAgentsCompared());
    }

    static String edgeStats(EdgeStats s) {
        List<String> totals = new ArrayList<>();
        for (int k = 0; k < s.getTotals().size(); k++) {
            String name = k < s.getEdgeTypeNames().size() ? s.getEdgeTypeNames().get(k) : "type" + k;
            totals.add(name + "=" + s.getTotals().get(k));
        }
        return String.format(Locale.ROOT, "%s %d graphs, %d pairs, model %s: %s", s.getSceneId(), s.getGraphs(),
                s.getPairs().size(), s.getModelId(), String.join(" ", totals));
    }

    /** UTF-8 text of {@code bytes}, or their size when they are not text; null stays null. */
    static String text(ByteBuffer bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(bytes.duplicate()).toString();
        } catch (CharacterCodingException e) {
            return "<" + bytes.remaining() + " non-UTF-8 bytes>";
        }
    }

    private static String quote(String s) {
        return s == null ? "(null)" : "'" + s + "'";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
