package dev.nristream.feed.mocap;

import com.fasterxml.jackson.core.io.NumberInput;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.ProblemKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams the frames of an AMC file: a frame number on its own line, then one line per segment with its values
 * in the ASF dof order. A frame with a missing, unknown-length or non-numeric segment line is reported and
 * skipped; a frame cut off by the end of the file is reported as {@link ProblemKind#TRUNCATED_FILE}.
 */
final class AmcReader {

    /** One complete frame: the AMC frame number and per joint (skeleton joint order) its values. */
    record AmcFrame(long number, double[][] values, int line) {
    }

    private final AsfSkeleton skeleton;
    private final BufferedReader in;
    private final String source;
    private final FeedProblems problems;
    private final Map<String, Integer> jointIndex = new HashMap<>();
    private final int joints;
    /** Segments with degrees of freedom: the ones every AMC frame lists (CMU: 29, no line for the hip joints). */
    private final int required;
    private int lineNo;
    private String pending;
    private boolean headerDone;

    AmcReader(AsfSkeleton skeleton, BufferedReader in, String source, FeedProblems problems) {
        this.skeleton = skeleton;
        this.in = in;
        this.source = source;
        this.problems = problems;
        List<String> names = skeleton.jointNames();
        joints = names.size();
        int r = 0;
        for (int i = 0; i < joints; i++) {
            jointIndex.put(names.get(i), i);
            if (skeleton.dofCount(names.get(i)) > 0) {
                r++;
            }
        }
        required = r;
    }

    /** The next complete frame, or null at the end of the file. */
    AmcFrame next() {
        while (true) {
            String line = nextLine();
            if (line == null) {
                return null;
            }
            if (!headerDone) {
                if (line.startsWith("#") || line.startsWith(":")) {
                    continue;
                }
                headerDone = true;
            }
            long number;
            try {
                number = Long.parseLong(line);
            } catch (NumberFormatException e) {
                problems.report(ProblemKind.MALFORMED_RECORD, source, "line " + lineNo,
                        "expected a frame number, got '" + abbreviate(line) + "'");
                continue;
            }
            AmcFrame f = readFrameBody(number);
            if (f != null) {
                return f;
            }
        }
    }

    private AmcFrame readFrameBody(long number) {
        int frameLine = lineNo;
        double[][] values = new double[joints][];
        int seen = 0;
        boolean bad = false;
        while (true) {
            String line = nextLine();
            if (line == null || isFrameNumber(line)) {
                if (line != null) {
                    pending = line;
                    lineNo--;
                }
                if (line == null && (bad || seen < required)) {
                    problems.report(ProblemKind.TRUNCATED_FILE, source, "frame " + number + " (line " + frameLine
                            + ")", "file ends inside the frame (" + seen + " of " + required + " segments); skipped");
                    return null;
                }
                if (bad) {
                    return null;
                }
                if (seen < required) {
                    problems.report(ProblemKind.MALFORMED_RECORD, source, "frame " + number + " (line " + frameLine
                            + ")", "only " + seen + " of " + required + " segments; frame skipped");
                    return null;
                }
                return new AmcFrame(number, values, frameLine);
            }
            String[] t = split(line);
            Integer j = jointIndex.get(t[0]);
            if (j == null) {
                problems.report(ProblemKind.UNEXPECTED_SHAPE, source, "line " + lineNo,
                        "unknown segment '" + abbreviate(t[0]) + "' in frame " + number + "; line ignored");
                continue;
            }
            int expected = skeleton.dofCount(t[0]);
            if (t.length - 1 != expected) {
                problems.report(ProblemKind.MALFORMED_RECORD, source, "line " + lineNo, "segment " + t[0] + " has "
                        + (t.length - 1) + " values, the ASF says " + expected + "; frame " + number + " skipped");
                bad = true;
                continue;
            }
            double[] v = new double[expected];
            for (int i = 0; i < expected && !bad; i++) {
                try {
                    v[i] = NumberInput.parseDouble(t[i + 1], true);
                } catch (NumberFormatException e) {
                    problems.report(ProblemKind.MALFORMED_RECORD, source, "line " + lineNo,
                            "not a number '" + abbreviate(t[i + 1]) + "' for " + t[0] + "; frame " + number
                                    + " skipped");
                    bad = true;
                }
                if (!bad && !Double.isFinite(v[i])) {
                    problems.report(ProblemKind.NON_FINITE_COORDINATE, source, "line " + lineNo,
                            t[0] + " value " + t[i + 1] + "; frame " + number + " skipped");
                    bad = true;
                }
            }
            if (values[j] == null) {
                seen++;
            }
            values[j] = v;
        }
    }

    /** Whitespace split without a regex: AMC files are ~30 such lines per frame. */
    static String[] split(String line) {
        int n = 0;
        int len = line.length();
        for (int i = 0; i < len; ) {
            while (i < len && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i < len) {
                n++;
            }
            while (i < len && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
        }
        String[] out = new String[n];
        int k = 0;
        for (int i = 0; i < len; ) {
            while (i < len && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < len && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                out[k++] = line.substring(start, i);
            }
        }
        return out;
    }

    private static boolean isFrameNumber(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return false;
            }
        }
        return !line.isEmpty();
    }

    private String nextLine() {
        if (pending != null) {
            String p = pending;
            pending = null;
            lineNo++;
            return p;
        }
        try {
            while (true) {
                String l = in.readLine();
                if (l == null) {
                    return null;
                }
                lineNo++;
                l = l.strip();
                if (!l.isEmpty()) {
                    return l;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": read failed at line " + lineNo, e);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
