package dev.nristream.replay;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nristream.avro.Agent;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.PositionFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes frames as JSON lines, one object per frame, for inspection and piping ({@code --print}):
 * <pre>{@code
 * {"scene":"cmu-35_01","frame":1,"time_ms":0,"rate_hz":120.0,"source":"MOCAP","unit":"asf",
 *  "agents":[{"id":"root","x":4.4,"y":17.9,"z":-21.1},...]}
 * }</pre>
 * Agents list {@code team}, {@code role}, {@code z}, {@code vx}, {@code vy}, {@code vz} only when set; simulated
 * frames add {@code "edges":[{"sender":"p1","receiver":"p0","type":1},...]}.
 */
public final class JsonLinesSink implements FrameSink {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonGenerator gen;
    private final java.io.Flushable out;
    private final boolean flushEachFrame;
    private long written;

    /** Writes to {@code out}; {@link #close()} flushes but leaves {@code out} open (it is usually stdout). */
    public JsonLinesSink(OutputStream out) {
        this(out, false);
    }

    /**
     * @param flushEachFrame flush after every frame (live feeds, where a reader waits for each line); otherwise
     *     output is buffered and flushed by the replay's progress ticks and at the end
     */
    public JsonLinesSink(OutputStream out, boolean flushEachFrame) {
        this.out = out;
        this.flushEachFrame = flushEachFrame;
        try {
            this.gen = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        gen.setRootValueSeparator(null);
    }

    /** Writes to a character stream (picocli's out writer); left open on close. */
    public JsonLinesSink(java.io.Writer out, boolean flushEachFrame) {
        this.out = out;
        this.flushEachFrame = flushEachFrame;
        try {
            this.gen = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        gen.setRootValueSeparator(null);
    }

    @Override
    public void accept(PositionFrame f) {
        try {
            gen.writeStartObject();
            gen.writeStringField("scene", f.getSceneId());
            gen.writeNumberField("frame", f.getFrameIndex());
            gen.writeNumberField("time_ms", f.getEventTimeMs());
            gen.writeNumberField("rate_hz", f.getSamplingRateHz());
            gen.writeStringField("source", f.getSourceKind().name());
            gen.writeStringField("unit", f.getCoordinates().getUnit());
            gen.writeArrayFieldStart("agents");
            for (Agent a : f.getAgents()) {
                gen.writeStartObject();
                gen.writeStringField("id", a.getId());
                optional("team", a.getTeam());
                optional("role", a.getRole());
                gen.writeNumberField("x", a.getX());
                gen.writeNumberField("y", a.getY());
                optional("z", a.getZ());
                optional("vx", a.getVx());
                optional("vy", a.getVy());
                optional("vz", a.getVz());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            if (f.getGroundTruthEdges() != null) {
                gen.writeArrayFieldStart("edges");
                for (GroundTruthEdge e : f.getGroundTruthEdges()) {
                    gen.writeStartObject();
                    gen.writeStringField("sender", e.getSender());
                    gen.writeStringField("receiver", e.getReceiver());
                    gen.writeNumberField("type", e.getEdgeType());
                    gen.writeEndObject();
                }
                gen.writeEndArray();
            }
            gen.writeEndObject();
            gen.writeRaw('\n');
            written++;
            if (flushEachFrame) {
                flush();
            }
        } catch (IOException e) {
            throw new SinkException("cannot write frames: " + e.getMessage(), e);
        }
    }

    private void optional(String name, String v) throws IOException {
        if (v != null) {
            gen.writeStringField(name, v);
        }
    }

    private void optional(String name, Double v) throws IOException {
        if (v != null) {
            gen.writeNumberField(name, v);
        }
    }

    @Override
    public void flush() {
        try {
            gen.flush();
            out.flush();
        } catch (IOException e) {
            throw new SinkException("cannot write frames: " + e.getMessage(), e);
        }
    }

    @Override
    public void tick() {
        flush();
    }

    @Override
    public long delivered() {
        return written;
    }

    @Override
    public String describe() {
        return "JSON lines";
    }

    @Override
    public void close() {
        flush();
        try {
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
