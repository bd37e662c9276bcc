package dev.nristream.feed.csv;

import com.fasterxml.jackson.core.io.NumberInput;
import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import dev.nristream.feed.ProblemKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Frames from a generic positions CSV, wide ({@code frame,p0_x,p0_y,...,ball_x,ball_y,ball_z}) or long
 * ({@code frame,agent,x,y[,z]}), mapped by {@link CsvOptions}. An empty x or y cell means the agent is missing in
 * that frame: it is left out (counted as {@link ProblemKind#AGENT_MISSING}), never filled with a sentinel. An empty
 * z cell gives a null z. Non-numeric or non-finite values skip the agent; rows of the wrong width skip the row;
 * all with file and line in the report.
 *
 * <pre>{@code
 * CsvOptions opts = CsvOptions.builder(CsvLayout.WIDE, 25.0).withUnit("ft").build();
 * try (CsvFrameSource src = CsvFrameSource.open(Path.of("tor_starters_25hz_feet.csv"), opts, problems)) {
 *     src.forEachRemaining(sink); // 21,467 frames, 41 of them with 4 players
 * }
 * }</pre>
 */
public final class CsvFrameSource implements FrameSource {

    private final BufferedReader in;
    private final String source;
    private final CsvOptions options;
    private final FeedProblems problems;
    private final String sceneId;
    private final CoordinateSystem coordinates;
    private final int width;
    private final int frameCol;
    private final int timeCol;
    // wide: per agent its column indexes; long: single x/y/z columns and the agent column.
    private final String[] agentIds;
    private final int[] xCols;
    private final int[] yCols;
    private final int[] zCols;
    private final int agentCol;

    private String lookahead;
    private int lineNo = 1;
    private long rowCounter;
    private long lastIndex = Long.MIN_VALUE;
    private PositionFrame next;
    private boolean done;
    // long layout: the frame being gathered
    private String groupKey;
    private long groupIndex;
    private long groupTime;
    private int groupLine;
    private List<Agent> group;

    private CsvFrameSource(BufferedReader in, String source, String defaultScene, CsvOptions options,
            FeedProblems problems) throws IOException {
        this.in = in;
        this.source = source;
        this.options = options;
        this.problems = problems;
        this.sceneId = options.sceneId() != null ? options.sceneId() : defaultScene;
        String headerLine = in.readLine();
        if (headerLine == null) {
            throw new IllegalArgumentException(source + ": empty file, expected a header line");
        }
        List<String> header = split(stripBom(headerLine));
        width = header.size();
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            col.putIfAbsent(header.get(i).strip(), i);
        }
        frameCol = optionalColumn(col, options.frameColumn(), header);
        timeCol = optionalColumn(col, options.timeColumn(), header);
        if (options.layout() == CsvLayout.LONG) {
            agentCol = requiredColumn(col, options.agentColumn(), "agent", header);
            xCols = new int[] {requiredColumn(col, options.xColumn(), "x", header)};
            yCols = new int[] {requiredColumn(col, options.yColumn(), "y", header)};
            zCols = new int[] {options.zColumn() == null ? -1 : col.getOrDefault(options.zColumn(), -1)};
            agentIds = null;
        } else {
            agentCol = -1;
            List<String> ids = new ArrayList<>();
            List<int[]> cols = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i).strip();
                if (h.endsWith("_x") && h.length() > 2) {
                    String id = h.substring(0, h.length() - 2);
                    Integer y = col.get(id + "_y");
                    if (y == null) {
                        throw new IllegalArgumentException(source + ": column " + h + " has no matching " + id
                                + "_y column");
                    }
                    ids.add(id);
                    cols.add(new int[] {i, y, col.getOrDefault(id + "_z", -1)});
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException(source + ": a wide CSV needs <agent>_x and <agent>_y columns; "
                        + "header is " + header);
            }
            agentIds = ids.toArray(String[]::new);
            xCols = cols.stream().mapToInt(c -> c[0]).toArray();
            yCols = cols.stream().mapToInt(c -> c[1]).toArray();
            zCols = cols.stream().mapToInt(c -> c[2]).toArray();
        }
        boolean anyZ = false;
        for (int z : zCols) {
            anyZ |= z >= 0;
        }
        coordinates = new CoordinateSystem(options.unit(), options.origin(), anyZ ? 3 : 2, options.extent());
        lookahead = in.readLine();
    }

    /**
     * Opens a CSV file.
     *
     * @throws java.nio.file.NoSuchFileException when it is missing
     * @throws IllegalArgumentException when the header lacks a mapped column (the message lists the header)
     */
    public static CsvFrameSource open(Path file, CsvOptions options, FeedProblems problems) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            return new CsvFrameSource(in, file.toString(), defaultSceneId(file), options, problems);
        } catch (java.nio.charset.CharacterCodingException e) {
            in.close();
            throw new IllegalArgumentException(file + " is not UTF-8 text: a CSV file with a header line was "
                    + "expected (" + e + ")", e);
        } catch (RuntimeException | IOException e) {
            in.close();
            throw e;
        }
    }

    /** Reads CSV text from a reader (tests). */
    public static CsvFrameSource of(BufferedReader in, String source, CsvOptions options, FeedProblems problems)
            throws IOException {
        return new CsvFrameSource(in, source, "csv-" + source, options, problems);
    }

    /** "csv-" followed by the file name without extension. */
    public static String defaultSceneId(Path file) {
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return "csv-" + (dot > 0 ? f.substring(0, dot) : f);
    }

    public String sceneId() {
        return sceneId;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            String line = readLine();
            if (line == null) {
                done = true;
                if (group != null) {
                    next = flushGroup();
                }
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            next = options.layout() == CsvLayout.WIDE ? wideRow(line) : longRow(line);
        }
        return next != null;
    }

    @Override
    public PositionFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PositionFrame f = next;
        next = null;
        return f;
    }

    private PositionFrame wideRow(String line) {
        List<String> cells = cells(line);
        if (cells == null) {
            return null;
        }
        long[] it = indexAndTime(cells);
        if (it == null) {
            return null;
        }
        List<Agent> agents = new ArrayList<>(agentIds.length);
        for (int a = 0; a < agentIds.length; a++) {
            Agent ag = agent(agentIds[a], cells, xCols[a], yCols[a], zCols[a]);
            if (ag != null) {
                agents.add(ag);
            }
        }
        return frame(it[0], it[1], agents, lineNo);
    }

    private PositionFrame longRow(String line) {
        List<String> cells = cells(line);
        if (cells == null) {
            return null;
        }
        String key = frameCol >= 0 ? cells.get(frameCol).strip() : cells.get(timeCol).strip();
        PositionFrame out = null;
        if (group != null && !key.equals(groupKey)) {
            out = flushGroup();
        }
        if (group == null) {
            long[] it = indexAndTime(cells);
            if (it == null) {
                return out;
            }
            group = new ArrayList<>();
            groupKey = key;
            groupIndex = it[0];
            groupTime = it[1];
            groupLine = lineNo;
        }
        String id = cells.get(agentCol).strip();
        if (id.isEmpty()) {
            problems.report(ProblemKind.MALFORMED_RECORD, source, "line " + lineNo, "empty agent id; row skipped");
            return out;
        }
        Agent ag = agent(id, cells, xCols[0], yCols[0], zCols[0]);
        if (ag != null) {
            for (Agent other : group) {
                if (other.getId().equals(id)) {
                    problems.report(ProblemKind.UNEXPECTED_SHAPE, source, "line " + lineNo,
                            "agent " + id + " twice in frame " + groupKey + "; row skipped");
                    return out;
                }
            }
            group.add(ag);
        }
        return out;
    }

    private PositionFrame flushGroup() {
        List<Agent> agents = group;
        group = null;
        return frame(groupIndex, groupTime, agents, groupLine);
    }

    private PositionFrame frame(long index, long timeMs, List<Agent> agents, int line) {
        if (index <= lastIndex) {
            problems.report(ProblemKind.OUT_OF_ORDER, source, "line " + line,
                    "frame " + index + " after frame " + lastIndex + "; skipped");
            return null;
        }
        if (agents.isEmpty()) {
            problems.report(ProblemKind.EMPTY_FRAME, source, "line " + line, "frame " + index + " has no agents");
            return null;
        }
        lastIndex = index;
        return new PositionFrame(sceneId, SourceKind.CSV, index, timeMs, options.rateHz(), coordinates, agents,
                null, null);
    }

    /** [frame index, event time ms], or null (reported) when the row's frame or time is unreadable. */
    private long[] indexAndTime(List<String> cells) {
        long index;
        Double seconds = null;
        if (timeCol >= 0) {
            Double t = number(cells.get(timeCol));
            if (t == null || !Double.isFinite(t)) {
                problems.report(ProblemKind.MALFORMED_RECORD, source, "line " + lineNo,
                        "time '" + cells.get(timeCol) + "' is not a number; row skipped");
                return null;
            }
            seconds = t;
        }
        if (frameCol >= 0) {
            Double f = number(cells.get(frameCol));
            if (f == null || !Double.isFinite(f) || f != Math.rint(f)) {
                problems.report(ProblemKind.MALFORMED_RECORD, source, "line " + lineNo,
                        "frame '" + cells.get(frameCol) + "' is not an integer; row skipped");
                return null;
            }
            index = f.longValue();
        } else if (seconds != null) {
            index = Math.round(seconds * options.rateHz());
        } else {
            index = rowCounter;
        }
        rowCounter++;
        long timeMs = seconds != null ? Math.round(seconds * 1000.0) : Math.round(index * 1000.0 / options.rateHz());
        return new long[] {index, timeMs};
    }

    private Agent agent(String id, List<String> cells, int xc, int yc, int zc) {
        String xs = cells.get(xc).strip();
        String ys = cells.get(yc).strip();
        if (xs.isEmpty() || ys.isEmpty()) {
            problems.report(ProblemKind.AGENT_MISSING, source, "line " + lineNo,
                    () -> "agent " + id + " has empty cells");
            return null;
        }
        Double x = number(xs);
        Double y = number(ys);
        Double z = null;
        String zs = zc >= 0 ? cells.get(zc).strip() : "";
        if (!zs.isEmpty()) {
            z = number(zs);
        }
        if (x == null || y == null || (!zs.isEmpty() && z == null)) {
            problems.report(ProblemKind.MALFORMED_RECORD, source, "line " + lineNo,
                    "agent " + id + " has a non-numeric coordinate (" + xs + ", " + ys + ", " + zs + "); skipped");
            return null;
        }
        if (!Double.isFinite(x) || !Double.isFinite(y) || (z != null && !Double.isFinite(z))) {
            problems.report(ProblemKind.NON_FINITE_COORDINATE, source, "line " + lineNo,
                    "agent " + id + " at (" + xs + ", " + ys + ", " + zs + "); skipped");
            return null;
        }
        double[] s = options.scale();
        return new Agent(id, null, null, x * s[0], y * s[1], z == null ? null : z * s[2], null, null, null);
    }

    private List<String> cells(String line) {
        List<String> cells = split(line);
        if (cells.size() != width) {
            boolean last = lookahead == null;
            problems.report(last ? ProblemKind.TRUNCATED_FILE : ProblemKind.MALFORMED_RECORD, source,
                    "line " + lineNo, cells.size() + " cells, the header has " + width + "; row skipped");
            return null;
        }
        return cells;
    }

    private static Double number(String s) {
        String t = s.strip();
        try {
            return NumberInput.parseDouble(t, true);
        } catch (NumberFormatException e) {
            String l = t.toLowerCase(java.util.Locale.ROOT);
            return switch (l) {
                case "nan" -> Double.NaN;
                case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                default -> null;
            };
        }
    }

    private String readLine() {
        String l = lookahead;
        if (l == null) {
            return null;
        }
        try {
            lookahead = in.readLine();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(source + ": line " + (lineNo + 1) + " is not UTF-8 text (" + e + ")",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": read failed after line " + lineNo, e);
        }
        lineNo++;
        return l;
    }

    /** Splits on commas; double-quoted cells may contain commas and doubled quotes. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    private int optionalColumn(Map<String, Integer> col, String name, List<String> header) {
        if (name == null) {
            return -1;
        }
        Integer i = col.get(name);
        if (i == null) {
            throw new IllegalArgumentException(source + ": no column '" + name + "'; header is " + header);
        }
        return i;
    }

    private int requiredColumn(Map<String, Integer> col, String name, String what, List<String> header) {
        if (name == null) {
            throw new IllegalArgumentException("a long CSV needs the " + what + " column");
        }
        return optionalColumn(col, name, header);
    }

    @Override
    public FeedProblems problems() {
        return problems;
    }

    @Override
    public String description() {
        return source;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
