package dev.nristream.feed.mocap;

import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FrameSource;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes mocap frames as CSV {@code frame,joint,x,y,z}: one row per joint and frame, frame numbers as in the AMC,
 * joints named as in the ASF, coordinates in the frames' unit.
 *
 * <pre>{@code
 * try (MocapFrameSource src = MocapFrameSource.open(skel, amc, options, problems);
 *         Writer w = Files.newBufferedWriter(out)) {
 *     long frames = MocapCsv.write(src, w);
 * }
 * }</pre>
 */
public final class MocapCsv {

    public static final String HEADER = "frame,joint,x,y,z";

    private MocapCsv() {
    }

    /** Writes the header and every frame of {@code src}; returns the number of frames. */
    public static long write(FrameSource src, Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
        long frames = 0;
        StringBuilder sb = new StringBuilder(64);
        while (src.hasNext()) {
            PositionFrame f = src.next();
            String n = Long.toString(f.getFrameIndex());
            for (Agent a : f.getAgents()) {
                sb.setLength(0);
                sb.append(n).append(',').append(a.getId()).append(',').append(a.getX()).append(',')
                        .append(a.getY()).append(',').append(a.getZ() == null ? "" : a.getZ().toString())
                        .append('\n');
                out.append(sb);
            }
            frames++;
        }
        return frames;
    }
}
